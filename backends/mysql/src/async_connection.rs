//! [`AsyncMysqlConnection`]: MySQL and MariaDB on `mysql_async`, awaited.

use std::sync::Arc;
use std::time::Duration;

use mysql_async::prelude::Queryable;
use mysql_async::{Params, Value};
use philtre::connection::{
    AsyncConnection, AsyncTransactions, ConnectOptions, Instrumented, SqlCache, SqlSource,
    display_limit, enabled, interrupted_error, transaction_async,
};
use philtre::error::sql_for_message;
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::schema::ddl::StringEscapes;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};

use crate::Mysql;
use crate::connection::{
    DEFAULT_STATEMENT_CACHE, KEEPALIVE_IDLE_MS, MAX_PARAMETERS, driver_url, rolled_back_by_server,
    rows_matched, session_settings_sql,
};
use crate::error::{ends_session_async, from_mysql_async};

/// A connection to MySQL or MariaDB for async code, on `mysql_async`.
///
/// Statements render exactly as on [`crate::MysqlConnection`] (the same code), are prepared once
/// and kept in the driver's statement cache; every future is `Send`. It must be used inside a
/// tokio runtime with I/O and timers enabled (`#[tokio::main]` and `Builder::enable_all`
/// have both).
///
/// Every wait is bounded: connecting by the connect timeout (10 s unless set), each answer by
/// the read timeout when one is set. A statement whose future is dropped before its answer was
/// read (a `timeout` around it fired, a client went away) leaves the connection broken, so a
/// pool discards it: what the socket holds next is unknown.
///
/// ```no_run
/// use philtre::async_prelude::*;
/// use philtre_mysql::AsyncMysqlConnection;
/// # philtre::table! { users (id) { id -> Integer, name -> Text, } }
///
/// # async fn run() -> Result<(), philtre::Error> {
/// let mut conn = AsyncMysqlConnection::open("mysql://root@127.0.0.1:3306/test").await?;
/// let names: Vec<String> = users::table.select(users::name).load(&mut conn).await?;
/// # Ok(())
/// # }
/// ```
pub struct AsyncMysqlConnection {
    conn: mysql_async::Conn,
    sql: SqlCache,
    renders: u64,
    transactions: AsyncTransactions,
    health: Health,
    instrumented: Instrumented,
    /// Raw SQL ran since the last reset, so a transaction may be open that `transactions`
    /// does not know of.
    raw_sql_ran: bool,
}

/// What is known about the session's health, and the bound on each answer.
struct Health {
    read_timeout: Option<Duration>,
    /// Why the session can no longer be used, once it cannot.
    broken: Option<String>,
    /// Why the server ended the open transaction on its own (a deadlock).
    rolled_back: Option<String>,
    /// A request was sent and its answer not yet read: still set at the next call, it means
    /// that request's future was dropped.
    in_flight: bool,
}

/// How a request failed: in the driver (which may end the session) or in philtre.
enum Failure {
    Driver(mysql_async::Error),
    Philtre(Error),
}

impl From<mysql_async::Error> for Failure {
    fn from(e: mysql_async::Error) -> Self {
        Failure::Driver(e)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Philtre(e)
    }
}

impl std::fmt::Debug for AsyncMysqlConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncMysqlConnection")
            .field("connection_id", &self.conn.id())
            .field("broken", &self.is_broken())
            .finish_non_exhaustive()
    }
}

impl AsyncMysqlConnection {
    /// Writes the schemas of tables through `map` from now on (SQLAlchemy's
    /// `schema_translate_map`): a table declared without a schema goes to the one
    /// `map.map(None, "tenant_7")` names, and so on. `None` writes schemas as declared again.
    /// The statements cached so far are forgotten.
    pub fn set_schema_translate_map(&mut self, map: Option<philtre::schema::SchemaTranslateMap>) {
        self.sql.set_schema_map(map);
    }

    /// Connects to a `mysql://user:password@host:port/database` URL (`mariadb://` too), with
    /// the same options as [`crate::MysqlConnection::open`].
    pub async fn open(url: &str) -> QueryResult<Self> {
        Self::open_with(url, &ConnectOptions::new()).await
    }

