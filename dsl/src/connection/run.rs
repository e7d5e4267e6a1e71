//! What [`crate::query::RunQueryDsl`] asks of a connection: to run a statement, and to read its
//! rows into a Rust type.
//!
//! Every [`Connection`] does both for each statement its backend can render. A connection whose
//! backend is chosen at run time (`philtre_engine::AnyConnection`) does them for each statement
//! every backend it may be connected to can render: a statement that needs a capability one of
//! them lacks does not compile against it.

use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::query::Query;
use crate::types::FromSqlRow;

use super::Connection;

/// A connection that can run statement `Q` and report the rows it affected.
pub trait RunsStatement<Q> {
    /// Runs `query` and returns the number of rows it affected.
    fn run_statement(&mut self, query: &Q) -> QueryResult<usize>;
}

/// A connection that can run query `Q` and read its rows as `U`.
pub trait LoadsRows<Q: Query, U> {
    /// Runs `query` and reads every row.
    fn load_rows(&mut self, query: &Q) -> QueryResult<Vec<U>>;
    /// Runs `query` and reads its first row; `NotFound` if there is none.
    fn load_first_row(&mut self, query: &Q) -> QueryResult<U>;
}

impl<C: Connection, Q: QueryFragment<C::Backend>> RunsStatement<Q> for C {
    #[inline]
    fn run_statement(&mut self, query: &Q) -> QueryResult<usize> {
        self.execute_query(query)
    }
}

impl<C, Q, U> LoadsRows<Q, U> for C
where
    C: Connection,
    Q: Query + QueryFragment<C::Backend>,
    U: FromSqlRow<Q::SqlRow, C::Backend>,
{
    #[inline]
    fn load_rows(&mut self, query: &Q) -> QueryResult<Vec<U>> {
        self.load_query(query)
    }
    #[inline]
    fn load_first_row(&mut self, query: &Q) -> QueryResult<U> {
        self.load_first(query)
    }
}
