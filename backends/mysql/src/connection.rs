use std::marker::PhantomData;
use std::sync::Arc;

use mysql::prelude::Queryable;
use mysql::{Binary, Params, Value};
use philtre::connection::{
    ConnectOptions, Connection, Instrumented, SqlCache, SqlSource, StatementWatch, TransactionDepth,
};
use philtre::error::sql_for_message;
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::schema::ddl::StringEscapes;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};

use crate::Mysql;
use crate::error::{ends_session, from_mysql};

/// How many prepared statements the driver keeps per connection by default.
pub(crate) const DEFAULT_STATEMENT_CACHE: usize = 64;

/// The most placeholders one prepared statement can have: the protocol counts them in 16 bits.
pub(crate) const MAX_PARAMETERS: usize = 65_535;

/// TCP keepalive defaults, unless the URL sets its own: a server that vanished without closing
/// the socket is noticed within about a minute and a half.
pub(crate) const KEEPALIVE_IDLE_MS: u32 = 60_000;
const KEEPALIVE_INTERVAL_SECS: u32 = 10;
const KEEPALIVE_PROBES: u32 = 3;

/// A connection to a MySQL or MariaDB server.
///
/// A query whose SQL is fixed by its type is rendered once per connection; the driver's
/// statement cache (keyed by SQL text, LRU) prepares it once.
///
/// `execute` counts the rows an UPDATE *matched*, as PostgreSQL and SQLite do: an UPDATE that
/// writes a row's current values again still counts it (MySQL's own count leaves it out; the
/// server's "Rows matched" figure is read instead). The client's found-rows mode would do the
/// same for UPDATE but would also count a row that `INSERT … ON DUPLICATE KEY UPDATE pk = pk`
/// left alone, which must count 0 as it does elsewhere.
///
/// Once the server ends the session or the link breaks, every call fails with an
/// [`ErrorKind::Connection`] error and [`Connection::is_broken`] says so. After a deadlock,
/// InnoDB has rolled back the whole transaction: every later statement inside it fails with
/// [`ErrorKind::TransactionAborted`] instead of running outside any transaction.
pub struct MysqlConnection {
    pub(crate) conn: mysql::Conn,
    sql: SqlCache,
    renders: u64,
    depth: TransactionDepth,
    /// Why the session can no longer be used, once it cannot.
    broken: Option<String>,
    /// Why the server ended the open transaction on its own, while the program is still in it.
    rolled_back: Option<String>,
    /// How to reach the server again, for a cancel request.
    cancel_opts: mysql::Opts,
    instrumented: Instrumented,
    /// Raw SQL ran since the last [`Connection::reset`], so a transaction may be open that
    /// `depth` does not know of (the driver does not report the server's transaction status).
    raw_sql_ran: bool,
}

impl std::fmt::Debug for MysqlConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MysqlConnection")
            .field("connection_id", &self.conn.connection_id())
            .field("broken", &self.broken)
            .finish_non_exhaustive()
    }
}

impl MysqlConnection {
    /// Writes the schemas of tables through `map` from now on (SQLAlchemy's
    /// `schema_translate_map`): a table declared without a schema goes to the one
    /// `map.map(None, "tenant_7")` names, and so on. `None` writes schemas as declared again.
    /// The statements cached so far are forgotten.
    pub fn set_schema_translate_map(&mut self, map: Option<philtre::schema::SchemaTranslateMap>) {
        self.sql.set_schema_map(map);
    }

    /// Connects to a `mysql://user:password@host:port/database` URL (`mariadb://` too).
    ///
    /// philtre's options may be part of the query string (`?connect_timeout=5&read_timeout=30s`,
    /// see [`ConnectOptions`]); every other parameter goes to the driver.
    pub fn open(url: &str) -> QueryResult<Self> {
        Self::open_with(url, &ConnectOptions::new())
    }

    /// Connects, keeping at most `statements` prepared statements (`0` switches caching off).
    pub fn open_with_cache(url: &str, statements: usize) -> QueryResult<Self> {
        Self::open_with(
            url,
            &ConnectOptions::new().statement_cache_capacity(statements),
        )
    }

