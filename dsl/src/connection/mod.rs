//! The [`Connection`] trait every backend implements, and transactions on top of it.

mod transaction;
mod type_cache;

pub use transaction::TransactionDepth;
pub use type_cache::{SqlCache, SqlSource, TypeIdHasher, TypeIdMap};

use crate::backend::{Backend, IsolationLevel, SupportsIsolationLevels};
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::query::Query;
use crate::types::FromSqlRow;

/// A connection to one database.
///
/// Statements are run through [`crate::query::RunQueryDsl`]; this trait is what backends
/// implement. Each connection keeps a cache of prepared statements: a query whose SQL is fixed
/// by its type is rendered once and prepared once.
pub trait Connection: Sized {
    /// The SQL dialect.
    type Backend: Backend;
    /// A running query whose rows are read one at a time.
    /// `ST` is the SQL type of a row, `U` the Rust type it is read into.
    type Cursor<'c, ST, U>
    where
        Self: 'c;

    /// Runs one or more SQL statements separated by `;`, without parameters or results.
    fn batch_execute(&mut self, sql: &str) -> QueryResult<()>;

    /// Runs a statement and returns the number of rows it affected.
    fn execute_query<Q: QueryFragment<Self::Backend>>(&mut self, query: &Q) -> QueryResult<usize>;

    /// Runs a query and reads every row.
    fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Self::Backend>,
        U: FromSqlRow<Q::SqlRow, Self::Backend>;

    /// Runs a query and reads its first row; `NotFound` if there is none.
    fn load_first<Q, U>(&mut self, query: &Q) -> QueryResult<U>
    where
        Q: Query + QueryFragment<Self::Backend>,
        U: FromSqlRow<Q::SqlRow, Self::Backend>;

    /// Runs a query and returns a cursor over its rows.
    fn cursor<Q, U>(&mut self, query: &Q) -> QueryResult<Self::Cursor<'_, Q::SqlRow, U>>
    where
        Q: Query + QueryFragment<Self::Backend>,
        U: FromSqlRow<Q::SqlRow, Self::Backend>;

    /// How deep the current transaction nesting is (0 outside a transaction).
    fn transaction_depth(&mut self) -> &mut TransactionDepth;

    /// Runs `f` in a transaction: committed if it returns `Ok`, rolled back if it returns
    /// `Err` or panics. Inside another transaction it uses a savepoint, so an inner failure
    /// undoes only the inner work.
    fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<crate::Error>,
    {
        transaction::run(self, None, f)
    }

    /// Runs `f` in a transaction at isolation `level` (outermost transactions only: inside
    /// another transaction this returns an [`ErrorKind::InvalidQuery`](crate::ErrorKind) error
    /// without running `f`). A serialization failure or deadlock comes back as an error of that
    /// kind, after the rollback, so the caller can retry.
    fn transaction_with<T, E, F>(&mut self, level: IsolationLevel, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<crate::Error>,
        Self::Backend: SupportsIsolationLevels,
    {
        let begin = <Self::Backend as SupportsIsolationLevels>::begin_with_isolation(level);
        transaction::run(self, Some(begin), f)
    }
}
