//! Common table expressions (`WITH`, `WITH RECURSIVE`) and subqueries in FROM.
//!
//! Both give a query a name and typed columns. The name and columns are declared with
//! `table!` like any table (the table is never created): its columns are then ordinary
//! columns, usable in every clause and in joins, with foreign keys for inferred ON
//! conditions. The query must return exactly the declared column types.
//!
//! - `cte(prolific::table, query)` and `recursive_cte(tree::table, query)` are attached to a
//!   statement with `.with(..)`: `WITH prolific(user_id) AS (…) SELECT …`. A recursive
//!   CTE's query is a `UNION ALL` whose second SELECT reads the CTE's own table.
//! - `query.into_table(adults::table)` is a FROM source: a derived table, rendered
//!   `(WITH adults(id, name) AS (…) SELECT * FROM adults) AS adults` so that its columns get
//!   their declared names on every database (SQLite and MariaDB have no column list for a
//!   derived table).

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter, SupportsDataModifyingCte};
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::schema::{SingleFrom, Table};
use crate::types::SqlType;

use super::join::{FromClause, JoinPath, JoinTarget};
use super::source::QuerySource;
use super::subquery::Subquery;
use super::{AsQuery, Query};

/// Rule: the query of a CTE or derived table returns the columns declared for it.
#[diagnostic::on_unimplemented(
    message = "this query returns `{Self}`, but the table declared for it has columns `{Declared}`",
    label = "its select list does not match the declared columns",
    note = "select one expression per declared column, in declaration order, with the same SQL types"
)]
pub trait MatchesColumns<Declared> {}
#[diagnostic::do_not_recommend]
impl<R> MatchesColumns<R> for R {}
#[diagnostic::do_not_recommend]
impl<A: SqlType> MatchesColumns<(A,)> for A {}

/// `name(columns) AS (query)`: query `Q` under the name and columns of table `T`;
/// `WITH RECURSIVE` when `RECURSIVE`.
#[derive(Debug, Clone, Copy)]
pub struct Cte<T, Q, const RECURSIVE: bool> {
    query: Q,
    _table: PhantomData<T>,
}

/// A CTE: `query` named as table `T` (declared with `table!`, never created). Attach it with
/// `.with(..)`.
pub fn cte<T, Q>(table: T, query: Q) -> Cte<T, Q, false>
where
    T: Table,
    Q: Query,
    Q::SqlRow: MatchesColumns<T::AllColumnsSqlType>,
{
    named(table, query)
}

/// A recursive CTE: `query` (usually `anchor.union_all(step)`, where `step` reads `T`) named
/// as table `T`. Attach it with `.with(..)`, which then writes `WITH RECURSIVE`.
pub fn recursive_cte<T, Q>(table: T, query: Q) -> Cte<T, Q, true>
where
    T: Table,
    Q: Query,
    Q::SqlRow: MatchesColumns<T::AllColumnsSqlType>,
{
    named(table, query)
}

fn named<T, Q, const RECURSIVE: bool>(_table: T, query: Q) -> Cte<T, Q, RECURSIVE> {
    Cte {
        query,
        _table: PhantomData,
    }
}

fn write_definition<T: Table, Q: QueryFragment<DB>, DB: Backend>(
    query: &Q,
    out: &mut SqlWriter<DB>,
) {
    write_name_and_columns::<T, DB>(out);
    out.push_sql(" AS (");
    query.to_sql(out);
    out.push_sql(")");
}

/// `name(a, b, …)`: a CTE's or derived table's name and its columns.
fn write_name_and_columns<T: Table, DB: Backend>(out: &mut SqlWriter<DB>) {
    out.push_identifier(T::DESCRIPTION.name);
    out.push_sql("(");
    for (i, column) in T::DESCRIPTION.columns.iter().enumerate() {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_identifier(column.name);
    }
    out.push_sql(")");
}

/// A query that only reads: a SELECT, a compound SELECT, a boxed SELECT, a statement with its
/// own WITH, `text(..)`. Any of them can be a CTE's body or a derived table.
pub trait ReadOnlyQuery {}

