//! `JOIN LATERAL (subquery) AS t`: a derived table whose query uses the columns of the tables
//! joined before it — "each user's three latest posts" (SQLAlchemy's `.lateral()`). The inner
//! query is correlated with `.correlate(outer_table)`, and the lateral join checks, at compile
//! time, that those outer tables are on its left. PostgreSQL (MySQL 8.0.14 has LATERAL but
//! MariaDB does not, and philtre's MySQL backend serves both: refused there, as on SQLite).

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter, SupportsLateral};
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::schema::{SingleFrom, Table};

use super::Query;
use super::cte::{MatchesColumns, ReadOnlyQuery};
use super::join::FromClause;
use super::source::QuerySource;
use super::subquery::Subquery;

/// `LATERAL (query) AS t (columns)`: `query` as a FROM source named and typed as table `T`
/// (declared with `table!`, never created). Join it with
/// [`super::JoinDsl::cross_join_lateral`], `inner_join_lateral` or `left_join_lateral`.
///
/// ```
/// use philtre::prelude::*;
/// use philtre::query::lateral;
/// # philtre::table! {
/// #     users (id) { id -> Integer, name -> Text, }
/// #     posts (id) { id -> Integer, user_id -> Integer references users(id), score -> Integer, }
/// #     top_posts (id) { id -> Integer, score -> Integer, }
/// # }
/// # fn main() {
/// // Each user's two best posts.
/// let best = lateral(
///     posts::table
///         .correlate(users::table)
///         .filter(posts::user_id.eq(users::id))
///         .select((posts::id, posts::score))
///         .order(posts::score.desc())
///         .limit(2),
///     top_posts::table,
/// );
/// let query = users::table.cross_join_lateral(best).select((users::name, top_posts::score));
/// # let _ = query;
/// # }
/// ```
pub fn lateral<T, Q>(query: Q, _table: T) -> Lateral<T, Q>
where
    T: Table,
    Q: Query + Subquery,
    Q::SqlRow: MatchesColumns<T::AllColumnsSqlType>,
{
    Lateral {
        query,
        _table: PhantomData,
    }
}

/// See [`lateral`].
#[derive(Debug, Clone, Copy)]
pub struct Lateral<T, Q> {
    query: Q,
    _table: PhantomData<T>,
}

impl<T: Table, Q: Copy> QuerySource for Lateral<T, Q> {
    type FromList = SingleFrom<T>;
    type DefaultSqlRow = T::AllColumnsSqlType;
    type Outer = ();
    fn write_default_selection<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        T::default().write_default_selection(out);
    }
}

impl<T, Q, DB> FromClause<DB> for Lateral<T, Q>
where
    T: Table,
    Q: QueryFragment<DB> + ReadOnlyQuery + Copy,
    DB: SupportsLateral,
{
    fn to_from_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("LATERAL (");
        self.query.to_sql(out);
        out.push_sql(") AS ");
        out.push_identifier(T::DESCRIPTION.name);
        out.push_sql(" (");
        for (i, column) in T::DESCRIPTION.columns.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_identifier(column.name);
        }
        out.push_sql(")");
    }
    fn collect_from_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.query.collect_binds(out)
    }
    fn has_static_from(&self) -> bool {
        self.query.has_static_sql()
    }
}
