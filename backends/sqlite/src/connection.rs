use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use philtre::backend::BindSink;
use philtre::connection::{
    ConnectOptions, Connection, Instrumented, SqlCache, SqlSource, StatementWatch,
    TransactionDepth, run_transaction,
};
use philtre::error::sql_for_message;
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};
use rusqlite::CachedStatement;
use rusqlite::types::ToSqlOutput;

use crate::Sqlite;
use crate::error::from_rusqlite;
use crate::open::{self, TransactionBehavior};

/// How many prepared statements a connection keeps by default.
const DEFAULT_STATEMENT_CACHE: usize = 64;

/// How long a statement waits for another connection's lock by default (SQLite's busy
/// timeout), as rusqlite's default.
const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How many virtual machine steps SQLite runs between two looks at the statement timeout.
const STEPS_PER_CHECK: i32 = 1000;

/// A connection to an SQLite database.
///
/// Prepared statements are cached per connection: a query whose SQL is fixed by its Rust type
/// is rendered once and prepared once, then only bound and stepped on later runs.
///
/// Transactions start with `BEGIN` (deferred) unless the URL says `begin=immediate` or
/// [`SqliteConnection::set_transaction_behavior`] is called: several connections writing one
/// file should use immediate transactions, which wait for the write lock (up to the busy
/// timeout, `lock_timeout`, 5 s by default) instead of failing at once.
pub struct SqliteConnection {
    raw: rusqlite::Connection,
    sql: SqlCache,
    stats: CacheStats,
    depth: TransactionDepth,
    begin: TransactionBehavior,
    deadline: Option<StatementDeadline>,
    instrumented: Instrumented,
}

/// A statement being watched by the connection's instrumentation, with its SQL.
struct Watched {
    watch: StatementWatch,
    sql: Arc<str>,
}

/// The statement timeout: a progress handler interrupts a statement that runs past `limit`.
struct StatementDeadline {
    limit: Duration,
    /// When the current statement must end, in nanoseconds after `epoch`.
    ends_at: Arc<AtomicU64>,
    epoch: Instant,
    /// Set by the handler when it interrupted a statement, so the error reads as a timeout.
    fired: Arc<AtomicBool>,
}

/// Counters of the statement cache, for tests and tuning.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Statements whose SQL was rendered (first run of a static query, or every run of a
    /// dynamic one).
    pub renders: u64,
    /// Runs of a static query that reused its cached SQL without rendering.
    pub type_hits: u64,
    /// Runs of a query whose SQL depends on counts (rows of an INSERT, items of an IN list)
    /// that reused SQL cached for the same type and counts.
    pub shape_hits: u64,
}