    /// Connects with options set in code, which win over the same options in the URL.
    ///
    /// The whole connect, handshake and login included, is bounded by the connect timeout
    /// (10 s unless set): the socket's timeouts are the connect timeout until the session is
    /// up, then the read and write timeouts (none unless set).
    pub fn open_with(url: &str, options: &ConnectOptions) -> QueryResult<Self> {
        let url = driver_url(url)?;
        let (from_url, rest) = ConnectOptions::from_url(&url)?;
        let options = from_url.merge(options);
        let (tls, rest) = crate::tls::take_tls(&rest)?;
        let opts = mysql::Opts::from_url(&rest).map_err(|e| {
            Error::new(ErrorKind::Connection, format!("invalid MySQL URL: {e}")).with_source(e)
        })?;
        let connect_timeout = options.effective_connect_timeout();
        let read_timeout = options.read_timeout.and_then(philtre::connection::enabled);
        let write_timeout = options.write_timeout.and_then(philtre::connection::enabled);
        let mut builder = mysql::OptsBuilder::from_opts(opts)
            .tcp_connect_timeout(connect_timeout)
            .read_timeout(connect_timeout.or(read_timeout))
            .write_timeout(connect_timeout.or(write_timeout));
        match options.statement_cache_capacity {
            Some(n) => builder = builder.stmt_cache_size(Some(n)),
            None if !rest.contains("stmt_cache_size") => {
                builder = builder.stmt_cache_size(Some(DEFAULT_STATEMENT_CACHE));
            }
            None => {}
        }
        if !rest.contains("tcp_keepalive") {
            builder = builder
                .tcp_keepalive_time_ms(Some(KEEPALIVE_IDLE_MS))
                .tcp_keepalive_probe_interval_secs(Some(KEEPALIVE_INTERVAL_SECS))
                .tcp_keepalive_probe_count(Some(KEEPALIVE_PROBES));
        }
        builder = crate::tls::apply(&tls, builder)?;
        // A cancel request opens a connection of its own, with the same settings.
        let cancel_opts = mysql::Opts::from(builder.clone());
        let mut conn = mysql::Conn::new(builder).map_err(|e| {
            let e = from_mysql(e);
            let (kind, message) = match e.kind() {
                ErrorKind::Timeout => (
                    ErrorKind::Timeout,
                    format!(
                        "cannot connect to MySQL: no answer within the connect timeout ({})",
                        philtre::connection::display_limit(connect_timeout.unwrap_or_default())
                    ),
                ),
                _ => (
                    ErrorKind::Connection,
                    format!("cannot connect to MySQL: {}", e.message()),
                ),
            };
            e.context(kind, message)
        })?;
        socket::set_timeouts(&conn, read_timeout, write_timeout).map_err(|e| {
            Error::new(
                ErrorKind::Connection,
                format!("cannot set the socket's timeouts: {e}"),
            )
        })?;
        session_settings(&mut conn, &options).map_err(from_mysql)?;
        Ok(MysqlConnection {
            conn,
            sql: SqlCache::default(),
            renders: 0,
            depth: TransactionDepth::default(),
            broken: None,
            rolled_back: None,
            cancel_opts,
            instrumented: Instrumented::default(),
            raw_sql_ran: false,
        })
    }

    /// The underlying `mysql` connection.
    pub fn raw(&mut self) -> &mut mysql::Conn {
        self.raw_sql_ran = true;
        &mut self.conn
    }

    /// How many statements were rendered to SQL so far (a cached static query is not).
    pub fn renders(&self) -> u64 {
        self.renders
    }

    /// A handle that cancels the statement this connection runs, from another thread: it
    /// connects with the same settings and sends `KILL QUERY`. The statement fails with
    /// [`ErrorKind::Cancelled`]; the connection stays usable.
    pub fn cancel_handle(&self) -> MysqlCancelHandle {
        MysqlCancelHandle {
            opts: self.cancel_opts.clone(),
            id: self.conn.connection_id(),
        }
    }

    /// The connection id, as `KILL` and the server's process list name it.
    pub fn connection_id(&self) -> u32 {
        self.conn.connection_id()
    }

    fn sql_for<Q: QueryFragment<Mysql>>(&mut self, query: &Q) -> Arc<str> {
        // The type identifies the SQL; lifetimes inside it cannot change the text.
        let (sql, source) = self.sql.sql_for(typeid::of::<Q>(), query);
        if source == SqlSource::Rendered {
            self.renders += 1;
        }
        sql
    }

