//! [`AsyncConnection`]: the async twin of [`Connection`](super::Connection), and async
//! transactions on top of it.
//!
//! Statements render exactly as on a blocking connection (the same `QueryFragment` code, the
//! same SQL); only sending them and reading the answer is awaited. Every future an
//! `AsyncConnection` returns is `Send`, so it can run in `tokio::spawn` and in axum handlers.
//!
//! **Cancellation.** A future may be dropped at any `.await` (a client went away, a `timeout`
//! fired). Two rules keep that from leaking into the next user of the connection:
//!
//! - a statement whose future was dropped before its answer was read leaves the connection
//!   *interrupted*: [`AsyncConnection::is_broken`] says so, every later call fails with an
//!   [`ErrorKind::Connection`] error, and a pool discards it;
//! - a transaction whose future was dropped between statements is *abandoned*: the next call on
//!   the connection (or the pool, when it takes the connection back) first rolls back what it
//!   left open.

use std::future::Future;

use crate::backend::Backend;
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::QueryFragment;
use crate::query::Query;
use crate::types::FromSqlRow;

use super::{Event, Instrumented, TransactionDepth};

/// Code that runs on blocking connections ([`super::Connection`]): a mode of the code written
/// once for both kinds (the ORM's `Session`, a multi-row INSERT's `execute`).
#[derive(Debug, Clone, Copy)]
pub struct Blocking;

/// Code that runs on async connections ([`AsyncConnection`]); see [`Blocking`].
#[derive(Debug, Clone, Copy)]
pub struct Awaiting;

/// The transaction state of an async connection: how deep it is, and the level a dropped
/// transaction future left open, if any.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct AsyncTransactions {
    depth: TransactionDepth,
    abandoned: Option<u32>,
}

impl AsyncTransactions {
    /// 0 outside a transaction, 1 inside one, 2 inside a savepoint, …
    pub fn depth(&self) -> u32 {
        self.depth.get()
    }

    /// The level a transaction future was dropped at before it ended, if any; the next call
    /// rolls it back ([`AsyncConnection::settle`]).
    pub fn abandoned(&self) -> Option<u32> {
        self.abandoned
    }

    /// Back to no transaction, after the connection ended it by other means.
    pub fn clear(&mut self) {
        self.depth.clear();
        self.abandoned = None;
    }

    /// Marks `level` abandoned: its future (or the session holding it) was dropped before it
    /// ended; the next call rolls back to before it. The outermost abandoned level wins.
    pub fn abandon(&mut self, level: u32) {
        self.abandoned = Some(self.abandoned.map_or(level, |known| known.min(level)));
    }

    /// Whether a transaction may be open.
    pub fn any_open(&self) -> bool {
        self.depth.get() > 0 || self.abandoned.is_some()
    }
}

/// A connection to one database whose calls are awaited.
///
/// Backends implement it (`AsyncPgConnection`, `AsyncMysqlConnection`,
/// `AsyncSqliteConnection`); statements are run through
/// [`AsyncRunQueryDsl`](crate::query::AsyncRunQueryDsl) (`query.load(&mut conn).await`).
pub trait AsyncConnection: Send + Sized {
    /// The SQL dialect.
    type Backend: Backend;

    /// Runs one or more SQL statements separated by `;`, without parameters or results.
    fn batch_execute(&mut self, sql: &str) -> impl Future<Output = QueryResult<()>> + Send;

    /// Runs a statement and returns the number of rows it affected.
    fn execute_query<Q>(&mut self, query: &Q) -> impl Future<Output = QueryResult<usize>> + Send
    where
        Q: QueryFragment<Self::Backend> + Sync;

    /// Runs a query and reads every row.
    fn load_query<Q, U>(&mut self, query: &Q) -> impl Future<Output = QueryResult<Vec<U>>> + Send
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static;

    /// Runs a query and reads its first row; `NotFound` if there is none.
    fn load_first<Q, U>(&mut self, query: &Q) -> impl Future<Output = QueryResult<U>> + Send
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static;

    /// The rows of a streamed query ([`AsyncConnection::load_stream`]), decoded one at a
    /// time; it borrows the connection until it is dropped.
    type RowStream<'c, U>: futures_core::Stream<Item = QueryResult<U>> + Send + 'c
    where
        Self: 'c,
        U: Send + 'static;

