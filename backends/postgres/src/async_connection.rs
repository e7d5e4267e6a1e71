//! [`AsyncPgConnection`]: PostgreSQL on `tokio-postgres`, awaited.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use philtre::connection::{
    AsyncConnection, AsyncTransactions, ConnectOptions, Instrumented, display_limit, enabled,
    interrupted_error, transaction_async,
};
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};
use tokio_postgres::{CancelToken, Client, NoTls, SimpleQueryMessage};

use crate::Pg;
use crate::connection::{commit_refused, commit_sql, unreachable_answer};
use crate::driver::{connect_failed, connect_timed_out};
use crate::error::from_postgres;
use crate::statements::{Answer, Call, DEFAULT_STATEMENT_CACHE, Statements, run_with};

/// A connection to a PostgreSQL server for async code, on `tokio-postgres`.
///
/// It renders, prepares and caches statements exactly as [`crate::PgConnection`] does (the same
/// code); its calls are awaited, and every future is `Send`. The socket is driven by a task on
/// the tokio runtime the connection was opened on, so it must be opened inside one (a
/// multi-thread or a current-thread runtime) with I/O and timers enabled (`#[tokio::main]`
/// and `Builder::enable_all` have both; without timers tokio itself panics at the first
/// bounded wait).
///
/// Every wait is bounded: connecting by the connect timeout (10 s unless set), each answer by
/// the read timeout when one is set; an answer that does not come in time cancels the statement
/// on the server and leaves the connection broken. A statement whose future is dropped before
/// its answer was read (a `timeout` around it fired, a client went away) is cancelled on the
/// server too, and the connection reports itself broken, so a pool discards it.
///
/// The relationship loaders pipeline: the queries of sibling relationships (`(posts, teams)`
/// in one `load_with`) go out together, on [`AsyncConnection::pipeline_lane`]s of the same
/// session, and share a round trip.
///
/// ```no_run
/// use philtre::async_prelude::*;
/// use philtre_postgres::AsyncPgConnection;
/// # philtre::table! { users (id) { id -> Integer, name -> Text, } }
///
/// # async fn run() -> Result<(), philtre::Error> {
/// let mut conn = AsyncPgConnection::open("postgres://postgres@127.0.0.1:5432/test").await?;
/// let names: Vec<String> = users::table.select(users::name).load(&mut conn).await?;
/// # Ok(())
/// # }
/// ```
pub struct AsyncPgConnection {
    /// Shared with the connection's pipeline lanes, as is the statement cache.
    client: Arc<Client>,
    statements: Arc<Mutex<Statements>>,
    transactions: AsyncTransactions,
    instrumented: Instrumented,
    health: Health,
    /// Raw SQL ran since the last reset, so a transaction may be open that `transactions`
    /// does not know of.
    raw_sql_ran: bool,
    /// Whether [`AsyncConnection::pipeline_lane`] hands out lanes.
    pipelining: bool,
}

/// What is known about the session's health, and the bounds on its waits.
struct Health {
    read_timeout: Option<Duration>,
    cancel_timeout: Duration,
    cancel: CancelToken,
    /// Why the session can no longer be used, once it cannot.
    broken: Option<String>,
    /// A statement was sent and its answer not yet read: if this is still set when the next
    /// call starts (or the connection is dropped), that statement's future was dropped.
    in_flight: bool,
    /// Set by a pipeline lane of the session that broke or was dropped with a statement
    /// unanswered: the session is then broken for every handle on it.
    session_broken: Arc<AtomicBool>,
    /// Whether this handle is a pipeline lane (it reports to `session_broken` when dropped).
    lane: bool,
}

impl std::fmt::Debug for AsyncPgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncPgConnection")
            .field("cached_statements", &self.cache().len())
            .field("broken", &self.is_broken())
            .finish_non_exhaustive()
    }
}

impl AsyncPgConnection {
    /// Connects to a `postgres://user@host:port/database` URL (or a libpq `key=value` string),
    /// with the same options as [`crate::PgConnection::open`].
    pub async fn open(url: &str) -> QueryResult<Self> {
        Self::open_with(url, &ConnectOptions::new()).await
    }

