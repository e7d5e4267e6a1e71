//! Running statements on a connection, and showing their SQL.

use std::fmt;

use crate::backend::{Backend, SqlWriter};
use crate::connection::{Connection, LoadsRows, RunsStatement};
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::schema::Table;
use crate::types::FromSqlRow;

use super::Query;
use super::clauses::{Limit, LimitValue};
use super::select::SelectStatement;
use super::source::QuerySource;

/// Turns a table or a statement into the statement to run (a table becomes `SELECT *`).
pub trait AsQuery {
    /// The statement.
    type Query;
    /// Converts.
    fn into_query(self) -> Self::Query;
    /// Lends the statement to `f` without consuming `self`: a statement lends itself, a FROM
    /// source (a table, a join) the `SELECT` over it. `debug_query` uses this, so that showing
    /// a query needs no clone of it.
    fn with_query<R>(&self, f: impl FnOnce(&Self::Query) -> R) -> R;
}

impl<T: Table> AsQuery for T {
    type Query = SelectStatement<T>;
    fn into_query(self) -> Self::Query {
        SelectStatement::new(self)
    }
    fn with_query<R>(&self, f: impl FnOnce(&Self::Query) -> R) -> R {
        f(&SelectStatement::new(*self))
    }
}

impl<L, R, K, On> AsQuery for super::Join<L, R, K, On>
where
    Self: QuerySource + Clone,
{
    type Query = SelectStatement<Self>;
    fn into_query(self) -> Self::Query {
        SelectStatement::new(self)
    }
    // `Clone`, not `Copy`: an ON condition may hold an owned bind value such as a `String`.
    #[allow(clippy::clone_on_copy)]
    fn with_query<Out>(&self, f: impl FnOnce(&Self::Query) -> Out) -> Out {
        f(&SelectStatement::new(self.clone()))
    }
}

macro_rules! identity_as_query {
    ($($ty:ident<$($g:ident),*>),*) => {$(
        impl<$($g),*> AsQuery for super::$ty<$($g),*> {
            type Query = Self;
            fn into_query(self) -> Self {
                self
            }
            fn with_query<Out>(&self, f: impl FnOnce(&Self) -> Out) -> Out {
                f(self)
            }
        }
    )*};
}

identity_as_query!(
    SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>,
    InsertStatement<T, V, R, C>,
    UpdateStatement<T, W, C, R, Rows>,
    DeleteStatement<T, W, R, Rows>,
    CompoundSelect<L, R, Op, O, Lim, Off>
);

/// A query that can be limited to one row, for `first`.
pub trait LimitOne {
    /// The query with `LIMIT 1`.
    type Output;
    /// Adds `LIMIT 1`.
    fn limit_one(self) -> Self::Output;
}

impl<F: QuerySource, S, D, W, G: super::GroupByClause, H, O, L: LimitValue, Off, Lk> LimitOne
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
{
    type Output = SelectStatement<F, S, D, W, G, H, O, Limit, Off, Lk>;
    fn limit_one(self) -> Self::Output {
        self.limit(1)
    }
}

/// Runs statements: `load`, `get_result`, `first`, `execute`, `cursor`.
///
/// Implemented for every table and statement; the connection decides the backend, and the
/// statement is checked against that backend (a `RETURNING` on a backend without it, say,
/// does not compile). A connection whose backend is chosen at run time checks it against every
/// backend it may be connected to.
pub trait RunQueryDsl<Conn>: AsQuery + Sized {
    /// Runs an INSERT, UPDATE, DELETE (or any statement) and returns the number of rows it
    /// affected.
    fn execute(self, conn: &mut Conn) -> QueryResult<usize>
    where
        Conn: RunsStatement<Self::Query>,
    {
        conn.run_statement(&self.into_query())
    }

    /// Runs the query and reads every row into `U`.
    fn load<U>(self, conn: &mut Conn) -> QueryResult<Vec<U>>
    where
        Conn: LoadsRows<Self::Query, U>,
    {
        conn.load_rows(&self.into_query())
    }

    /// Same as [`RunQueryDsl::load`].
    fn get_results<U>(self, conn: &mut Conn) -> QueryResult<Vec<U>>
    where
        Conn: LoadsRows<Self::Query, U>,
    {
        self.load(conn)
    }

    /// Runs the query and reads its first row; [`crate::ErrorKind::NotFound`] if there is none.
    /// Use `.optional()` on the result for zero-or-one.
    fn get_result<U>(self, conn: &mut Conn) -> QueryResult<U>
    where
        Conn: LoadsRows<Self::Query, U>,
    {
        conn.load_first_row(&self.into_query())
    }

    /// Adds `LIMIT 1` and reads that row; [`crate::ErrorKind::NotFound`] if there is none.
    fn first<U>(self, conn: &mut Conn) -> QueryResult<U>
    where
        Self::Query: LimitOne,
        Conn: LoadsRows<<Self::Query as LimitOne>::Output, U>,
    {
        conn.load_first_row(&self.into_query().limit_one())
    }

    /// Runs the query and returns a cursor whose `iter()` reads rows one at a time, without
    /// buffering them all.
    fn cursor<U>(
        self,
        conn: &mut Conn,
    ) -> QueryResult<Conn::Cursor<'_, <Self::Query as Query>::SqlRow, U>>
    where
        Conn: Connection,
        Self::Query: Query + QueryFragment<Conn::Backend>,
        U: FromSqlRow<<Self::Query as Query>::SqlRow, Conn::Backend>,
    {
        conn.cursor(&self.into_query())
    }
}

impl<Q: AsQuery, Conn> RunQueryDsl<Conn> for Q {}

/// The SQL and bind values of a statement for backend `DB`, for logging and tests.
///
/// ```
/// # use philtre::prelude::*;
/// # philtre::table! { users (id) { id -> Integer, name -> Text, } }
/// # fn show<DB: philtre::backend::Backend>() where i32: philtre::types::ToSql<Integer, DB> {
/// let q = users::table.filter(users::id.eq(1));
/// println!("{}", debug_query::<DB, _>(&q));
/// # }
/// ```
pub fn debug_query<DB: Backend, Q: AsQuery>(query: &Q) -> DebugQuery<DB>
where
    Q::Query: QueryFragment<DB>,
{
    query.with_query(|query| debug_fragment(query))
}

/// The body of [`debug_query`], through a trait object: one copy for every query type.
fn debug_fragment<DB: Backend>(query: &dyn QueryFragment<DB>) -> DebugQuery<DB> {
    let mut out = SqlWriter::<DB>::new();
    query.to_sql(&mut out);
    let mut binds: Vec<DB::BindValue<'_>> = Vec::new();
    let binds = match query.collect_binds(&mut binds) {
        Ok(()) => binds.iter().map(DB::debug_bind).collect(),
        Err(e) => vec![format!("<error: {e}>")],
    };
    DebugQuery {
        sql: out.finish(),
        binds,
        _backend: std::marker::PhantomData,
    }
}

/// What [`debug_query`] shows: `SQL -- binds: [..]`.
pub struct DebugQuery<DB> {
    sql: String,
    binds: Vec<String>,
    _backend: std::marker::PhantomData<DB>,
}

impl<DB> DebugQuery<DB> {
    /// The SQL text.
    pub fn sql(&self) -> &str {
        &self.sql
    }
    /// The bind values, formatted with `Debug`.
    pub fn binds(&self) -> &[String] {
        &self.binds
    }
}

impl<DB> fmt::Display for DebugQuery<DB> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -- binds: [{}]", self.sql, self.binds.join(", "))
    }
}

impl<DB> fmt::Debug for DebugQuery<DB> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