    /// Reports how a watched statement ended.
    #[inline]
    fn finish<T>(
        &self,
        watch: Option<StatementWatch>,
        sql: &str,
        outcome: &QueryResult<T>,
        rows: impl FnOnce(&T) -> Option<usize>,
    ) {
        if let Some(watch) = watch {
            self.instrumented.end_result(watch, sql, outcome, rows);
        }
    }

    /// Fails when the session is over, or when the server ended the transaction the program
    /// is still in.
    fn check_usable(&self) -> QueryResult<()> {
        if let Some(why) = &self.broken {
            return Err(Error::broken_connection(why));
        }
        match &self.rolled_back {
            Some(why) if self.depth.get() > 0 => Err(rolled_back_by_server(why)),
            _ => Ok(()),
        }
    }

    /// Maps a driver error, remembering what it means for the session and the transaction.
    fn fail(&mut self, e: mysql::Error) -> Error {
        record_failure(e, self.depth.get(), &mut self.broken, &mut self.rolled_back)
    }

    fn prepare<Q: QueryFragment<Mysql>>(
        &mut self,
        query: &Q,
    ) -> QueryResult<(mysql::Statement, Params, Arc<str>, Option<StatementWatch>)> {
        self.check_usable()?;
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
        let sql = self.sql_for(query);
        let stmt = match self.conn.prep(&*sql) {
            Ok(stmt) => stmt,
            Err(e) => return Err(self.fail(e)),
        };
        if usize::from(stmt.num_params()) != binds.len() {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "statement has {} placeholders but {} values were given: {}",
                    stmt.num_params(),
                    binds.len(),
                    sql_for_message(&sql)
                ),
            ));
        }
        let watch = self.instrumented.start(&sql, binds.len());
        self.instrumented.bind_values::<Mysql, Q>(&sql, query);
        let params = if binds.is_empty() {
            Params::Empty
        } else {
            Params::Positional(binds)
        };
        Ok((stmt, params, sql, watch))
    }
}

/// Cancels the statement a [`MysqlConnection`] runs, from any thread (`Send + Sync + Clone`).
#[derive(Debug, Clone)]
pub struct MysqlCancelHandle {
    opts: mysql::Opts,
    id: u32,
}

impl MysqlCancelHandle {
    /// Asks the server to stop what the connection runs now (nothing, if it runs nothing), on
    /// a connection of its own, bounded by the connect timeout.
    pub fn cancel(&self) -> QueryResult<()> {
        let mut conn = mysql::Conn::new(self.opts.clone()).map_err(from_mysql)?;
        conn.query_drop(format!("KILL QUERY {}", self.id))
            .map_err(from_mysql)
    }
}

/// The error of a statement (or COMMIT) in a transaction the server rolled back on its own.
#[cold]
pub(crate) fn rolled_back_by_server(why: &str) -> Error {
    Error::new(
        ErrorKind::TransactionAborted,
        format!(
            "the server rolled this transaction back ({why}); nothing in it was kept, and no \
             statement runs in it any more"
        ),
    )
}

/// Maps a driver error; an error that ends the session marks it broken, and a deadlock inside a
/// transaction marks the transaction rolled back (InnoDB undid all of it).
fn record_failure(
    e: mysql::Error,
    depth: u32,
    broken: &mut Option<String>,
    rolled_back: &mut Option<String>,
) -> Error {
    let session_over = ends_session(&e);
    let e = from_mysql(e);
    if session_over {
        *broken = Some(e.message().to_owned());
    } else if e.kind() == ErrorKind::Deadlock && depth > 0 {
        *rolled_back = Some(e.message().to_owned());
    }
    e
}

/// Reads every result to its end and returns the rows the last one affected (or, for an
/// UPDATE, matched). The driver's own `query_drop` / `exec_drop` stop at an error that comes
/// after a result's first packet, such as a statement timeout during a SELECT, and report
/// success; every error here is returned.
fn drain<P: mysql::prelude::Protocol>(
    result: &mut mysql::QueryResult<'_, '_, '_, P>,
    update: bool,
) -> mysql::Result<u64> {
    let mut count = 0;
    while let Some(mut set) = result.iter() {
        count = match update {
            true => rows_matched(&set.info_str()).unwrap_or_else(|| set.affected_rows()),
            false => set.affected_rows(),
        };
        for row in set.by_ref() {
            row?;
        }
    }
    Ok(count)
}