    /// Connects with options set in code, which win over the same options in the URL.
    pub async fn open_with(url: &str, options: &ConnectOptions) -> QueryResult<Self> {
        let url = driver_url(url)?;
        let (from_url, rest) = ConnectOptions::from_url(&url)?;
        let options = from_url.merge(options);
        let (tls, rest) = crate::tls::take_tls(&rest)?;
        let opts = mysql_async::Opts::from_url(&rest).map_err(|e| {
            Error::new(ErrorKind::Connection, format!("invalid MySQL URL: {e}")).with_source(e)
        })?;
        let connect_timeout = options.effective_connect_timeout();
        let mut builder = mysql_async::OptsBuilder::from_opts(opts);
        match options.statement_cache_capacity {
            Some(n) => builder = builder.stmt_cache_size(n),
            None if !rest.contains("stmt_cache_size") => {
                builder = builder.stmt_cache_size(DEFAULT_STATEMENT_CACHE);
            }
            None => {}
        }
        if !rest.contains("tcp_keepalive") {
            builder =
                builder.tcp_keepalive(Some(Duration::from_millis(u64::from(KEEPALIVE_IDLE_MS))));
        }
        builder = crate::tls::apply_async(&tls, builder)?;
        let connecting = async move {
            let mut conn = mysql_async::Conn::new(builder).await?;
            let mariadb = match options.statement_timeout {
                Some(_) => {
                    let version: Option<String> = conn.query_first("SELECT VERSION()").await?;
                    version.is_some_and(|v| v.contains("MariaDB"))
                }
                None => false,
            };
            conn.query_drop(session_settings_sql(&options, mariadb))
                .await?;
            Ok::<_, mysql_async::Error>((conn, options))
        };
        let connected = match connect_timeout {
            Some(limit) => tokio::time::timeout(limit, connecting).await.ok(),
            None => Some(connecting.await),
        };
        let (conn, options) = match connected {
            Some(Ok(pair)) => pair,
            Some(Err(e)) => {
                let e = from_mysql_async(e);
                let message = format!("cannot connect to MySQL: {}", e.message());
                return Err(e.context(ErrorKind::Connection, message));
            }
            None => {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "cannot connect to MySQL: no answer within the connect timeout ({})",
                        display_limit(connect_timeout.unwrap_or_default())
                    ),
                ));
            }
        };
        Ok(AsyncMysqlConnection {
            conn,
            sql: SqlCache::default(),
            renders: 0,
            transactions: AsyncTransactions::default(),
            health: Health {
                read_timeout: options.read_timeout.and_then(enabled),
                broken: None,
                rolled_back: None,
                in_flight: false,
            },
            instrumented: Instrumented::default(),
            raw_sql_ran: false,
        })
    }

    /// The underlying `mysql_async` connection. The connection's next reset rolls back in
    /// case this started a transaction.
    pub fn raw(&mut self) -> &mut mysql_async::Conn {
        self.raw_sql_ran = true;
        &mut self.conn
    }

    /// How many statements were rendered to SQL so far (a cached static query is not).
    pub fn renders(&self) -> u64 {
        self.renders
    }

    /// The connection id, as `KILL` and the server's process list name it.
    pub fn connection_id(&self) -> u32 {
        self.conn.id()
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

    fn sql_for<Q: QueryFragment<Mysql>>(&mut self, query: &Q) -> Arc<str> {
        let (sql, source) = self.sql.sql_for(typeid::of::<Q>(), query);
        if source == SqlSource::Rendered {
            self.renders += 1;
        }
        sql
    }

    /// Prepares (or takes from the driver's cache) `query`'s statement and runs `read` on its
    /// answer, within the read timeout, reporting to the instrumentation.
    async fn run<Q, T>(
        &mut self,
        query: &Q,
        sql: Arc<str>,
        rows: fn(&T) -> Option<usize>,
        read: impl AsyncFnOnce(
            &mut mysql_async::Conn,
            mysql_async::Statement,
            Params,
        ) -> Result<T, Failure>,
    ) -> QueryResult<T>
    where
        Q: QueryFragment<Mysql> + Sync,
    {
        let mut binds: Vec<Value> = Vec::new();
        query.collect_binds(&mut binds)?;
        if binds.len() > MAX_PARAMETERS {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "this statement has {} bound values, and MySQL takes at most \
                     {MAX_PARAMETERS} in one statement: split it (a multi-row INSERT into \
                     batches, a long IN list into several queries or a join)",
                    binds.len()
                ),
            ));
        }
        let watch = self.instrumented.start(&sql, binds.len());
        if watch.is_some() {
            self.instrumented.bind_values::<Mysql, Q>(&sql, query);
        }
        let count = binds.len();
        let params = if binds.is_empty() {
            Params::Empty
        } else {
            Params::Positional(binds)
        };
        let depth = self.transactions.depth();
        let conn = &mut self.conn;
        let statement_sql = Arc::clone(&sql);
        let result = self
            .health
            .bounded(depth, async move {
                let stmt = conn.prep(&*statement_sql).await?;
                if usize::from(stmt.num_params()) != count {
                    return Err(Failure::Philtre(Error::new(
                        ErrorKind::InvalidQuery,
                        format!(
                            "statement has {} placeholders but {count} values were given: {}",
                            stmt.num_params(),
                            sql_for_message(&statement_sql)
                        ),
                    )));
                }
                read(conn, stmt, params).await
            })
            .await;
        if let Some(watch) = watch {
            self.instrumented.end_result(watch, &sql, &result, rows);
        }
        result
    }
}