    /// Connects with options set in code, which win over the same options in the URL.
    pub async fn open_with(url: &str, options: &ConnectOptions) -> QueryResult<Self> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::new(
                ErrorKind::Connection,
                "an AsyncPgConnection must be opened inside a tokio runtime (its socket is \
                 driven by a task there); outside one, use PgConnection",
            ));
        }
        let settings = crate::config::settings(url, options)?;
        let options = settings.options;
        let connect_timeout = options.effective_connect_timeout();
        let connector = crate::tls::connector(&settings.tls)?;
        let config = settings.config;
        let connecting = async move {
            match connector {
                None => {
                    let (client, connection) = config.connect(NoTls).await?;
                    tokio::spawn(async move {
                        // The task ends with the session; its error is the client's to report.
                        let _ = connection.await;
                    });
                    Ok(client)
                }
                #[cfg(feature = "tls")]
                Some(tls) => {
                    let (client, connection) = config.connect(tls).await?;
                    tokio::spawn(async move {
                        let _ = connection.await;
                    });
                    Ok(client)
                }
                #[cfg(not(feature = "tls"))]
                Some(never) => match never {},
            }
        };
        let connected: Option<Result<Client, tokio_postgres::Error>> = match connect_timeout {
            Some(limit) => tokio::time::timeout(limit, connecting).await.ok(),
            None => Some(connecting.await),
        };
        let client = match connected {
            Some(Ok(client)) => client,
            Some(Err(e)) => return Err(connect_failed(e)),
            None => return Err(connect_timed_out(connect_timeout)),
        };
        Ok(AsyncPgConnection {
            health: Health {
                read_timeout: options.read_timeout.and_then(enabled),
                cancel_timeout: connect_timeout
                    .unwrap_or(philtre::connection::DEFAULT_CONNECT_TIMEOUT),
                cancel: client.cancel_token(),
                broken: None,
                in_flight: false,
                session_broken: Arc::new(AtomicBool::new(false)),
                lane: false,
            },
            client: Arc::new(client),
            statements: Arc::new(Mutex::new(Statements::new(
                options
                    .statement_cache_capacity
                    .unwrap_or(DEFAULT_STATEMENT_CACHE),
            ))),
            transactions: AsyncTransactions::default(),
            instrumented: Instrumented::default(),
            raw_sql_ran: false,
            pipelining: true,
        })
    }

    /// The underlying `tokio_postgres::Client`, for what philtre does not cover (COPY,
    /// LISTEN). The connection's next reset rolls back in case this started a transaction.
    pub fn client(&mut self) -> &Client {
        self.raw_sql_ran = true;
        &self.client
    }

    /// Runs SQL through the simple query protocol and returns its rows as text.
    pub async fn simple_query(&mut self, sql: &str) -> QueryResult<Vec<SimpleQueryMessage>> {
        self.raw_sql_ran = true;
        let client = &self.client;
        self.health
            .bounded(async { client.simple_query(sql).await.map_err(from_postgres) })
            .await
    }

    /// A handle that cancels the statement this connection runs, from anywhere.
    pub fn cancel_handle(&self) -> crate::PgCancelHandle {
        crate::PgCancelHandle::new(self.client.cancel_token())
    }

    /// How many statements were rendered to SQL so far (a cached static query is not).
    pub fn renders(&self) -> u64 {
        self.cache().renders()
    }

    /// Bounds the statement cache; `0` switches it off (every run prepares again).
    pub fn set_statement_cache_capacity(&mut self, capacity: usize) {
        let client = Arc::clone(&self.client);
        self.cache().set_capacity(capacity, &client);
    }

    /// Writes the schemas of tables through `map` from now on (SQLAlchemy's
    /// `schema_translate_map`): a table declared without a schema goes to the one
    /// `map.map(None, "tenant_7")` names, and so on. `None` writes schemas as declared again.
    /// The statements cached so far are forgotten.
    pub fn set_schema_translate_map(&mut self, map: Option<philtre::schema::SchemaTranslateMap>) {
        let client = Arc::clone(&self.client);
        self.cache().set_schema_map(map, &client);
    }

    /// Whether the relationship loaders may send the queries of sibling relationships
    /// together, on lanes of this session ([`AsyncConnection::pipeline_lane`]); on by default.
    /// Off, a load runs one statement after another, as on the other backends.
    pub fn set_pipelining(&mut self, on: bool) {
        self.pipelining = on;
    }

    /// The statement cache, locked (never across an await).
    fn cache(&self) -> std::sync::MutexGuard<'_, Statements> {
        // A panic while it was locked left the cache as consistent as any of its states.
        self.statements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
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

    /// Runs `query` through the statement cache.
    async fn run<Q: QueryFragment<Pg> + Sync>(
        &mut self,
        query: &Q,
        call: Call,
    ) -> QueryResult<Answer> {
        let in_transaction = self.transactions.depth() > 0;
        let run = run_with(
            &*self.statements,
            &self.client,
            &self.instrumented,
            in_transaction,
            query,
            call,
        );
        self.health.bounded(run).await
    }
}

