//! What [`crate::query::RunQueryDsl`] asks of a connection: to run a statement, and to read its
//! rows into a Rust type.
//!
//! Every [`Connection`] does both for each statement its backend can render. A connection whose
//! backend is chosen at run time (`philtre_engine::AnyConnection`) does them for each statement
//! every backend it may be connected to can render: a statement that needs a capability one of
//! them lacks does not compile against it, and the error names the capability and the backend.
//!
//! The checks go through the connection's [`QueryConnection::Backends`]: [`OneBackend`] for a
//! connection of one backend, [`AnyOf3`] for one of three. Each has exactly one impl of
//! [`Renders`], so when a statement does not fit, the compiler follows that impl down to the
//! missing capability instead of stopping at "not satisfied".

use std::marker::PhantomData;

use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::query::{CtesDefined, Query};
use crate::types::FromSqlRow;

use super::Connection;

/// A connection that runs typed statements, and the backends they must be valid for.
pub trait QueryConnection {
    /// [`OneBackend<B>`] or [`AnyOf3<A, B, C>`].
    type Backends;

    /// How long the key lists of one statement may be (the ORM's selectin loading splits
    /// longer lists).
    fn key_list_limit(&self) -> KeyListLimit;
}

/// How long a key list one statement of a backend may carry: the ORM's selectin loading
/// splits longer lists into several statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyListLimit {
    /// The bind parameters one key list may use: the backend's limit less a tenth, left for
    /// the statement's other values.
    pub parameters: usize,
    /// Whether a one-column key list longer than that goes as one array parameter instead
    /// (PostgreSQL), so that it needs no splitting.
    pub arrays: bool,
}

impl KeyListLimit {
    /// How many keys of `width` columns one statement carries; `array_element`: whether the
    /// key is one column of a type the backend binds as an array element.
    pub fn keys_per_statement(self, width: usize, array_element: bool) -> usize {
        if self.takes_arrays(width, array_element) {
            usize::MAX
        } else {
            (self.parameters / width.max(1)).max(1)
        }
    }

    /// Whether `count` keys of `width` columns go as one array parameter: the list is longer
    /// than one statement's parameters and the key can travel as an array.
    pub(crate) fn sends_array(self, count: usize, width: usize, array_element: bool) -> bool {
        self.takes_arrays(width, array_element) && count * width > self.parameters
    }

    fn takes_arrays(self, width: usize, array_element: bool) -> bool {
        self.arrays && array_element && width == 1
    }
}

/// [`QueryConnection::key_list_limit`] for backend `DB`.
pub fn key_list_limit<DB: crate::backend::Backend>() -> KeyListLimit {
    KeyListLimit {
        parameters: DB::MAX_BIND_PARAMETERS - DB::MAX_BIND_PARAMETERS / 10,
        arrays: DB::ARRAY_KEY_LISTS,
    }
}

impl<C: Connection> QueryConnection for C {
    type Backends = OneBackend<C::Backend>;
    fn key_list_limit(&self) -> KeyListLimit {
        key_list_limit::<C::Backend>()
    }
}

/// The backends of a connection to one database.
pub struct OneBackend<DB>(PhantomData<DB>);

/// The backends of a connection to one of three databases, by their connection types.
pub struct AnyOf3<A, B, C>(PhantomData<(A, B, C)>);

/// Which of three connections a connection of [`AnyOf3`] is.
#[derive(Debug)]
pub enum OneOf3<A, B, C> {
    /// The first.
    First(A),
    /// The second.
    Second(B),
    /// The third.
    Third(C),
}

/// A connection that is one of three connections, known at run time.
pub trait Split3<A, B, C> {
    /// The connection inside.
    fn split(&mut self) -> OneOf3<&mut A, &mut B, &mut C>;
}

/// Backends (`Self`) that can all run statement `Q`, on connection `Conn`.
pub trait Renders<Q, Conn> {
    /// Runs `query` and returns the number of rows it affected.
    fn execute(conn: &mut Conn, query: &Q) -> QueryResult<usize>;
}

/// Backends (`Self`) that can all run query `Q` and read its rows as `U`, on connection `Conn`.
pub trait RendersRows<Q, U, Conn> {
    /// Runs `query` and reads every row.
    fn load(conn: &mut Conn, query: &Q) -> QueryResult<Vec<U>>;
    /// Runs `query` and reads its first row; `NotFound` if there is none.
    fn load_first(conn: &mut Conn, query: &Q) -> QueryResult<U>;
}

impl<DB, Q, Conn> Renders<Q, Conn> for OneBackend<DB>
where
    Conn: Connection<Backend = DB>,
    DB: crate::backend::Backend,
    Q: QueryFragment<DB>,
{
    #[inline]
    fn execute(conn: &mut Conn, query: &Q) -> QueryResult<usize> {
        conn.execute_query(query)
    }
}