impl Health {
    /// Awaits `request` within the read timeout, and keeps track of what that says about the
    /// session (see [`AsyncMysqlConnection`]).
    async fn bounded<T>(
        &mut self,
        depth: u32,
        request: impl Future<Output = Result<T, Failure>>,
    ) -> QueryResult<T> {
        self.check(depth)?;
        self.in_flight = true;
        let outcome = match self.read_timeout {
            None => Some(request.await),
            Some(limit) => tokio::time::timeout(limit, request).await.ok(),
        };
        self.in_flight = false;
        match outcome {
            Some(Ok(value)) => Ok(value),
            Some(Err(Failure::Philtre(e))) => Err(e),
            Some(Err(Failure::Driver(e))) => Err(self.record(depth, e)),
            None => Err(self.timed_out()),
        }
    }

    /// Fails when the session is over or interrupted, or the server ended the transaction the
    /// program is still in.
    fn check(&self, depth: u32) -> QueryResult<()> {
        if let Some(why) = &self.broken {
            return Err(Error::broken_connection(why));
        }
        if self.in_flight {
            return Err(interrupted_error());
        }
        match &self.rolled_back {
            Some(why) if depth > 0 => Err(rolled_back_by_server(why)),
            _ => Ok(()),
        }
    }

    /// Maps a driver error, remembering what it means for the session and the transaction.
    fn record(&mut self, depth: u32, e: mysql_async::Error) -> Error {
        let session_over = ends_session_async(&e);
        let e = from_mysql_async(e);
        if session_over {
            self.broken = Some(e.message().to_owned());
        } else if e.kind() == ErrorKind::Deadlock && depth > 0 {
            self.rolled_back = Some(e.message().to_owned());
        }
        e
    }

    #[cold]
    fn timed_out(&mut self) -> Error {
        let limit = self.read_timeout.unwrap_or_default();
        let why = format!(
            "no answer from the server within the read timeout ({}); the connection can no \
             longer be used",
            display_limit(limit)
        );
        self.broken = Some(why.clone());
        Error::new(ErrorKind::Timeout, why)
    }
}

/// The rows of a query on an [`AsyncMysqlConnection`], decoded as they arrive.
pub struct MysqlRowStream<'c, U> {
    rows: Option<
        mysql_async::ResultSetStream<
            'c,
            'c,
            'static,
            mysql_async::Row,
            mysql_async::BinaryProtocol,
        >,
    >,
    health: &'c mut Health,
    depth: u32,
    decode: fn(&mysql_async::Row) -> QueryResult<U>,
}

impl<U> std::fmt::Debug for MysqlRowStream<'_, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MysqlRowStream")
            .field("ended", &self.rows.is_none())
            .finish_non_exhaustive()
    }
}

impl<U> futures_core::Stream for MysqlRowStream<'_, U> {
    type Item = QueryResult<U>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<QueryResult<U>>> {
        use std::task::Poll;
        let this = self.get_mut();
        let Some(rows) = &mut this.rows else {
            return Poll::Ready(None);
        };
        match std::pin::Pin::new(rows).poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(row))) => Poll::Ready(Some((this.decode)(&row))),
            Poll::Ready(Some(Err(e))) => {
                this.rows = None;
                this.health.in_flight = false;
                Poll::Ready(Some(Err(this.health.record(this.depth, e))))
            }
            Poll::Ready(None) => {
                this.rows = None;
                this.health.in_flight = false;
                Poll::Ready(None)
            }
        }
    }
}