/// The rows an UPDATE matched, from the server's "Rows matched: 2  Changed: 1  Warnings: 0"
/// (the first of its three numbers, in every language the server speaks).
pub(crate) fn rows_matched(info: &str) -> Option<u64> {
    let start = info.find(|c: char| c.is_ascii_digit())?;
    let digits = &info[start..];
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// The URL as the driver takes it: `mariadb://` and `mysql+driver://` become `mysql://`.
pub(crate) fn driver_url(url: &str) -> QueryResult<String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(Error::new(
            ErrorKind::Connection,
            format!(
                "`{}` is not a MySQL URL: expected `mysql://user:password@host:port/database`",
                sql_for_message(url)
            ),
        ));
    };
    match scheme.split('+').next().unwrap_or(scheme) {
        "mysql" | "mariadb" => Ok(format!("mysql://{rest}")),
        _ => Err(Error::new(
            ErrorKind::Connection,
            format!("`{scheme}://` is not a MySQL URL: expected `mysql://` or `mariadb://`"),
        )),
    }
}

/// Applies the session settings: one `SET SESSION`.
fn session_settings(conn: &mut mysql::Conn, options: &ConnectOptions) -> mysql::Result<()> {
    let mariadb = match options.statement_timeout {
        Some(_) => {
            let version: Option<String> = conn.query_first("SELECT VERSION()")?;
            version.is_some_and(|v| v.contains("MariaDB"))
        }
        None => false,
    };
    conn.query_drop(session_settings_sql(options, mariadb))
}

/// The `SET SESSION` statement for a new connection: the server-side limits in `options` and
/// a `group_concat_max_len` as large as the server takes. `mariadb` says which
/// statement-timeout variable the server has (asked only when needed).
pub(crate) fn session_settings_sql(options: &ConnectOptions, mariadb: bool) -> String {
    // `GROUP_CONCAT` (behind `string_agg`) cuts its result at this many bytes with only a
    // warning (1,024 by default on MySQL, 1 MiB on MariaDB); 4 GiB exceeds any result the
    // server can send (`max_allowed_packet` is at most 1 GiB), which fails with an error.
    let mut settings = vec!["group_concat_max_len = 4294967295".to_owned()];
    if let Some(limit) = options.statement_timeout {
        if mariadb {
            // Seconds, with fractions; 0 is no limit.
            settings.push(format!("max_statement_time = {}", limit.as_secs_f64()));
        } else {
            // Milliseconds, SELECT only; 0 is no limit.
            settings.push(format!(
                "max_execution_time = {}",
                philtre::connection::whole_millis(limit)
            ));
        }
    }
    if let Some(limit) = options.lock_timeout {
        // Whole seconds, at least 1; "no limit" is the largest value the server takes.
        let seconds = if limit.is_zero() {
            1_073_741_824
        } else {
            limit.as_secs_f64().ceil().max(1.0) as u64
        };
        settings.push(format!("innodb_lock_wait_timeout = {seconds}"));
    }
    format!("SET SESSION {}", settings.join(", "))
}

mod socket {
    use std::time::Duration;

    /// Sets the socket's read and write timeouts once the session is up (they were the connect
    /// timeout until then, so that a silent server could not hold the handshake).
    #[cfg(unix)]
    #[allow(unsafe_code)]
    pub(super) fn set_timeouts(
        conn: &mysql::Conn,
        read: Option<Duration>,
        write: Option<Duration>,
    ) -> std::io::Result<()> {
        use std::os::fd::{AsRawFd, BorrowedFd};
        let raw = conn.as_raw_fd();
        // SAFETY: `raw` is the socket `conn` owns; `conn` keeps it open for as long as it
        // lives, and it is borrowed for the whole of this function, longer than `fd` and
        // `socket` exist. Nothing here closes or replaces the descriptor.
        let fd = unsafe { BorrowedFd::borrow_raw(raw) };
        let socket = socket2::SockRef::from(&fd);
        socket.set_read_timeout(read)?;
        socket.set_write_timeout(write)
    }