impl Health {
    /// Awaits `request` within the read timeout, and keeps track of what that says about the
    /// session: a lost connection or a missed answer breaks it, and so does a request whose
    /// future is dropped before it ends (`in_flight` stays set).
    async fn bounded<T>(
        &mut self,
        request: impl Future<Output = QueryResult<T>>,
    ) -> QueryResult<T> {
        if self.broken.is_none() && self.session_broken.load(Ordering::Acquire) {
            self.broken = Some(
                "a pipelined statement of this session broke, or was dropped before its answer \
                 was read"
                    .to_owned(),
            );
        }
        if let Some(why) = &self.broken {
            return Err(Error::broken_connection(why));
        }
        if self.in_flight {
            return Err(interrupted_error());
        }
        self.in_flight = true;
        let result = match self.read_timeout {
            None => request.await,
            Some(limit) => match tokio::time::timeout(limit, request).await {
                Ok(result) => result,
                Err(_elapsed) => Err(self.timed_out(limit)),
            },
        };
        self.in_flight = false;
        if let Err(e) = &result
            && e.kind() == ErrorKind::Connection
        {
            self.broken = Some(e.message().to_owned());
        }
        result
    }

    /// Marks the session broken after an answer did not come within `limit`, and cancels the
    /// statement on the server.
    #[cold]
    fn timed_out(&mut self, limit: Duration) -> Error {
        let why = format!(
            "no answer from PostgreSQL within the read timeout ({}); the statement was cancelled \
             and the connection can no longer be used",
            display_limit(limit)
        );
        self.broken = Some(why.clone());
        self.cancel_in_background();
        Error::new(ErrorKind::Timeout, why)
    }

    /// Asks the server, on a connection of its own, to cancel what the session runs, without
    /// waiting for the answer.
    fn cancel_in_background(&self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let token = self.cancel.clone();
        let limit = self.cancel_timeout;
        runtime.spawn(async move {
            // Best effort: the session is discarded either way.
            let _ = tokio::time::timeout(limit, token.cancel_query(NoTls)).await;
        });
    }
}

/// The rows of a query on an [`AsyncPgConnection`], decoded as they arrive.
pub struct PgRowStream<'c, U> {
    health: &'c mut Health,
    rows: std::pin::Pin<Box<tokio_postgres::RowStream>>,
    decode: fn(&tokio_postgres::Row) -> QueryResult<U>,
    ended: bool,
}

impl<U> std::fmt::Debug for PgRowStream<'_, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgRowStream")
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<U> futures_core::Stream for PgRowStream<'_, U> {
    type Item = QueryResult<U>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<QueryResult<U>>> {
        use std::task::Poll;
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        match this.rows.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(row))) => Poll::Ready(Some((this.decode)(&row))),
            Poll::Ready(Some(Err(e))) => {
                this.ended = true;
                this.health.in_flight = false;
                let e = from_postgres(e);
                if e.kind() == ErrorKind::Connection {
                    this.health.broken = Some(e.message().to_owned());
                }
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(None) => {
                this.ended = true;
                this.health.in_flight = false;
                Poll::Ready(None)
            }
        }
    }
}

impl Drop for AsyncPgConnection {
    /// A statement whose future was dropped may still run on the server: cancel it, so the
    /// server does not go on working for nobody.
    fn drop(&mut self) {
        if self.health.in_flight {
            self.health.cancel_in_background();
        }
        if self.health.lane && (self.health.in_flight || self.health.broken.is_some()) {
            self.health.session_broken.store(true, Ordering::Release);
        }
    }
}

impl AsyncConnection for AsyncPgConnection {
    type Backend = Pg;
    type Lane = Self;