    /// Runs a query and hands its rows over as they arrive, without holding them all in
    /// memory. A stream dropped before its end leaves a PostgreSQL or MySQL connection broken
    /// (its answer was not read to the end), as a dropped statement future does; read it to
    /// the end to keep the connection. The read timeout bounds the start, not each row.
    fn load_stream<'c, Q, U>(
        &'c mut self,
        query: &Q,
    ) -> impl Future<Output = QueryResult<Self::RowStream<'c, U>>> + Send
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static;

    /// A second handle on this connection's session, for reads that may go out before the
    /// answers to this handle's come back (pipelining): PostgreSQL's (`Self`, sharing the
    /// socket, the statement cache and the transaction); `Self` elsewhere, where
    /// [`AsyncConnection::pipeline_lane`] gives none.
    type Lane: AsyncConnection<Backend = Self::Backend>;

    /// A [`AsyncConnection::Lane`], where the backend can answer two handles' statements in
    /// order on one session: the relationship loaders send the queries of sibling
    /// relationships through lanes, so that they share a round trip. `None` (the default)
    /// where it cannot; loads then run one statement after another. A lane reads only inside
    /// the statements of its connection's current transaction, and a lane dropped with a
    /// statement unanswered breaks the connection, as a dropped statement future does.
    fn pipeline_lane(&mut self) -> Option<Self::Lane> {
        None
    }

    /// The connection's transaction state.
    fn transactions(&mut self) -> &mut AsyncTransactions;

    /// The connection's instrumentation (see [`super::Instrumentation`]).
    fn instrumentation(&mut self) -> &mut Instrumented;

    /// Whether the connection is known to be unusable: the server ended the session, the link
    /// broke, an answer did not come within the read timeout, or a statement's future was
    /// dropped before its answer was read. Asks nothing of the server.
    fn is_broken(&self) -> bool;

    /// The key the last INSERT generated for its first row, where the backend reports keys
    /// that way (MySQL); see [`super::Connection::last_insert_id`].
    fn last_insert_id(&self) -> Option<u64> {
        None
    }

    /// The rowid of the last row the last INSERT inserted (SQLite); see
    /// [`super::Connection::last_insert_rowid`].
    fn last_insert_rowid(&self) -> Option<i64> {
        None
    }

    /// The step between consecutive generated keys (MySQL's `@@auto_increment_increment`).
    fn auto_increment_step(&mut self) -> impl Future<Output = QueryResult<u64>> + Send {
        std::future::ready(Ok(1))
    }

    /// Asks the server whether the connection still works, with one round trip.
    fn ping(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        self.batch_execute("SELECT 1")
    }

    /// Runs a transaction-control statement (BEGIN, SAVEPOINT, COMMIT, ROLLBACK, RELEASE),
    /// which an instrumentation sees as a transaction boundary, not as a statement.
    fn execute_control(&mut self, sql: &str) -> impl Future<Output = QueryResult<()>> + Send {
        self.batch_execute(sql)
    }

    /// Starts an outermost transaction. The default is `BEGIN`.
    fn begin_transaction(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        self.execute_control("BEGIN")
    }

    /// Commits the outermost transaction (`savepoint` is `None`) or releases a savepoint, and
    /// fails unless the database kept the work.
    fn commit_transaction(
        &mut self,
        savepoint: Option<&str>,
    ) -> impl Future<Output = QueryResult<()>> + Send {
        let sql = match savepoint {
            None => "COMMIT".to_owned(),
            Some(name) => format!("RELEASE SAVEPOINT {name}"),
        };
        async move { self.execute_control(&sql).await }
    }

    /// Rolls back the outermost transaction, or the work since a savepoint (then releases it).
    fn rollback_transaction(
        &mut self,
        savepoint: Option<&str>,
    ) -> impl Future<Output = QueryResult<()>> + Send {
        let savepoint = savepoint.map(str::to_owned);
        async move {
            match savepoint {
                None => self.execute_control("ROLLBACK").await,
                Some(name) => {
                    self.execute_control(&format!("ROLLBACK TO SAVEPOINT {name}"))
                        .await?;
                    self.execute_control(&format!("RELEASE SAVEPOINT {name}"))
                        .await
                }
            }
        }
    }

    /// Rolls back what a dropped transaction future left open (see the module documentation);
    /// nothing when nothing was left. Backends call it at the start of every statement
    /// (`batch_execute`, `execute_query`, `load_query`, `load_first`, `load_stream`), so raw
    /// SQL after an abandoned transaction runs outside it too.
    fn settle(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        async move {
            let Some(level) = self.transactions().abandoned else {
                return Ok(());
            };
            self.transactions().abandoned = None;
            let savepoint = (level > 1).then(|| savepoint_name(level - 1));
            self.transactions().depth = depth_of(level - 1);
            let outcome = self.rollback_transaction(savepoint.as_deref()).await;
            self.instrumentation()
                .emit(Event::Rollback { depth: level });
            outcome
        }
    }

    /// Whether [`AsyncConnection::reset`] has work to do: a transaction may be open (a pool
    /// asks when a connection comes back, so that a return costs nothing when nothing is
    /// open). Backends add what raw SQL may have started.
    fn needs_reset(&mut self) -> bool {
        self.transactions().any_open()
    }

    /// Makes the connection ready for its next user, as a pool does when it takes a
    /// connection back: a transaction left open (by a dropped future, or a `BEGIN` run as raw
    /// SQL where the backend can tell) is rolled back. An error means: discard the connection.
    fn reset(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        async move {
            if !self.transactions().any_open() {
                return Ok(());
            }
            self.transactions().clear();
            self.execute_control("ROLLBACK").await
        }
    }
}