    /// Elsewhere the socket keeps the connect timeout as its read and write timeout.
    #[cfg(not(unix))]
    pub(super) fn set_timeouts(
        _: &mysql::Conn,
        _: Option<Duration>,
        _: Option<Duration>,
    ) -> std::io::Result<()> {
        Ok(())
    }
}

impl Connection for MysqlConnection {
    type Backend = Mysql;
    type Cursor<'c, ST, U> = MysqlCursor<'c, ST, U>;

    fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        self.raw_sql_ran = true;
        let watch = self.instrumented.start(sql, 0);
        let result = self.execute_control(sql);
        self.finish(watch, sql, &result, |_| None);
        result
    }

    fn reset(&mut self) -> QueryResult<()> {
        if self.depth.get() == 0 && !self.raw_sql_ran && self.rolled_back.is_none() {
            return Ok(());
        }
        self.depth.clear();
        self.raw_sql_ran = false;
        self.rolled_back = None;
        self.execute_control("ROLLBACK")
    }

    fn execute_control(&mut self, sql: &str) -> QueryResult<()> {
        self.check_usable()?;
        let outcome = self
            .conn
            .query_iter(sql)
            .and_then(|mut result| drain(&mut result, false));
        outcome.map(drop).map_err(|e| self.fail(e))
    }

    fn execute_query<Q: QueryFragment<Mysql>>(&mut self, query: &Q) -> QueryResult<usize> {
        let (stmt, params, sql, watch) = self.prepare(query)?;
        let outcome = self
            .conn
            .exec_iter(&stmt, params)
            .and_then(|mut result| drain(&mut result, sql.starts_with("UPDATE")));
        let result = outcome.map_err(|e| self.fail(e)).and_then(|n| {
            usize::try_from(n)
                .map_err(|_| Error::new(ErrorKind::Other, format!("{n} rows affected")))
        });
        self.finish(watch, &sql, &result, |n| Some(*n));
        result
    }

    fn last_insert_id(&self) -> Option<u64> {
        match self.conn.last_insert_id() {
            0 => None,
            id => Some(id),
        }
    }

    fn auto_increment_step(&mut self) -> QueryResult<u64> {
        use mysql::prelude::Queryable;
        let step: Option<u64> = self
            .conn
            .query_first("SELECT @@auto_increment_increment")
            .map_err(|e| self.fail(e))?;
        step.ok_or_else(|| {
            Error::new(
                ErrorKind::Other,
                "the server did not report @@auto_increment_increment",
            )
        })
    }

    fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Mysql>,
        U: FromSqlRow<Q::SqlRow, Mysql>,
    {
        let (stmt, params, sql, watch) = self.prepare(query)?;
        let mut out = Vec::new();
        let mut failure = None;
        let mut decoding = None;
        match self.conn.exec_iter(&stmt, params) {
            Ok(result) => {
                for row in result {
                    match row.map(|row| U::from_row(&row, &mut 0)) {
                        Ok(Ok(value)) => out.push(value),
                        Ok(Err(e)) => {
                            decoding = Some(e);
                            break;
                        }
                        Err(e) => {
                            failure = Some(e);
                            break;
                        }
                    }
                }
            }
            Err(e) => failure = Some(e),
        }
        let result = match (failure, decoding) {
            (Some(e), _) => Err(self.fail(e)),
            (None, Some(e)) => Err(e),
            (None, None) => Ok(out),
        };
        self.finish(watch, &sql, &result, |rows| Some(rows.len()));
        result
    }

    fn load_first<Q, U>(&mut self, query: &Q) -> QueryResult<U>
    where
        Q: Query + QueryFragment<Mysql>,
        U: FromSqlRow<Q::SqlRow, Mysql>,
    {
        let (stmt, params, sql, watch) = self.prepare(query)?;
        let first = match self.conn.exec_iter(&stmt, params) {
            Ok(mut result) => result.next().transpose(),
            Err(e) => Err(e),
        };
        let result = match first {
            Ok(Some(row)) => U::from_row(&row, &mut 0),
            Ok(None) => Err(Error::not_found()),
            Err(e) => Err(self.fail(e)),
        };
        self.finish(watch, &sql, &result, |_| Some(1));
        result
    }

    fn cursor<Q, U>(&mut self, query: &Q) -> QueryResult<MysqlCursor<'_, Q::SqlRow, U>>
    where
        Q: Query + QueryFragment<Mysql>,
        U: FromSqlRow<Q::SqlRow, Mysql>,
    {
        let (stmt, params, sql, watch) = self.prepare(query)?;
        // Field by field, so that the error path may record a failure while the rows borrow
        // the driver's connection.
        let depth = self.depth.get();
        let MysqlConnection {
            conn,
            broken,
            rolled_back,
            instrumented,
            ..
        } = self;
        let result = match conn.exec_iter(&stmt, params) {
            Ok(result) => result,
            Err(e) => {
                let e = record_failure(e, depth, broken, rolled_back);
                if let Some(watch) = watch {
                    instrumented.end(watch, &sql, None, Some(&e));
                }
                return Err(e);
            }
        };
        if let Some(watch) = watch {
            instrumented.end(watch, &sql, None, None);
        }
        Ok(MysqlCursor {
            result,
            _row: PhantomData,
        })
    }

    fn transaction_depth(&mut self) -> &mut TransactionDepth {
        &mut self.depth
    }

    fn instrumentation(&mut self) -> &mut Instrumented {
        &mut self.instrumented
    }

    fn is_broken(&self) -> bool {
        self.broken.is_some()
    }

    fn ping(&mut self) -> QueryResult<()> {
        self.check_usable()?;
        self.conn.ping().map_err(|e| self.fail(e))
    }

    /// Read from the session's status, which the server updates with every answer: MySQL
    /// reads `\\` as an escape unless `sql_mode` has `NO_BACKSLASH_ESCAPES`.
    fn string_escapes(&self) -> StringEscapes {
        if self.conn.no_backslash_escape() {
            StringEscapes::Standard
        } else {
            StringEscapes::Backslash
        }
    }

    fn begin_transaction(&mut self) -> QueryResult<()> {
        self.rolled_back = None;
        self.execute_control("BEGIN")
    }

    /// A transaction the server rolled back after a deadlock cannot commit: COMMIT would
    /// succeed on an empty transaction and report work as kept that is gone.
    fn commit_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        if let Some(why) = &self.rolled_back {
            return Err(rolled_back_by_server(why));
        }
        match savepoint {
            None => self.execute_control("COMMIT"),
            Some(name) => self.execute_control(&format!("RELEASE SAVEPOINT {name}")),
        }
    }

    fn rollback_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        match savepoint {
            None => {
                self.rolled_back = None;
                self.execute_control("ROLLBACK")
            }
            // The whole transaction is gone already; the outermost level reports it.
            Some(_) if self.rolled_back.is_some() => Ok(()),
            Some(name) => {
                self.execute_control(&format!("ROLLBACK TO SAVEPOINT {name}"))?;
                self.execute_control(&format!("RELEASE SAVEPOINT {name}"))
            }
        }
    }
}