/// Rule: what a CTE's body may be on backend `DB`: a query that reads, or — where the backend
/// has data-modifying CTEs (PostgreSQL) — an INSERT, UPDATE or DELETE with RETURNING.
#[diagnostic::on_unimplemented(
    message = "an INSERT, UPDATE or DELETE inside WITH is not supported by the `{DB}` backend",
    label = "this CTE's body writes rows",
    note = "only PostgreSQL runs data-modifying statements in WITH; run the statement with `.returning(..)` first, then use its rows"
)]
pub trait CteBody<DB: Backend>: QueryFragment<DB> {}

#[diagnostic::do_not_recommend]
impl<DB: Backend, Q: ReadOnlyQuery + QueryFragment<DB>> CteBody<DB> for Q {}

#[diagnostic::do_not_recommend]
impl<DB, T, V, S, I, C> CteBody<DB> for super::InsertStatement<T, V, super::Returning<S, I>, C>
where
    DB: SupportsDataModifyingCte,
    Self: QueryFragment<DB>,
{
}

#[diagnostic::do_not_recommend]
impl<DB, T, W, Ch, S, I> CteBody<DB> for super::UpdateStatement<T, W, Ch, super::Returning<S, I>>
where
    DB: SupportsDataModifyingCte,
    Self: QueryFragment<DB>,
{
}

#[diagnostic::do_not_recommend]
impl<DB, T, W, S, I> CteBody<DB> for super::DeleteStatement<T, W, super::Returning<S, I>>
where
    DB: SupportsDataModifyingCte,
    Self: QueryFragment<DB>,
{
}

impl<C, Q: ReadOnlyQuery> ReadOnlyQuery for WithStatement<C, Q> {}

/// One CTE or a tuple of them, for `.with(..)`; later ones may read earlier ones.
pub trait CteList<DB: Backend> {
    /// Whether any of them is recursive.
    const RECURSIVE: bool;
    /// Writes the definitions, comma separated.
    fn write_definitions(&self, out: &mut SqlWriter<DB>);
    /// Binds their values.
    fn collect_cte_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether their SQL depends only on their types.
    fn ctes_are_static(&self) -> bool;
}

impl<T: Table, Q: CteBody<DB>, DB: Backend, const R: bool> CteList<DB> for Cte<T, Q, R> {
    const RECURSIVE: bool = R;
    fn write_definitions(&self, out: &mut SqlWriter<DB>) {
        write_definition::<T, Q, DB>(&self.query, out);
    }
    fn collect_cte_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.query.collect_binds(out)
    }
    fn ctes_are_static(&self) -> bool {
        self.query.has_static_sql()
    }
}

macro_rules! cte_tuples {
    ($($T:ident $I:ident $idx:tt),+) => {
        impl<DB: Backend, $($T: CteList<DB>),+> CteList<DB> for ($($T,)+) {
            const RECURSIVE: bool = false $(|| $T::RECURSIVE)+;
            fn write_definitions(&self, out: &mut SqlWriter<DB>) {
                $(
                    if $idx > 0 {
                        out.push_sql(", ");
                    }
                    self.$idx.write_definitions(out);
                )+
            }
            fn collect_cte_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                $(self.$idx.collect_cte_binds(out)?;)+
                Ok(())
            }
            fn ctes_are_static(&self) -> bool {
                true $(&& self.$idx.ctes_are_static())+
            }
        }
    };
}

crate::for_each_tuple!(cte_tuples);

/// `WITH ctes query`.
#[derive(Debug, Clone, Copy)]
#[must_use = "a query does nothing until it is run with `load`, `get_result`, `execute`, …"]
pub struct WithStatement<C, Q> {
    ctes: C,
    query: Q,
}

/// `.with(ctes)`, on every query: puts `WITH …` in front of it.
pub trait WithDsl: Query + Sized {
    /// `WITH ctes self`: one CTE from [`cte`] / [`recursive_cte`], or a tuple of them.
    fn with<C>(self, ctes: C) -> WithStatement<C, Self> {
        WithStatement { ctes, query: self }
    }
}