impl<DB, Q, U, Conn> RendersRows<Q, U, Conn> for OneBackend<DB>
where
    Conn: Connection<Backend = DB>,
    DB: crate::backend::Backend,
    Q: Query + QueryFragment<DB> + CtesDefined<()>,
    U: FromSqlRow<Q::SqlRow, DB>,
{
    #[inline]
    fn load(conn: &mut Conn, query: &Q) -> QueryResult<Vec<U>> {
        conn.load_query(query)
    }
    #[inline]
    fn load_first(conn: &mut Conn, query: &Q) -> QueryResult<U> {
        conn.load_first(query)
    }
}

impl<A, B, C, Q, Conn> Renders<Q, Conn> for AnyOf3<A, B, C>
where
    Conn: Split3<A, B, C>,
    A: Connection,
    B: Connection,
    C: Connection,
    Q: QueryFragment<A::Backend> + QueryFragment<B::Backend> + QueryFragment<C::Backend>,
{
    #[inline]
    fn execute(conn: &mut Conn, query: &Q) -> QueryResult<usize> {
        match conn.split() {
            OneOf3::First(c) => c.execute_query(query),
            OneOf3::Second(c) => c.execute_query(query),
            OneOf3::Third(c) => c.execute_query(query),
        }
    }
}

impl<A, B, C, Q, U, Conn> RendersRows<Q, U, Conn> for AnyOf3<A, B, C>
where
    Conn: Split3<A, B, C>,
    A: Connection,
    B: Connection,
    C: Connection,
    Q: Query
        + QueryFragment<A::Backend>
        + QueryFragment<B::Backend>
        + QueryFragment<C::Backend>
        + CtesDefined<()>,
    U: FromSqlRow<Q::SqlRow, A::Backend>
        + FromSqlRow<Q::SqlRow, B::Backend>
        + FromSqlRow<Q::SqlRow, C::Backend>,
{
    #[inline]
    fn load(conn: &mut Conn, query: &Q) -> QueryResult<Vec<U>> {
        match conn.split() {
            OneOf3::First(c) => c.load_query(query),
            OneOf3::Second(c) => c.load_query(query),
            OneOf3::Third(c) => c.load_query(query),
        }
    }
    #[inline]
    fn load_first(conn: &mut Conn, query: &Q) -> QueryResult<U> {
        match conn.split() {
            OneOf3::First(c) => c.load_first(query),
            OneOf3::Second(c) => c.load_first(query),
            OneOf3::Third(c) => c.load_first(query),
        }
    }
}

/// A connection that can run statement `Q` and report the rows it affected.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run this statement: it is not a blocking connection",
    label = "a blocking connection is needed here",
    note = "for an async connection (`AsyncPgConnection`, `AsyncMysqlConnection`, `AsyncSqliteConnection`, a pooled async one), import `philtre::async_prelude::*` instead of `philtre::prelude::*` and `.await` the call"
)]
pub trait RunsStatement<Q> {
    /// Runs `query` and returns the number of rows it affected.
    fn run_statement(&mut self, query: &Q) -> QueryResult<usize>;
}

/// A connection that can run query `Q` and read its rows as `U` (one bound for both, so that
/// a query that can neither be rendered nor read is reported once).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot run this statement: it is not a blocking connection",
    label = "a blocking connection is needed here",
    note = "for an async connection (`AsyncPgConnection`, `AsyncMysqlConnection`, `AsyncSqliteConnection`, a pooled async one), import `philtre::async_prelude::*` instead of `philtre::prelude::*` and `.await` the call"
)]
pub trait LoadsRows<Q, U> {
    /// Runs `query` and reads every row.
    fn load_rows(&mut self, query: &Q) -> QueryResult<Vec<U>>;
    /// Runs `query` and reads its first row; `NotFound` if there is none.
    fn load_first_row(&mut self, query: &Q) -> QueryResult<U>;
}

impl<Conn: QueryConnection, Q> RunsStatement<Q> for Conn
where
    Conn::Backends: Renders<Q, Conn>,
{
    #[inline]
    fn run_statement(&mut self, query: &Q) -> QueryResult<usize> {
        <Conn::Backends as Renders<Q, Conn>>::execute(self, query)
    }
}

impl<Conn: QueryConnection, Q, U> LoadsRows<Q, U> for Conn
where
    Conn::Backends: RendersRows<Q, U, Conn>,
{
    #[inline]
    fn load_rows(&mut self, query: &Q) -> QueryResult<Vec<U>> {
        <Conn::Backends as RendersRows<Q, U, Conn>>::load(self, query)
    }
    #[inline]
    fn load_first_row(&mut self, query: &Q) -> QueryResult<U> {
        <Conn::Backends as RendersRows<Q, U, Conn>>::load_first(self, query)
    }
}