impl std::fmt::Debug for SqliteConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteConnection")
            .field("path", &self.raw.path())
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl SqliteConnection {
    /// Writes the schemas of tables through `map` from now on (SQLAlchemy's
    /// `schema_translate_map`): a table declared without a schema goes to the one
    /// `map.map(None, "tenant_7")` names, and so on. `None` writes schemas as declared again.
    /// The statements cached so far are forgotten.
    pub fn set_schema_translate_map(&mut self, map: Option<philtre::schema::SchemaTranslateMap>) {
        self.sql.set_schema_map(map);
    }

    /// Opens a database: `:memory:`, a file path, an SQLite `file:` URI, or a URL as
    /// SQLAlchemy spells it.
    ///
    /// | target | opens |
    /// | --- | --- |
    /// | `sqlite://`, `sqlite:///:memory:`, `:memory:` | a private in-memory database |
    /// | `sqlite:///data/app.db` | `data/app.db`, relative to the working directory |
    /// | `sqlite:////var/lib/app.db` | `/var/lib/app.db` (four slashes: absolute) |
    /// | `data/app.db` | that path, exactly as written |
    /// | `file:app.db?mode=ro` | an SQLite URI |
    ///
    /// A URL's query string takes SQLite's URI parameters (`mode=ro|rw|rwc|memory`,
    /// `cache=shared|private`, `vfs`, `immutable`, `nolock`, `psow`), philtre's
    /// [`ConnectOptions`] (`statement_timeout`, `lock_timeout` — the busy timeout,
    /// `statement_cache_size`) and `journal_mode=wal`, `synchronous=normal`,
    /// `foreign_keys=off`, `begin=immediate`. An unknown parameter is an error, not ignored.
    ///
    /// Foreign keys are enforced (`PRAGMA foreign_keys = ON`) unless the URL says otherwise.
    pub fn open(target: &str) -> QueryResult<Self> {
        Self::open_with(target, &ConnectOptions::new())
    }

    /// Opens with options set in code, which win over the same options in the URL.
    pub fn open_with(target: &str, options: &ConnectOptions) -> QueryResult<Self> {
        let mut parsed = open::parse(target)?;
        parsed.options = parsed.options.merge(options);
        let raw = match &parsed.uri {
            None => rusqlite::Connection::open_in_memory(),
            Some(uri) => rusqlite::Connection::open_with_flags(
                uri,
                rusqlite::OpenFlags::default() | rusqlite::OpenFlags::SQLITE_OPEN_URI,
            ),
        }
        .map_err(|e| {
            let e = from_rusqlite(e);
            let message = format!(
                "cannot open SQLite database `{}`: {}",
                parsed.shown,
                e.message()
            );
            e.context(ErrorKind::Connection, message)
        })?;
        let mut conn = Self::from_raw(raw)?;
        conn.configure(&parsed)?;
        Ok(conn)
    }

    /// Wraps an already open `rusqlite` connection.
    pub fn from_raw(raw: rusqlite::Connection) -> QueryResult<Self> {
        raw.set_prepared_statement_cache_capacity(DEFAULT_STATEMENT_CACHE);
        raw.execute_batch("PRAGMA foreign_keys = ON")
            .map_err(from_rusqlite)?;
        crate::math::register(&raw).map_err(from_rusqlite)?;
        Ok(SqliteConnection {
            raw,
            sql: SqlCache::default(),
            stats: CacheStats::default(),
            depth: TransactionDepth::default(),
            begin: TransactionBehavior::Deferred,
            deadline: None,
            instrumented: Instrumented::default(),
        })
    }

    fn configure(&mut self, target: &open::Target) -> QueryResult<()> {
        let options = &target.options;
        if let Some(capacity) = options.statement_cache_capacity {
            self.set_statement_cache_capacity(capacity);
        }
        self.set_busy_timeout(options.lock_timeout.unwrap_or(DEFAULT_BUSY_TIMEOUT))?;
        if let Some(limit) = options.statement_timeout {
            self.set_statement_timeout(limit)?;
        }
        if !target.foreign_keys {
            self.batch_execute("PRAGMA foreign_keys = OFF")?;
        }
        if let Some(mode) = &target.synchronous {
            self.batch_execute(&format!("PRAGMA synchronous = {mode}"))?;
        }
        if let Some(mode) = &target.journal_mode {
            let applied: String = self
                .raw
                .query_row(&format!("PRAGMA journal_mode = {mode}"), [], |row| {
                    row.get(0)
                })
                .map_err(from_rusqlite)?;
            if !applied.eq_ignore_ascii_case(mode) {
                return Err(Error::new(
                    ErrorKind::Connection,
                    format!(
                        "SQLite database `{}` kept journal_mode {applied} instead of {mode} (an in-memory database has no write-ahead log)",
                        target.shown
                    ),
                ));
            }
        }
        self.begin = target.begin;
        Ok(())
    }

    /// How outermost transactions start from now on (`BEGIN` is deferred).
    pub fn set_transaction_behavior(&mut self, behavior: TransactionBehavior) {
        self.begin = behavior;
    }

    /// Runs `f` in a transaction that starts as `behavior` says, whatever the connection's
    /// default; `TransactionBehavior::Immediate` takes the write lock at once. Inside another
    /// transaction it is an [`ErrorKind::InvalidQuery`] error (a savepoint cannot change how
    /// the transaction around it started).
    pub fn transaction_with_behavior<T, E, F>(
        &mut self,
        behavior: TransactionBehavior,
        f: F,
    ) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<Error>,
    {
        run_transaction(self, Some(&[behavior.begin_sql()]), f)
    }

    /// How long a statement waits for a lock another connection holds before failing with
    /// [`ErrorKind::LockNotAvailable`] (SQLite's busy timeout; zero waits without limit).
    pub fn set_busy_timeout(&mut self, limit: Duration) -> QueryResult<()> {
        let limit = if limit.is_zero() {
            Duration::from_millis(i32::MAX as u64)
        } else {
            limit
        };
        self.raw.busy_timeout(limit).map_err(from_rusqlite)
    }

    /// Interrupts any statement that runs longer than `limit`, with an
    /// [`ErrorKind::Timeout`] error; zero removes the limit.
    pub fn set_statement_timeout(&mut self, limit: Duration) -> QueryResult<()> {
        if limit.is_zero() {
            self.deadline = None;
            return self
                .raw
                .progress_handler(0, None::<fn() -> bool>)
                .map_err(from_rusqlite);
        }
        let deadline = StatementDeadline {
            limit,
            ends_at: Arc::new(AtomicU64::new(u64::MAX)),
            epoch: Instant::now(),
            fired: Arc::new(AtomicBool::new(false)),
        };
        let (ends_at, epoch, fired) = (
            Arc::clone(&deadline.ends_at),
            deadline.epoch,
            Arc::clone(&deadline.fired),
        );
        self.raw
            .progress_handler(
                STEPS_PER_CHECK,
                Some(move || {
                    let now = u64::try_from(epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
                    let over = now >= ends_at.load(Ordering::Relaxed);
                    if over {
                        fired.store(true, Ordering::Relaxed);
                    }
                    over
                }),
            )
            .map_err(from_rusqlite)?;
        self.deadline = Some(deadline);
        Ok(())
    }

    /// A handle that interrupts the statement this connection runs, from another thread; the
    /// statement fails with [`ErrorKind::Cancelled`].
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.raw.get_interrupt_handle()
    }

    /// Starts the statement timeout's clock for the statement about to run.
    #[inline]
    fn start_clock(&self) {
        if let Some(deadline) = &self.deadline {
            let ends = deadline.epoch.elapsed() + deadline.limit;
            let ends = u64::try_from(ends.as_nanos()).unwrap_or(u64::MAX);
            deadline.ends_at.store(ends, Ordering::Relaxed);
            deadline.fired.store(false, Ordering::Relaxed);
        }
    }

    /// Maps a driver error; an interrupt the statement timeout caused reads as a timeout.
    fn fail(&self, e: rusqlite::Error) -> Error {
        let e = from_rusqlite(e);
        if e.kind() != ErrorKind::Cancelled {
            return e;
        }
        match &self.deadline {
            Some(deadline) if deadline.fired.load(Ordering::Relaxed) => {
                let message = format!(
                    "the statement ran longer than the statement timeout ({}) and was \
                     interrupted",
                    philtre::connection::display_limit(deadline.limit)
                );
                e.context(ErrorKind::Timeout, message)
            }
            _ => e,
        }
    }

    /// Fails when SQLite ended the transaction the program is still in: some errors (a full
    /// disk, an I/O error, a busy database at COMMIT) roll back the whole transaction, and a
    /// statement after that would run outside any transaction.
    #[inline]
    fn check_transaction(&self) -> QueryResult<()> {
        if self.depth.get() > 0 && self.raw.is_autocommit() {
            return Err(rolled_back_by_sqlite());
        }
        Ok(())
    }

    /// The underlying `rusqlite` connection.
    pub fn raw(&self) -> &rusqlite::Connection {
        &self.raw
    }

    /// Sets how many prepared statements are kept (least recently used are dropped first).
    /// `0` switches the cache off: every run prepares its statement again.
    pub fn set_statement_cache_capacity(&mut self, capacity: usize) {
        self.raw.flush_prepared_statement_cache();
        self.raw.set_prepared_statement_cache_capacity(capacity);
    }

    /// How many statements were rendered to SQL so far (a cached static query is not).
    pub fn renders(&self) -> u64 {
        self.stats.renders
    }

    /// Counters of the statement cache.
    pub fn cache_stats(&self) -> CacheStats {
        self.stats
    }

    /// The SQL of `query`, from the cache when its type (and shape) fix its SQL.
    fn sql_for<Q: QueryFragment<Sqlite>>(&mut self, query: &Q) -> Arc<str> {
        // The type identifies the SQL; lifetimes inside it cannot change the text.
        let (sql, source) = self.sql.sql_for(typeid::of::<Q>(), query);
        match source {
            SqlSource::Type => self.stats.type_hits += 1,
            SqlSource::Shape => self.stats.shape_hits += 1,
            SqlSource::Rendered => self.stats.renders += 1,
        }
        sql
    }

    /// Renders (or fetches) the SQL, prepares (or reuses) the statement and binds the values
    /// as the query hands them over, with no list of values in between.
    fn prepare<Q: QueryFragment<Sqlite>>(
        &mut self,
        query: &Q,
    ) -> QueryResult<(CachedStatement<'_>, Option<Watched>)> {
        self.check_transaction()?;
        self.start_clock();
        let sql = self.sql_for(query);
        let mut stmt = match self.raw.prepare_cached(&sql) {
            Ok(stmt) => stmt,
            Err(e) => return Err(unpreparable(&self.raw, query, e)),
        };
        let expected = stmt.parameter_count();
        let mut binder = StatementBinder {
            stmt: &mut stmt,
            expected,
            given: 0,
        };
        query.collect_binds(&mut binder)?;
        if binder.given != expected {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "statement has {expected} placeholders but {} values were given: {}",
                    binder.given,
                    sql_for_message(&sql)
                ),
            ));
        }
        let watched = self
            .instrumented
            .start(&sql, expected)
            .map(|watch| Watched { watch, sql });
        if let Some(watched) = &watched {
            self.instrumented
                .bind_values::<Sqlite, Q>(&watched.sql, query);
        }
        Ok((stmt, watched))
    }

    /// Reports how a watched statement ended.
    #[inline]
    fn finish<T>(
        &self,
        watched: Option<Watched>,
        outcome: &QueryResult<T>,
        rows: impl FnOnce(&T) -> Option<usize>,
    ) {
        if let Some(Watched { watch, sql }) = watched {
            self.instrumented.end_result(watch, &sql, outcome, rows);
        }
    }
}

