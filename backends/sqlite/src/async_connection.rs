//! [`AsyncSqliteConnection`]: SQLite for async code, on a thread of its own.
//!
//! SQLite has no socket to wait on: its calls are CPU and disk work that would block an async
//! runtime's worker. So each async connection owns a thread that owns a
//! [`SqliteConnection`]; a call renders its statement where it is made (the same SQL as the
//! blocking connection), sends the text and the values to that thread in one message, and
//! awaits one answer with every row, already decoded. That is one hop per statement, never one
//! per row, and one per unit of work with [`AsyncSqliteConnection::interact`].

use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;
use std::sync::mpsc;

use philtre::backend::{BindSink, SqlWriter};
use philtre::connection::{
    AsyncConnection, AsyncTransactions, ConnectOptions, Connection, Instrumentation, Instrumented,
    SqlCache, transaction_async,
};
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};

use crate::{Sqlite, SqliteConnection};

/// A unit of work for the connection's thread.
type Job = Box<dyn FnOnce(&mut SqliteConnection) + Send>;

/// An SQLite connection for async code: a [`SqliteConnection`] on a thread of its own.
///
/// ```
/// use philtre::async_prelude::*;
/// use philtre_sqlite::AsyncSqliteConnection;
/// philtre::table! { users (id) { id -> Integer, name -> Text, } }
///
/// # async fn run() -> Result<(), philtre::Error> {
/// let mut conn = AsyncSqliteConnection::open(":memory:").await?;
/// conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)").await?;
/// insert_into(users::table).values(users::name.eq("Ada")).execute(&mut conn).await?;
/// let names: Vec<String> = users::table.select(users::name).load(&mut conn).await?;
/// assert_eq!(names, ["Ada"]);
/// # Ok(())
/// # }
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(run()).unwrap();
/// ```
///
/// A statement whose future is dropped still runs to its end on the thread (SQLite cannot stop
/// it halfway without [`SqliteConnection::interrupt_handle`]), so the connection is never left
/// half-way through an answer and stays usable.
pub struct AsyncSqliteConnection {
    jobs: Option<mpsc::Sender<Job>>,
    worker: Option<std::thread::JoinHandle<()>>,
    sql: SqlCache,
    transactions: AsyncTransactions,
    instrumented: Instrumented,
    /// The instrumentation the thread's connection was last given: `instrumented` set through
    /// [`AsyncConnection::instrumentation`] reaches the thread with the next job.
    instrumentation_sent: Option<Arc<dyn Instrumentation>>,
    /// Raw SQL (or `interact`) ran since the last reset, so a transaction may be open that
    /// `transactions` does not know of.
    raw_sql_ran: bool,
    /// The thread's `last_insert_rowid()` after the last statement run through `execute`.
    last_rowid: Option<i64>,
}

impl std::fmt::Debug for AsyncSqliteConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncSqliteConnection")
            .field("transactions", &self.transactions)
            .finish_non_exhaustive()
    }
}

impl AsyncSqliteConnection {
    /// Writes the schemas of tables through `map` from now on (SQLAlchemy's
    /// `schema_translate_map`): a table declared without a schema goes to the one
    /// `map.map(None, "tenant_7")` names, and so on. `None` writes schemas as declared again.
    /// The statements cached so far are forgotten.
    pub fn set_schema_translate_map(&mut self, map: Option<philtre::schema::SchemaTranslateMap>) {
        self.sql.set_schema_map(map);
    }

    /// Opens a database on a thread of its own; `target` is what [`SqliteConnection::open`]
    /// takes.
    pub async fn open(target: &str) -> QueryResult<Self> {
        Self::open_with(target, &ConnectOptions::new()).await
    }

    /// Opens with options set in code (see [`SqliteConnection::open_with`]).
    pub async fn open_with(target: &str, options: &ConnectOptions) -> QueryResult<Self> {
        let target = target.to_owned();
        let options = *options;
        Self::start(move || SqliteConnection::open_with(&target, &options)).await
    }

    /// Moves an open blocking connection onto a thread of its own.
    pub async fn from_connection(conn: SqliteConnection) -> QueryResult<Self> {
        Self::start(move || Ok(conn)).await
    }

