//! The [`Connection`] trait every backend implements, and transactions on top of it.

mod async_connection;
mod instrumentation;
#[cfg(feature = "tracing")]
mod logging;
mod modes;
mod options;
mod run;
mod transaction;
mod type_cache;

pub use async_connection::{
    AsyncConnection, AsyncTransactions, Awaiting, Blocking, interrupted_error, transaction_async,
};
pub(crate) use async_connection::{close_level_async, open_level_async};
pub use instrumentation::{Event, Instrumentation, Instrumented, StatementWatch};
#[cfg(feature = "tracing")]
pub use logging::{SqlLog, TARGET as LOG_TARGET};
pub(crate) use modes::join_futures;
pub(crate) use modes::now;
pub use modes::{Pipelines, ReadsRows};
pub use options::{
    ConnectOptions, DEFAULT_CONNECT_TIMEOUT, display_limit, enabled, parse_duration,
    take_url_parameters, whole_millis,
};
pub use run::{
    AnyOf3, KeyListLimit, LoadsRows, OneBackend, OneOf3, QueryConnection, Renders, RendersRows,
    RunsStatement, Split3, key_list_limit,
};
pub use transaction::{TransactionControl, TransactionDepth, run_transaction};
pub(crate) use transaction::{close_level, open_level};
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
pub trait Connection: Sized + Send {
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

    /// The connection's instrumentation (see [`Instrumentation`]).
    fn instrumentation(&mut self) -> &mut Instrumented;

    /// Reports every statement and transaction boundary of this connection to
    /// `instrumentation` from now on (`None` stops it).
    fn set_instrumentation(
        &mut self,
        instrumentation: Option<std::sync::Arc<dyn Instrumentation>>,
    ) {
        self.instrumentation().set(instrumentation);
    }

    /// Whether the connection is known to be unusable (the server ended the session, the link
    /// broke, an answer did not come within the read timeout), without asking the server. A
    /// broken connection fails every call with an [`ErrorKind::Connection`](crate::ErrorKind)
    /// error; open a new one. `false` does not promise the next call works: [`Self::ping`] asks.
    fn is_broken(&self) -> bool;

    /// Asks the server whether the connection still works, with one round trip. An error of
    /// kind [`ErrorKind::Connection`](crate::ErrorKind) means it does not.
    fn ping(&mut self) -> QueryResult<()>;

    /// Makes the connection ready for its next user, as a pool does when a connection comes
    /// back (SQLAlchemy's "reset on return"): a transaction left open — by a guard dropped
    /// inside one, or by a `BEGIN` run as raw SQL — is rolled back, so nothing uncommitted
    /// reaches the next user. Costs nothing when no transaction can be open; an error means
    /// the connection should be discarded.
    ///
    /// The default rolls back when [`Connection::transaction_depth`] says a transaction is
    /// open; backends also check what raw SQL may have started.
    fn reset(&mut self) -> QueryResult<()> {
        if self.transaction_depth().get() == 0 {
            return Ok(());
        }
        self.transaction_depth().clear();
        self.execute_control("ROLLBACK")
    }

    /// The key the last INSERT on this connection generated for its first row, where the
    /// backend reports keys that way ([`crate::backend::GeneratedKeys::FirstInsertId`]:
    /// MySQL's `LAST_INSERT_ID()`, read from the server's answer without a query). `None`
    /// elsewhere, and when the last INSERT generated no key.
    fn last_insert_id(&self) -> Option<u64> {
        None
    }

    /// The rowid of the last row the last top-level INSERT on this connection inserted, where
    /// the backend keeps one (SQLite's `last_insert_rowid()`; rows inserted by triggers do not
    /// count). `None` elsewhere.
    fn last_insert_rowid(&self) -> Option<i64> {
        None
    }

    /// The step between consecutive generated keys (MySQL's `@@auto_increment_increment`,
    /// asked of the server); 1 where keys always step by one.
    fn auto_increment_step(&mut self) -> QueryResult<u64> {
        Ok(1)
    }

    /// How this connection's server reads a backslash in a quoted string literal. Only DDL
    /// writes literals (column defaults, comments); values are always bound. The default is
    /// the SQL standard's: as an ordinary character.
    fn string_escapes(&self) -> crate::backend::StringEscapes {
        crate::backend::StringEscapes::Standard
    }

    /// Runs a transaction-control statement (BEGIN, SAVEPOINT, COMMIT, ROLLBACK, RELEASE):
    /// as [`Connection::batch_execute`], but an instrumentation sees it as a
    /// [`Event::Begin`] / `Commit` / `Rollback`, not as a statement.
    fn execute_control(&mut self, sql: &str) -> QueryResult<()> {
        self.batch_execute(sql)
    }

    /// Starts an outermost transaction; [`Connection::transaction`] calls it. The default is
    /// `BEGIN`.
    fn begin_transaction(&mut self) -> QueryResult<()> {
        self.execute_control("BEGIN")
    }

    /// Commits the outermost transaction (`savepoint` is `None`) or releases a savepoint, and
    /// fails unless the database kept the work; [`Connection::transaction`] calls it. The
    /// default runs `COMMIT` / `RELEASE SAVEPOINT name`; backends add the checks their database
    /// needs (PostgreSQL answers COMMIT of an aborted transaction with a rollback, not an
    /// error).
    fn commit_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        match savepoint {
            None => self.execute_control("COMMIT"),
            Some(name) => self.execute_control(&format!("RELEASE SAVEPOINT {name}")),
        }
    }

    /// Rolls back the outermost transaction, or the work since a savepoint (then releases it);
    /// [`Connection::transaction`] calls it.
    fn rollback_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        match savepoint {
            None => self.execute_control("ROLLBACK"),
            Some(name) => {
                // Two statements, not one batch: not every driver runs several per call.
                self.execute_control(&format!("ROLLBACK TO SAVEPOINT {name}"))?;
                self.execute_control(&format!("RELEASE SAVEPOINT {name}"))
            }
        }
    }

    /// Runs `f` in a transaction: committed if it returns `Ok`, rolled back if it returns
    /// `Err` or panics. Inside another transaction it uses a savepoint, so an inner failure
    /// undoes only the inner work.
    ///
    /// `Ok` means the database kept the work. If `f` returns `Ok` after a statement in it
    /// failed and the database had aborted the transaction for it (PostgreSQL does at any
    /// error), the result is an [`ErrorKind::TransactionAborted`](crate::ErrorKind) error:
    /// wrap a statement whose failure you mean to tolerate in a nested `transaction`.
    fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<crate::Error>,
    {
        run_transaction(self, None, f)
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
        let begin: Vec<&str> = begin.iter().map(String::as_str).collect();
        run_transaction(self, Some(&begin), f)
    }
}