/// The error of a statement SQLite would not prepare. A value that cannot be bound, or a
/// statement that cannot be built (an INSERT without rows), explains more than the SQL error
/// it causes, so the binds are collected first; out of line, off the hot path.
#[cold]
#[inline(never)]
fn unpreparable<Q: QueryFragment<Sqlite>>(
    raw: &rusqlite::Connection,
    query: &Q,
    e: rusqlite::Error,
) -> Error {
    let mut binds: Vec<ToSqlOutput<'_>> = Vec::new();
    if let Err(bind_error) = query.collect_binds(&mut binds) {
        return bind_error;
    }
    let limit = raw
        .limit(rusqlite::limits::Limit::SQLITE_LIMIT_VARIABLE_NUMBER)
        .ok()
        .and_then(|n| usize::try_from(n).ok());
    match limit {
        Some(limit) if binds.len() > limit => Error::new(
            ErrorKind::InvalidQuery,
            format!(
                "this statement has {} bound values, and SQLite takes at most {limit} in one statement: split it (a multi-row INSERT into batches, a long IN list into several queries or a join)",
                binds.len()
            ),
        )
        .with_source(from_rusqlite(e)),
        _ => from_rusqlite(e),
    }
}

/// The error of a statement (or COMMIT) after SQLite rolled the transaction back on its own.
#[cold]
fn rolled_back_by_sqlite() -> Error {
    Error::new(
        ErrorKind::TransactionAborted,
        "SQLite had already rolled this transaction back (an error such as a full disk, an I/O error or a busy database ends the whole transaction); nothing in it was kept",
    )
}