    async fn start(
        open: impl FnOnce() -> QueryResult<SqliteConnection> + Send + 'static,
    ) -> QueryResult<Self> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (opened, opening) = tokio::sync::oneshot::channel();
        let worker = std::thread::Builder::new()
            .name("philtre-sqlite".to_owned())
            .spawn(move || {
                let mut conn = match open() {
                    Ok(conn) => {
                        let _ = opened.send(Ok(()));
                        conn
                    }
                    Err(e) => {
                        let _ = opened.send(Err(e));
                        return;
                    }
                };
                // Ends when the async connection is dropped (its sender with it).
                while let Ok(job) = inbox.recv() {
                    job(&mut conn);
                }
            })
            .map_err(|e| {
                Error::new(
                    ErrorKind::Connection,
                    format!("cannot start the SQLite connection's thread: {e}"),
                )
            })?;
        match opening.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(thread_gone()),
        }
        Ok(AsyncSqliteConnection {
            jobs: Some(jobs),
            worker: Some(worker),
            sql: SqlCache::default(),
            transactions: AsyncTransactions::default(),
            instrumented: Instrumented::default(),
            instrumentation_sent: None,
            raw_sql_ran: false,
            last_rowid: None,
        })
    }

    /// Runs `f` on the connection's thread with the blocking connection, and awaits its
    /// result: one hop for a whole unit of work (many statements, a `Session` flush, a
    /// `load_with`), where the async calls take one hop each. `f` must not open a transaction
    /// it does not close (the async connection does not see it).
    ///
    /// A panic in `f` is raised again here; an error of kind
    /// [`ErrorKind::Connection`] means the thread ended (after an earlier panic).
    pub async fn interact<T, F>(&mut self, f: F) -> QueryResult<T>
    where
        F: FnOnce(&mut SqliteConnection) -> T + Send + 'static,
        T: Send + 'static,
    {
        self.raw_sql_ran = true;
        self.call_raw(f).await
    }

    /// Runs `f` on the thread, with the thread's connection at this connection's transaction
    /// depth.
    async fn call<T, F>(&mut self, f: F) -> QueryResult<T>
    where
        F: FnOnce(&mut SqliteConnection) -> QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let depth = self.transactions.depth();
        self.call_raw(move |conn| {
            conn.transaction_depth().set(depth);
            f(conn)
        })
        .await?
    }

    async fn call_raw<T, F>(&mut self, f: F) -> QueryResult<T>
    where
        F: FnOnce(&mut SqliteConnection) -> T + Send + 'static,
        T: Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        self.send_job(Box::new(move |conn| {
            let outcome = catch_unwind(AssertUnwindSafe(|| f(conn)));
            let _ = answer.send(outcome);
        }))?;
        match answered.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panic)) => resume_unwind(panic),
            Err(_) => Err(thread_gone()),
        }
    }

    /// Sends `job` to the thread, first giving the thread's connection the instrumentation
    /// set here since the last job, if it changed.
    fn send_job(&mut self, job: Job) -> QueryResult<()> {
        let current = self.instrumented.get();
        let changed = match (current, &self.instrumentation_sent) {
            (Some(current), Some(sent)) => !Arc::ptr_eq(current, sent),
            (None, None) => false,
            _ => true,
        };
        let job: Job = if changed {
            let instrumentation = current.cloned();
            self.instrumentation_sent.clone_from(&instrumentation);
            Box::new(move |conn| {
                conn.set_instrumentation(instrumentation);
                job(conn);
            })
        } else {
            job
        };
        let sent = self.jobs.as_ref().map(|jobs| jobs.send(job));
        if !matches!(sent, Some(Ok(()))) {
            return Err(thread_gone());
        }
        Ok(())
    }

    /// The statement as text and owned values, to send to the thread.
    fn owned<Q, ST>(&mut self, query: &Q) -> QueryResult<OwnedStatement<ST>>
    where
        Q: QueryFragment<Sqlite>,
    {
        let (sql, _) = self.sql.sql_for(typeid::of::<Q>(), query);
        let mut binds = OwnedBinds(Vec::new());
        query.collect_binds(&mut binds)?;
        Ok(OwnedStatement {
            sql,
            binds: binds.0,
            _row: PhantomData,
        })
    }

    /// Reports every statement and transaction boundary of this connection to
    /// `instrumentation` from now on (`None` stops it).
    pub async fn set_instrumentation(
        &mut self,
        instrumentation: Option<Arc<dyn Instrumentation>>,
    ) -> QueryResult<()> {
        // The next job carries it to the thread.
        self.instrumented.set(instrumentation);
        self.call(|_| Ok(())).await
    }

    /// Runs `f` in a transaction (a savepoint when nested): committed if `f` returns `Ok`,
    /// rolled back if it returns `Err`, panics, or its future is dropped. See
    /// [`transaction_async`].
    pub async fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&mut Self) -> Result<T, E>,
        E: From<Error>,
    {
        transaction_async(self, f).await
    }
}

