//! A table hint for one backend, written after the table's name in FROM: MySQL's `USE INDEX
//! (ix_users_email)` — SQLAlchemy's `select.with_hint(table, text, dialect_name=…)`.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;

use super::alias::{Alias, AliasName};
use super::join::{FromClause, JoinPath, JoinTarget};
use super::prefix::is_backend;
use super::run::AsQuery;
use super::select::SelectStatement;
use super::source::QuerySource;
use crate::schema::Table;

/// A table (or an alias of one) with a hint written after its name when the query runs on
/// backend `Target`; see [`WithHint::with_hint`]. It brings the same columns into scope as
/// the table itself.
#[derive(Debug)]
pub struct Hinted<Source, Target> {
    source: Source,
    hint: &'static str,
    target: PhantomData<fn() -> Target>,
}

impl<Source: Copy, Target> Clone for Hinted<Source, Target> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<Source: Copy, Target> Copy for Hinted<Source, Target> {}

/// `table.with_hint::<Backend>(words)`: words written after the table's name in FROM when the
/// query runs on that backend, and left out on the others — an index hint for MySQL's
/// planner, say.
///
/// ```
/// use philtre::backend::Backend;
/// use philtre::prelude::*;
/// # philtre::table! { users (id) { id -> Integer, email -> Text, } }
/// // With the MySQL backend: `by_email::<philtre_mysql::Mysql>()`.
/// fn by_email<Mysql: Backend>() -> impl Sized {
///     users::table
///         .with_hint::<Mysql>("USE INDEX (ix_users_email)")
///         .filter(users::email.eq("ada@example.com"))
///         .select(users::id)
/// }
/// ```
///
/// The words are SQL, written as given: take them from the program, never from user input
/// (they must be `&'static str`).
pub trait WithHint: QuerySource {
    /// Writes `hint` after this table's name (and alias) in FROM when the query runs on
    /// `Target`.
    fn with_hint<Target: Backend>(self, hint: &'static str) -> Hinted<Self, Target> {
        Hinted {
            source: self,
            hint,
            target: PhantomData,
        }
    }
}

impl<T: Table> WithHint for T {}
impl<T: Table, N: AliasName> WithHint for Alias<T, N> {}
/// Hints for several backends: `.with_hint::<Mysql>(..).with_hint::<Sqlite>(..)`.
impl<Source: QuerySource, Target> WithHint for Hinted<Source, Target> {}

/// The table under its hints, for joining a hinted table by its foreign key.
pub trait HintedTable {
    /// The table.
    type Table: Table;
}
impl<T: Table> HintedTable for T {
    type Table = T;
}
impl<Source: HintedTable, Target> HintedTable for Hinted<Source, Target> {
    type Table = Source::Table;
}

impl<Source: QuerySource, Target> QuerySource for Hinted<Source, Target> {
    type FromList = Source::FromList;
    type DefaultSqlRow = Source::DefaultSqlRow;
    type Outer = Source::Outer;
    fn write_default_selection<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        self.source.write_default_selection(out);
    }
}

impl<Source, Target, DB> FromClause<DB> for Hinted<Source, Target>
where
    Source: FromClause<DB>,
    Target: Backend,
    DB: Backend,
{
    fn to_from_sql(&self, out: &mut SqlWriter<DB>) {
        self.source.to_from_sql(out);
        if is_backend::<DB, Target>() {
            out.push_sql(" ");
            out.push_sql(self.hint);
        }
    }
    fn collect_from_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.source.collect_from_binds(out)
    }
    fn has_static_from(&self) -> bool {
        // The hint is a value, not part of the type.
        false
    }
}

// A hinted table joins by its foreign key, as the table itself would.
#[diagnostic::do_not_recommend]
impl<Source, Target, FromList, Index> JoinTarget<FromList, Index> for Hinted<Source, Target>
where
    Source: HintedTable + QuerySource,
    FromList: JoinPath<Source::Table, Index>,
{
    type Source = Self;
    type Condition = FromList::Condition;
    fn into_parts(self) -> (Self, FromList::Condition) {
        (self, FromList::Condition::default())
    }
}

impl<Source: QuerySource, Target> AsQuery for Hinted<Source, Target> {
    type Query = SelectStatement<Self>;
    fn into_query(self) -> Self::Query {
        SelectStatement::new(self)
    }
    fn with_query<R>(&self, f: impl FnOnce(&Self::Query) -> R) -> R {
        f(&SelectStatement::new(*self))
    }
}