/// Binds each value into the prepared statement as the query hands it over; counts the
/// values so that a mismatch with the placeholders is reported as such.
struct StatementBinder<'s, 'c> {
    stmt: &'s mut CachedStatement<'c>,
    expected: usize,
    given: usize,
}

impl<'a> BindSink<'a, Sqlite> for StatementBinder<'_, '_> {
    #[inline]
    fn push_value(&mut self, value: ToSqlOutput<'a>) -> QueryResult<()> {
        self.given += 1;
        if self.given > self.expected {
            return Ok(()); // reported with the count once all values are in
        }
        self.stmt
            .raw_bind_parameter(self.given, value)
            .map_err(from_rusqlite)
    }
}

impl Connection for SqliteConnection {
    type Backend = Sqlite;
    type Cursor<'c, ST, U> = SqliteCursor<'c, ST, U>;

    fn last_insert_rowid(&self) -> Option<i64> {
        Some(self.raw.last_insert_rowid())
    }

    fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        self.check_transaction()?;
        self.start_clock();
        let watch = self.instrumented.start(sql, 0);
        let result = self.raw.execute_batch(sql).map_err(|e| self.fail(e));
        if let Some(watch) = watch {
            self.instrumented.end_result(watch, sql, &result, |_| None);
        }
        result
    }

    fn execute_query<Q: QueryFragment<Sqlite>>(&mut self, query: &Q) -> QueryResult<usize> {
        let (mut stmt, watched) = self.prepare(query)?;
        let result = stmt.raw_execute();
        drop(stmt);
        let result = result.map_err(|e| self.fail(e));
        self.finish(watched, &result, |n| Some(*n));
        result
    }

    fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Sqlite>,
        U: FromSqlRow<Q::SqlRow, Sqlite>,
    {
        let (mut stmt, watched) = self.prepare(query)?;
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        let failure = loop {
            match rows.next() {
                Ok(Some(row)) => match U::from_row(row, &mut 0) {
                    Ok(value) => out.push(value),
                    Err(e) => break Some(Err(e)),
                },
                Ok(None) => break None,
                Err(e) => break Some(Ok(e)),
            }
        };
        drop(rows);
        drop(stmt);
        let result = match failure {
            None => Ok(out),
            Some(Ok(driver)) => Err(self.fail(driver)),
            Some(Err(decoding)) => Err(decoding),
        };
        self.finish(watched, &result, |rows| Some(rows.len()));
        result
    }

    fn load_first<Q, U>(&mut self, query: &Q) -> QueryResult<U>
    where
        Q: Query + QueryFragment<Sqlite>,
        U: FromSqlRow<Q::SqlRow, Sqlite>,
    {
        let (mut stmt, watched) = self.prepare(query)?;
        let mut rows = stmt.raw_query();
        let first = match rows.next() {
            Ok(Some(row)) => Ok(U::from_row(row, &mut 0)),
            Ok(None) => Ok(Err(Error::not_found())),
            Err(e) => Err(e),
        };
        drop(rows);
        drop(stmt);
        let result = first.unwrap_or_else(|e| Err(self.fail(e)));
        self.finish(watched, &result, |_| Some(1));
        result
    }

    fn cursor<Q, U>(&mut self, query: &Q) -> QueryResult<SqliteCursor<'_, Q::SqlRow, U>>
    where
        Q: Query + QueryFragment<Sqlite>,
        U: FromSqlRow<Q::SqlRow, Sqlite>,
    {
        // The statement borrows the connection; its end is reported before the rows are read.
        let instrumented = self.instrumented.clone();
        let (stmt, watched) = self.prepare(query)?;
        if let Some(Watched { watch, sql }) = watched {
            instrumented.end(watch, &sql, None, None);
        }
        Ok(SqliteCursor {
            stmt,
            _row: PhantomData,
        })
    }

    fn instrumentation(&mut self) -> &mut Instrumented {
        &mut self.instrumented
    }

    fn transaction_depth(&mut self) -> &mut TransactionDepth {
        &mut self.depth
    }

    /// An SQLite connection is a handle on a file, with no link to lose.
    fn is_broken(&self) -> bool {
        false
    }

    fn ping(&mut self) -> QueryResult<()> {
        self.batch_execute("SELECT 1")
    }

    /// SQLite says whether a transaction is open (`sqlite3_get_autocommit`), so this rolls back
    /// only when one is, however it was started.
    fn reset(&mut self) -> QueryResult<()> {
        self.depth.clear();
        if self.raw.is_autocommit() {
            return Ok(());
        }
        self.raw.execute_batch("ROLLBACK").map_err(|e| self.fail(e))
    }

    fn execute_control(&mut self, sql: &str) -> QueryResult<()> {
        self.check_transaction()?;
        self.raw.execute_batch(sql).map_err(|e| self.fail(e))
    }

    fn begin_transaction(&mut self) -> QueryResult<()> {
        self.execute_control(self.begin.begin_sql())
    }

    fn commit_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        if self.raw.is_autocommit() {
            return Err(rolled_back_by_sqlite());
        }
        let sql = match savepoint {
            None => "COMMIT".to_owned(),
            Some(name) => format!("RELEASE SAVEPOINT {name}"),
        };
        self.raw.execute_batch(&sql).map_err(|e| self.fail(e))
    }

    fn rollback_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        if self.raw.is_autocommit() {
            // Nothing is open: SQLite rolled it back already.
            return Ok(());
        }
        let sql = match savepoint {
            None => "ROLLBACK".to_owned(),
            Some(name) => format!("ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}"),
        };
        self.raw.execute_batch(&sql).map_err(|e| self.fail(e))
    }
}