impl AsyncConnection for AsyncMysqlConnection {
    type Backend = Mysql;
    type Lane = Self;
    type RowStream<'c, U>
        = MysqlRowStream<'c, U>
    where
        U: Send + 'static;

    async fn load_stream<'c, Q, U>(&'c mut self, query: &Q) -> QueryResult<MysqlRowStream<'c, U>>
    where
        Q: Query + QueryFragment<Mysql> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Mysql> + Send + 'static,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        let mut binds: Vec<Value> = Vec::new();
        query.collect_binds(&mut binds)?;
        let sql = self.sql_for(query);
        let depth = self.transactions.depth();
        self.health.check(depth)?;
        let watch = self.instrumented.start(&sql, binds.len());
        let count = binds.len();
        let params = if binds.is_empty() {
            Params::Empty
        } else {
            Params::Positional(binds)
        };
        let conn = &mut self.conn;
        let health = &mut self.health;
        health.in_flight = true;
        let start = async {
            let stmt = conn.prep(&*sql).await?;
            if usize::from(stmt.num_params()) != count {
                return Err(Failure::Philtre(Error::new(
                    ErrorKind::InvalidQuery,
                    format!(
                        "statement has {} placeholders but {count} values were given: {}",
                        stmt.num_params(),
                        sql_for_message(&sql)
                    ),
                )));
            }
            let result = conn.exec_iter(stmt, params).await?;
            Ok(result.stream_and_drop::<mysql_async::Row>().await?)
        };
        let started = match health.read_timeout {
            None => Some(start.await),
            Some(limit) => tokio::time::timeout(limit, start).await.ok(),
        };
        let outcome = match started {
            Some(Ok(rows)) => Ok(rows),
            Some(Err(Failure::Philtre(e))) => {
                health.in_flight = false;
                Err(e)
            }
            Some(Err(Failure::Driver(e))) => {
                health.in_flight = false;
                Err(health.record(depth, e))
            }
            None => {
                health.in_flight = false;
                Err(health.timed_out())
            }
        };
        if let Some(watch) = watch {
            self.instrumented
                .end_result(watch, &sql, &outcome, |_| None);
        }
        let rows = outcome?;
        if rows.is_none() {
            health.in_flight = false;
        }
        Ok(MysqlRowStream {
            rows,
            health,
            depth,
            decode: |row| U::from_row(row, &mut 0),
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
        let depth = self.transactions.depth();
        let conn = &mut self.conn;
        self.health
            .bounded(depth, async move {
                let result = conn.query_iter(sql).await?;
                result.drop_result().await?;
                Ok(())
            })
            .await
    }

    async fn execute_query<Q>(&mut self, query: &Q) -> QueryResult<usize>
    where
        Q: QueryFragment<Mysql> + Sync,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        let sql = self.sql_for(query);
        let update = sql.starts_with("UPDATE");
        let n = self
            .run(
                query,
                sql,
                |n| usize::try_from(*n).ok(),
                async move |conn, stmt, params| {
                    let result = conn.exec_iter(stmt, params).await?;
                    let matched = update.then(|| rows_matched(&result.info())).flatten();
                    let n = matched.unwrap_or_else(|| result.affected_rows());
                    result.drop_result().await?;
                    Ok(n)
                },
            )
            .await?;
        usize::try_from(n).map_err(|_| Error::new(ErrorKind::Other, format!("{n} rows affected")))
    }

    async fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Mysql> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Mysql> + Send + 'static,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        let sql = self.sql_for(query);
        self.run(
            query,
            sql,
            |rows: &Vec<U>| Some(rows.len()),
            async |conn, stmt, params| {
                let mut result = conn.exec_iter(stmt, params).await?;
                let mut out = Vec::new();
                let mut decoding = None;
                result
                    .for_each(|row| {
                        if decoding.is_none() {
                            match U::from_row(&row, &mut 0) {
                                Ok(value) => out.push(value),
                                Err(e) => decoding = Some(e),
                            }
                        }
                    })
                    .await?;
                result.drop_result().await?;
                match decoding {
                    Some(e) => Err(Failure::Philtre(e)),
                    None => Ok(out),
                }
            },
        )
        .await
    }

    async fn load_first<Q, U>(&mut self, query: &Q) -> QueryResult<U>
    where
        Q: Query + QueryFragment<Mysql> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Mysql> + Send + 'static,
    {
        // A transaction a dropped future left open is rolled back first.
        self.settle().await?;
        let sql = self.sql_for(query);
        let first = self
            .run(
                query,
                sql,
                |row: &Option<QueryResult<U>>| Some(usize::from(row.is_some())),
                async |conn, stmt, params| {
                    let mut result = conn.exec_iter(stmt, params).await?;
                    let mut first = None;
                    result
                        .for_each(|row| {
                            if first.is_none() {
                                first = Some(U::from_row(&row, &mut 0));
                            }
                        })
                        .await?;
                    result.drop_result().await?;
                    Ok(first)
                },
            )
            .await?;
        first.unwrap_or_else(|| Err(Error::not_found()))
    }

    fn transactions(&mut self) -> &mut AsyncTransactions {
        &mut self.transactions
    }

    fn instrumentation(&mut self) -> &mut Instrumented {
        &mut self.instrumented
    }

    fn is_broken(&self) -> bool {
        self.health.broken.is_some() || self.health.in_flight
    }

    fn last_insert_id(&self) -> Option<u64> {
        self.conn.last_insert_id().filter(|id| *id != 0)
    }

    async fn auto_increment_step(&mut self) -> QueryResult<u64> {
        let depth = self.transactions.depth();
        let conn = &mut self.conn;
        let step: Option<u64> = self
            .health
            .bounded(depth, async move {
                Ok(conn
                    .query_first("SELECT @@auto_increment_increment")
                    .await?)
            })
            .await?;
        step.ok_or_else(|| {
            Error::new(
                ErrorKind::Other,
                "the server did not report @@auto_increment_increment",
            )
        })
    }

    async fn ping(&mut self) -> QueryResult<()> {
        let depth = self.transactions.depth();
        let conn = &mut self.conn;
        self.health
            .bounded(depth, async move { Ok(conn.ping().await?) })
            .await
    }

    async fn begin_transaction(&mut self) -> QueryResult<()> {
        self.health.rolled_back = None;
        self.execute_control("BEGIN").await
    }

    /// A transaction the server rolled back after a deadlock cannot commit.
    async fn commit_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        if let Some(why) = &self.health.rolled_back {
            return Err(rolled_back_by_server(why));
        }
        match savepoint {
            None => self.execute_control("COMMIT").await,
            Some(name) => {
                self.execute_control(&format!("RELEASE SAVEPOINT {name}"))
                    .await
            }
        }
    }

    async fn rollback_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        match savepoint {
            None => {
                self.health.rolled_back = None;
                self.execute_control("ROLLBACK").await
            }
            // The whole transaction is gone already; the outermost level reports it.
            Some(_) if self.health.rolled_back.is_some() => Ok(()),
            Some(name) => {
                self.execute_control(&format!("ROLLBACK TO SAVEPOINT {name}"))
                    .await?;
                self.execute_control(&format!("RELEASE SAVEPOINT {name}"))
                    .await
            }
        }
    }

    fn needs_reset(&mut self) -> bool {
        self.transactions.any_open() || self.raw_sql_ran || self.health.rolled_back.is_some()
    }

    async fn reset(&mut self) -> QueryResult<()> {
        if !self.needs_reset() {
            return Ok(());
        }
        self.transactions.clear();
        self.raw_sql_ran = false;
        self.health.rolled_back = None;
        self.execute_control("ROLLBACK").await
    }
}

impl AsyncMysqlConnection {
    /// How this connection's server reads a backslash in a quoted string literal.
    pub fn string_escapes(&self) -> StringEscapes {
        let no_backslash = self.conn.last_ok_packet().is_some_and(|ok| {
            ok.status_flags()
                .contains(mysql_async::consts::StatusFlags::SERVER_STATUS_NO_BACKSLASH_ESCAPES)
        });
        if no_backslash {
            StringEscapes::Standard
        } else {
            StringEscapes::Backslash
        }
    }
}