impl<Q: Query> WithDsl for Q {}

impl<C, Q: Query> Query for WithStatement<C, Q> {
    type SqlRow = Q::SqlRow;
}

impl<C, Q: Subquery> Subquery for WithStatement<C, Q> {
    type Outer = Q::Outer;
}

impl<C, Q> AsQuery for WithStatement<C, Q> {
    type Query = Self;
    fn into_query(self) -> Self {
        self
    }
    fn with_query<R>(&self, f: impl FnOnce(&Self) -> R) -> R {
        f(self)
    }
}

impl<C: CteList<DB>, Q: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for WithStatement<C, Q> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(if C::RECURSIVE && DB::RECURSIVE_KEYWORD {
            "WITH RECURSIVE "
        } else {
            "WITH "
        });
        self.ctes.write_definitions(out);
        out.push_sql(" ");
        self.query.to_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.ctes.collect_cte_binds(out)?;
        self.query.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.ctes.ctes_are_static() && self.query.has_static_sql()
    }
}

/// A query in FROM under the name and columns of table `T`: `(…) AS name`.
#[derive(Debug, Clone, Copy)]
pub struct DerivedTable<T, Q> {
    query: Q,
    _table: PhantomData<T>,
}

/// `.into_table(t)`, on every query: use it in FROM as table `T`.
pub trait DerivedTableDsl: Query + Sized {
    /// This query as a FROM source named and typed as table `T` (declared with `table!`,
    /// never created): select from it, filter and join it through `T`'s columns.
    fn into_table<T>(self, _table: T) -> DerivedTable<T, Self>
    where
        T: Table,
        Self::SqlRow: MatchesColumns<T::AllColumnsSqlType>,
    {
        DerivedTable {
            query: self,
            _table: PhantomData,
        }
    }
}

impl<Q: Query> DerivedTableDsl for Q {}

impl<T: Table, Q: Copy> QuerySource for DerivedTable<T, Q> {
    type FromList = SingleFrom<T>;
    type DefaultSqlRow = T::AllColumnsSqlType;
    type Outer = ();
    fn write_default_selection<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        T::default().write_default_selection(out);
    }
}

impl<T: Table, Q: QueryFragment<DB> + ReadOnlyQuery + Copy, DB: Backend> FromClause<DB>
    for DerivedTable<T, Q>
{
    fn to_from_sql(&self, out: &mut SqlWriter<DB>) {
        if DB::DERIVED_COLUMN_ALIASES {
            out.push_sql("(");
            self.query.to_sql(out);
            out.push_sql(") AS ");
            write_name_and_columns::<T, DB>(out);
            return;
        }
        out.push_sql("(WITH ");
        write_definition::<T, Q, DB>(&self.query, out);
        out.push_sql(" SELECT * FROM ");
        out.push_identifier(T::DESCRIPTION.name);
        out.push_sql(if DB::TABLE_ALIAS_AS { ") AS " } else { ") " });
        out.push_identifier(T::DESCRIPTION.name);
    }
    fn collect_from_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.query.collect_binds(out)
    }
    fn has_static_from(&self) -> bool {
        self.query.has_static_sql()
    }
}

impl<T: Table, Q: Copy> AsQuery for DerivedTable<T, Q> {
    type Query = super::SelectStatement<Self>;
    fn into_query(self) -> Self::Query {
        super::SelectStatement::new(self)
    }
    fn with_query<R>(&self, f: impl FnOnce(&Self::Query) -> R) -> R {
        f(&super::SelectStatement::new(*self))
    }
}

// Joined without `.on(..)`, a derived table follows its declared table's foreign keys.
#[diagnostic::do_not_recommend]
impl<T: Table, Q: Copy, FL, I> JoinTarget<FL, I> for DerivedTable<T, Q>
where
    FL: JoinPath<T, I>,
{
    type Source = Self;
    type Condition = FL::Condition;
    fn into_parts(self) -> (Self, FL::Condition) {
        (self, FL::Condition::default())
    }
}