/// A prepared, bound query whose rows are read one at a time with [`SqliteCursor::iter`].
pub struct SqliteCursor<'c, ST, U> {
    stmt: CachedStatement<'c>,
    _row: PhantomData<fn() -> (ST, U)>,
}

impl<ST, U> std::fmt::Debug for SqliteCursor<'_, ST, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteCursor")
            .field("sql", &self.stmt.expanded_sql())
            .finish()
    }
}

impl<ST, U: FromSqlRow<ST, Sqlite>> SqliteCursor<'_, ST, U> {
    /// Runs the query and iterates over its rows, decoding each as it is read. Calling it
    /// again runs the query again.
    pub fn iter(&mut self) -> SqliteRows<'_, U, ST> {
        SqliteRows {
            rows: self.stmt.raw_query(),
            _row: PhantomData,
        }
    }
}

/// The rows of a [`SqliteCursor`], decoded one by one.
pub struct SqliteRows<'s, U, ST> {
    rows: rusqlite::Rows<'s>,
    _row: PhantomData<fn() -> (U, ST)>,
}

impl<U: FromSqlRow<ST, Sqlite>, ST> Iterator for SqliteRows<'_, U, ST> {
    type Item = QueryResult<U>;
    fn next(&mut self) -> Option<QueryResult<U>> {
        match self.rows.next() {
            Ok(Some(row)) => Some(U::from_row(row, &mut 0)),
            Ok(None) => None,
            Err(e) => Some(Err(from_rusqlite(e))),
        }
    }
}