/// The name of the savepoint a transaction at `depth` (1 = outermost) opens for the next level.
fn savepoint_name(depth: u32) -> String {
    format!("philtre_savepoint_{depth}")
}

fn depth_of(level: u32) -> TransactionDepth {
    let mut depth = TransactionDepth::default();
    depth.set(level);
    depth
}

/// Marks a transaction level abandoned unless its future ran to the end.
struct LevelGuard<'c, C: AsyncConnection> {
    conn: &'c mut C,
    level: u32,
    ended: bool,
}

impl<C: AsyncConnection> Drop for LevelGuard<'_, C> {
    fn drop(&mut self) {
        if !self.ended {
            self.conn.transactions().abandon(self.level);
        }
    }
}

/// Opens one transaction level on an async connection: a transaction at depth 0, a savepoint
/// inside one. Returns the savepoint's name (`None` for an outermost transaction) and the new
/// level (see the blocking `open_level`).
pub(crate) async fn open_level_async<C: AsyncConnection>(
    conn: &mut C,
) -> QueryResult<(Option<String>, u32)> {
    conn.settle().await?;
    let depth = conn.transactions().depth();
    let savepoint = (depth > 0).then(|| savepoint_name(depth));
    match &savepoint {
        None => conn.begin_transaction().await?,
        Some(name) => conn.execute_control(&format!("SAVEPOINT {name}")).await?,
    }
    let level = depth + 1;
    conn.transactions().depth.set(level);
    conn.instrumentation().emit(Event::Begin { depth: level });
    Ok((savepoint, level))
}

/// Ends what [`open_level_async`] opened: COMMIT / RELEASE when `keep` (a failed COMMIT is
/// rolled back, and its error returned), otherwise ROLLBACK.
pub(crate) async fn close_level_async<C: AsyncConnection>(
    conn: &mut C,
    savepoint: Option<&str>,
    level: u32,
    keep: bool,
) -> QueryResult<()> {
    conn.transactions().depth.set(level - 1);
    if keep {
        match conn.commit_transaction(savepoint).await {
            Ok(()) => {
                conn.instrumentation().emit(Event::Commit { depth: level });
                return Ok(());
            }
            Err(e) => {
                let _ = conn.rollback_transaction(savepoint).await;
                conn.instrumentation()
                    .emit(Event::Rollback { depth: level });
                return Err(e);
            }
        }
    }
    let outcome = conn.rollback_transaction(savepoint).await;
    conn.instrumentation()
        .emit(Event::Rollback { depth: level });
    outcome
}

/// Runs `f` in a transaction on an async connection (a savepoint when nested): committed if
/// `f` returns `Ok`, rolled back if it returns `Err`, panics, or its future is dropped (then
/// rolled back by the next call on the connection, or by the pool).
///
/// `Ok` means the database kept the work. Async connections also have this as their
/// `transaction` method.
///
/// ```no_run
/// # use philtre::connection::{AsyncConnection, transaction_async};
/// # async fn f<C: AsyncConnection>(conn: &mut C) -> philtre::QueryResult<()> {
/// transaction_async(conn, async |conn| {
///     conn.batch_execute("UPDATE accounts SET balance = balance - 10 WHERE id = 1").await?;
///     conn.batch_execute("UPDATE accounts SET balance = balance + 10 WHERE id = 2").await
/// })
/// .await
/// # }
/// ```
pub async fn transaction_async<C, T, E, F>(conn: &mut C, f: F) -> Result<T, E>
where
    C: AsyncConnection,
    F: AsyncFnOnce(&mut C) -> Result<T, E>,
    E: From<Error>,
{
    let (savepoint, level) = open_level_async(conn).await?;
    let mut guard = LevelGuard {
        conn,
        level,
        ended: false,
    };
    let outcome = f(&mut *guard.conn).await;
    let conn = &mut *guard.conn;
    // A nested transaction whose future `f` dropped is rolled back to its savepoint first.
    let result = match (outcome, conn.settle().await) {
        (Ok(value), Ok(())) => close_level_async(conn, savepoint.as_deref(), level, true)
            .await
            .map(|()| value)
            .map_err(E::from),
        (Ok(_), Err(e)) => {
            let _ = close_level_async(conn, savepoint.as_deref(), level, false).await;
            Err(e.into())
        }
        (Err(e), _) => {
            // The first error is the one worth reporting; a failing ROLLBACK means the
            // connection is broken, and the next statement says so.
            let _ = close_level_async(conn, savepoint.as_deref(), level, false).await;
            Err(e)
        }
    };
    guard.ended = true;
    result
}

/// The error every call on an interrupted async connection returns.
#[cold]
pub fn interrupted_error() -> Error {
    Error::new(
        ErrorKind::Connection,
        "a statement on this connection was interrupted (its future was dropped before the \
         answer was read), so what the connection would read next is unknown; it can no longer \
         be used (a pool discards it)",
    )
}