/// A running query whose rows are read from the server one at a time.
pub struct MysqlCursor<'c, ST, U> {
    result: mysql::QueryResult<'c, 'c, 'c, Binary>,
    _row: PhantomData<fn() -> (ST, U)>,
}

impl<ST, U> std::fmt::Debug for MysqlCursor<'_, ST, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MysqlCursor").finish_non_exhaustive()
    }
}

impl<'c, ST, U: FromSqlRow<ST, Mysql>> MysqlCursor<'c, ST, U> {
    /// Iterates over the rows not read yet, decoding each as it arrives.
    pub fn iter(&mut self) -> MysqlRows<'_, 'c, ST, U> {
        MysqlRows {
            result: &mut self.result,
            _row: PhantomData,
        }
    }
}

/// The rows of a [`MysqlCursor`], decoded one by one.
pub struct MysqlRows<'r, 'c, ST, U> {
    result: &'r mut mysql::QueryResult<'c, 'c, 'c, Binary>,
    _row: PhantomData<fn() -> (ST, U)>,
}

impl<ST, U: FromSqlRow<ST, Mysql>> Iterator for MysqlRows<'_, '_, ST, U> {
    type Item = QueryResult<U>;
    fn next(&mut self) -> Option<QueryResult<U>> {
        match self.result.next()? {
            Ok(row) => Some(U::from_row(&row, &mut 0)),
            Err(e) => Some(Err(from_mysql(e))),
        }
    }
}