impl Drop for AsyncSqliteConnection {
    /// Ends the thread after the work already sent; does not wait for it.
    fn drop(&mut self) {
        self.jobs = None;
        drop(self.worker.take());
    }
}

/// How many decoded rows a stream's channel holds before the connection's thread waits.
pub const STREAM_BUFFER: usize = 256;

/// The rows of a query on an [`AsyncSqliteConnection`], decoded on its thread and handed over
/// as they come.
pub struct SqliteRowStream<'c, U> {
    receiver: tokio::sync::mpsc::Receiver<QueryResult<U>>,
    _conn: PhantomData<&'c mut AsyncSqliteConnection>,
}

impl<U> std::fmt::Debug for SqliteRowStream<'_, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteRowStream").finish_non_exhaustive()
    }
}

impl<U> futures_core::Stream for SqliteRowStream<'_, U> {
    type Item = QueryResult<U>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<QueryResult<U>>> {
        self.get_mut().receiver.poll_recv(cx)
    }
}

/// The error of a call after the connection's thread ended.
#[cold]
fn thread_gone() -> Error {
    Error::new(
        ErrorKind::Connection,
        "the SQLite connection's thread has ended (a statement on it panicked); open a new \
         connection",
    )
}

/// A statement rendered where it was built, with owned values: what crosses to the thread.
struct OwnedStatement<ST> {
    sql: Arc<str>,
    binds: Vec<Value>,
    _row: PhantomData<fn() -> ST>,
}

impl<ST> Query for OwnedStatement<ST> {
    type SqlRow = ST;
}

impl<ST> QueryFragment<Sqlite> for OwnedStatement<ST> {
    fn to_sql(&self, out: &mut SqlWriter<Sqlite>) {
        out.push_sql(&self.sql);
    }

    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, Sqlite>) -> QueryResult<()> {
        out.reserve(self.binds.len());
        for value in &self.binds {
            out.push_value(ToSqlOutput::Borrowed(ValueRef::from(value)))?;
        }
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        false
    }
}

/// Takes each bound value as an owned copy.
struct OwnedBinds(Vec<Value>);

impl<'a> BindSink<'a, Sqlite> for OwnedBinds {
    fn push_value(&mut self, value: ToSqlOutput<'a>) -> QueryResult<()> {
        let owned = match value {
            ToSqlOutput::Borrowed(value) => owned_value(value)?,
            ToSqlOutput::Owned(value) => value,
            #[allow(unreachable_patterns)]
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidQuery,
                    "this value cannot be sent to an async SQLite connection",
                ));
            }
        };
        self.0.push(owned);
        Ok(())
    }

    fn reserve(&mut self, additional: usize) {
        self.0.reserve(additional);
    }
}

/// An owned copy of a borrowed value.
fn owned_value(value: ValueRef<'_>) -> QueryResult<Value> {
    Ok(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Value::Text(text.to_owned()),
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::InvalidQuery,
                    format!("a text value is not valid UTF-8: {e}"),
                ));
            }
        },
        ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
    })
}

impl AsyncConnection for AsyncSqliteConnection {
    type Backend = Sqlite;
    type Lane = Self;
    type RowStream<'c, U>
        = SqliteRowStream<'c, U>
    where
        U: Send + 'static;