    /// A handle on the same session: tokio-postgres sends a statement as soon as its future is
    /// first polled and matches answers in order, so two handles' reads pipeline.
    fn pipeline_lane(&mut self) -> Option<Self> {
        if !self.pipelining || self.is_broken() {
            return None;
        }
        Some(AsyncPgConnection {
            client: Arc::clone(&self.client),
            statements: Arc::clone(&self.statements),
            // Inside the same transaction; a lane never commits, rolls back or settles it.
            transactions: self.transactions,
            instrumented: self.instrumented.clone(),
            health: Health {
                read_timeout: self.health.read_timeout,
                cancel_timeout: self.health.cancel_timeout,
                cancel: self.health.cancel.clone(),
                broken: None,
                in_flight: false,
                session_broken: Arc::clone(&self.health.session_broken),
                lane: true,
            },
            raw_sql_ran: false,
            pipelining: false,
        })
    }
    type RowStream<'c, U>
        = PgRowStream<'c, U>
    where
        U: Send + 'static;

    async fn load_stream<'c, Q, U>(&'c mut self, query: &Q) -> QueryResult<PgRowStream<'c, U>>
    where
        Q: Query + QueryFragment<Pg> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Pg> + Send + 'static,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        let Answer::Stream(rows) = self.run(query, Call::Stream).await? else {
            return unreachable_answer();
        };
        // In flight until the last row is read.
        self.health.in_flight = true;
        Ok(PgRowStream {
            health: &mut self.health,
            rows: Box::pin(rows),
            decode: |row| U::from_row(row, &mut 0),
            ended: false,
        })
    }

    async fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        self.raw_sql_ran = true;
        let watch = self.instrumented.start(sql, 0);
        let result = self.execute_control(sql).await;
        if let Some(watch) = watch {
            self.instrumented.end_result(watch, sql, &result, |_| None);
        }
        result
    }

    async fn execute_control(&mut self, sql: &str) -> QueryResult<()> {
        let client = &self.client;
        self.health
            .bounded(async { client.batch_execute(sql).await.map_err(from_postgres) })
            .await
    }

    async fn execute_query<Q>(&mut self, query: &Q) -> QueryResult<usize>
    where
        Q: QueryFragment<Pg> + Sync,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        match self.run(query, Call::Execute).await? {
            Answer::Count(n) => usize::try_from(n)
                .map_err(|_| Error::new(ErrorKind::Other, format!("{n} rows affected"))),
            _ => unreachable_answer(),
        }
    }

    async fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Pg> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Pg> + Send + 'static,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        let Answer::All(rows) = self.run(query, Call::All).await? else {
            return unreachable_answer();
        };
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(U::from_row(row, &mut 0)?);
        }
        Ok(out)
    }

    async fn load_first<Q, U>(&mut self, query: &Q) -> QueryResult<U>
    where
        Q: Query + QueryFragment<Pg> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Pg> + Send + 'static,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        match self.run(query, Call::First).await? {
            Answer::First(Some(row)) => U::from_row(&row, &mut 0),
            Answer::First(None) => Err(Error::not_found()),
            _ => unreachable_answer(),
        }
    }

    fn transactions(&mut self) -> &mut AsyncTransactions {
        &mut self.transactions
    }

    fn instrumentation(&mut self) -> &mut Instrumented {
        &mut self.instrumented
    }

    fn is_broken(&self) -> bool {
        self.health.broken.is_some()
            || self.health.in_flight
            || self.health.session_broken.load(Ordering::Acquire)
            || self.client.is_closed()
    }

    async fn ping(&mut self) -> QueryResult<()> {
        self.execute_control("").await
    }

    async fn commit_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        let result = self.execute_control(&commit_sql(savepoint)).await;
        result.map_err(|e| commit_refused(e, savepoint))
    }

    fn needs_reset(&mut self) -> bool {
        self.transactions.any_open() || self.raw_sql_ran
    }

    async fn reset(&mut self) -> QueryResult<()> {
        if !self.needs_reset() {
            return Ok(());
        }
        self.transactions.clear();
        self.raw_sql_ran = false;
        // Outside a transaction PostgreSQL answers ROLLBACK with a warning, not an error.
        self.execute_control("ROLLBACK").await
    }
}