    /// The thread reads the rows with a cursor and sends each, decoded, through a channel of
    /// [`STREAM_BUFFER`] rows; it waits while the channel is full, and stops when the stream
    /// is dropped, so the connection stays usable either way.
    async fn load_stream<'c, Q, U>(&'c mut self, query: &Q) -> QueryResult<SqliteRowStream<'c, U>>
    where
        Q: Query + QueryFragment<Sqlite> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Sqlite> + Send + 'static,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        let statement = self.owned::<Q, Q::SqlRow>(query)?;
        let (rows, receiver) = tokio::sync::mpsc::channel(STREAM_BUFFER);
        let depth = self.transactions.depth();
        let job: Job = Box::new(move |conn| {
            conn.transaction_depth().set(depth);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                match conn.cursor::<_, U>(&statement) {
                    Ok(mut cursor) => {
                        for row in cursor.iter() {
                            if rows.blocking_send(row).is_err() {
                                break; // the stream was dropped
                            }
                        }
                    }
                    Err(e) => {
                        let _ = rows.blocking_send(Err(e));
                    }
                }
            }));
            if outcome.is_err() {
                let _ = rows.blocking_send(Err(Error::new(
                    ErrorKind::Other,
                    "reading a row panicked on the SQLite connection's thread",
                )));
            }
        });
        self.send_job(job)?;
        Ok(SqliteRowStream {
            receiver,
            _conn: PhantomData,
        })
    }

    async fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        self.raw_sql_ran = true;
        let sql = sql.to_owned();
        self.call(move |conn| conn.batch_execute(&sql)).await
    }

    async fn execute_query<Q>(&mut self, query: &Q) -> QueryResult<usize>
    where
        Q: QueryFragment<Sqlite> + Sync,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        let statement = self.owned::<Q, ()>(query)?;
        let (count, rowid) = self
            .call(move |conn| {
                let count = conn.execute_query(&statement)?;
                Ok((count, conn.last_insert_rowid()))
            })
            .await?;
        self.last_rowid = rowid;
        Ok(count)
    }

    async fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Sqlite> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Sqlite> + Send + 'static,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        let statement = self.owned::<Q, Q::SqlRow>(query)?;
        self.call(move |conn| conn.load_query::<_, U>(&statement))
            .await
    }

    async fn load_first<Q, U>(&mut self, query: &Q) -> QueryResult<U>
    where
        Q: Query + QueryFragment<Sqlite> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Sqlite> + Send + 'static,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        let statement = self.owned::<Q, Q::SqlRow>(query)?;
        self.call(move |conn| conn.load_first::<_, U>(&statement))
            .await
    }

    fn transactions(&mut self) -> &mut AsyncTransactions {
        &mut self.transactions
    }

    fn instrumentation(&mut self) -> &mut Instrumented {
        &mut self.instrumented
    }

    fn last_insert_rowid(&self) -> Option<i64> {
        self.last_rowid
    }

    /// The thread ends only after a panic in a statement on it.
    fn is_broken(&self) -> bool {
        self.worker.as_ref().is_none_or(|w| w.is_finished())
    }

    async fn execute_control(&mut self, sql: &str) -> QueryResult<()> {
        let sql = sql.to_owned();
        self.call(move |conn| conn.execute_control(&sql)).await
    }

    async fn begin_transaction(&mut self) -> QueryResult<()> {
        self.call(|conn| conn.begin_transaction()).await
    }

    async fn commit_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        let savepoint = savepoint.map(str::to_owned);
        self.call(move |conn| conn.commit_transaction(savepoint.as_deref()))
            .await
    }

    async fn rollback_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        let savepoint = savepoint.map(str::to_owned);
        self.call(move |conn| conn.rollback_transaction(savepoint.as_deref()))
            .await
    }

    /// SQLite says whether a transaction is open, however it was started.
    fn needs_reset(&mut self) -> bool {
        self.transactions.any_open() || self.raw_sql_ran
    }

    async fn reset(&mut self) -> QueryResult<()> {
        self.transactions.clear();
        self.raw_sql_ran = false;
        self.call(|conn| conn.reset()).await
    }
}
