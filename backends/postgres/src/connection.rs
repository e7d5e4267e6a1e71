use std::marker::PhantomData;
use std::pin::Pin;

use philtre::connection::{ConnectOptions, Connection, Instrumented, TransactionDepth};
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};
use tokio_postgres::{Client, RowStream, SimpleQueryMessage};

use crate::Pg;
use crate::driver::Driver;
use crate::statements::{Answer, Call, DEFAULT_STATEMENT_CACHE, Statements, next_row};

/// A connection to a PostgreSQL server.
///
/// Prepared statements are cached: by query type where the SQL is fixed by the type (neither
/// rendered nor prepared again), by SQL text otherwise. The text-keyed part is bounded;
/// [`PgConnection::set_statement_cache_capacity`]`(0)` switches caching off, for poolers such
/// as PgBouncer in transaction mode. A cached statement the server no longer accepts (a column
/// changed type, a pooler lost it) is prepared again once, outside a transaction; inside one,
/// the error is [`ErrorKind::StaleStatement`] and running the transaction again succeeds.
///
/// Every wait is bounded: connecting by the connect timeout (10 s unless set), each answer by
/// the read timeout when one is set (see [`ConnectOptions`]).
pub struct PgConnection {
    pub(crate) driver: Driver,
    statements: Statements,
    depth: TransactionDepth,
    instrumented: Instrumented,
    /// Raw SQL ran since the last [`Connection::reset`], so a transaction may be open that
    /// `depth` does not know of (tokio-postgres does not report the server's transaction
    /// status).
    raw_sql_ran: bool,
}

impl std::fmt::Debug for PgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConnection")
            .field("cached_statements", &self.statements.len())
            .field("broken", &self.driver.is_broken())
            .finish_non_exhaustive()
    }
}

impl PgConnection {
    /// Connects to a `postgres://user@host:port/database` URL (or a libpq `key=value` string).
    ///
    /// philtre's options may be part of the query string (`?connect_timeout=5&statement_timeout=30s`,
    /// see [`ConnectOptions`]); every other parameter goes to the driver (`sslmode`,
    /// `application_name`, `options`, `keepalives_idle`, …).
    pub fn open(url: &str) -> QueryResult<Self> {
        Self::open_with(url, &ConnectOptions::new())
    }

    /// Connects with options set in code, which win over the same options in the URL.
    pub fn open_with(url: &str, options: &ConnectOptions) -> QueryResult<Self> {
        let settings = crate::config::settings(url, options)?;
        let options = settings.options;
        let driver = Driver::connect(
            &settings.config,
            &settings.tls,
            options.effective_connect_timeout(),
            options.read_timeout.and_then(philtre::connection::enabled),
        )?;
        Ok(PgConnection {
            driver,
            statements: Statements::new(
                options
                    .statement_cache_capacity
                    .unwrap_or(DEFAULT_STATEMENT_CACHE),
            ),
            depth: TransactionDepth::default(),
            instrumented: Instrumented::default(),
            raw_sql_ran: false,
        })
    }

    /// Runs `f` on the underlying `tokio_postgres::Client`, for what philtre does not cover
    /// (COPY, LISTEN). The same bounds apply as to philtre's own calls.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), philtre::Error> {
    /// let mut conn = philtre_postgres::PgConnection::open("postgres://postgres@127.0.0.1/test")?;
    /// let version: String = conn.run_async(async |client| {
    ///     client.query_one("SHOW server_version", &[]).await?.try_get(0)
    /// })?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn run_async<T>(
        &mut self,
        f: impl AsyncFnOnce(&Client) -> Result<T, tokio_postgres::Error>,
    ) -> QueryResult<T> {
        self.raw_sql_ran = true;
        let Driver { client, io } = &mut self.driver;
        io.block_on_driver(f(client))
    }

    /// Runs SQL through the simple query protocol and returns its rows as text.
    pub fn simple_query(&mut self, sql: &str) -> QueryResult<Vec<SimpleQueryMessage>> {
        self.raw_sql_ran = true;
        let Driver { client, io } = &mut self.driver;
        io.block_on_driver(client.simple_query(sql))
    }

    /// A handle that cancels the statement this connection runs, from another thread.
    pub fn cancel_handle(&self) -> crate::PgCancelHandle {
        crate::PgCancelHandle::new(self.driver.client.cancel_token())
    }

    /// How many statements were rendered to SQL so far (a cached static query is not).
    pub fn renders(&self) -> u64 {
        self.statements.renders()
    }

    /// Bounds the statement cache; `0` switches it off (every run prepares again).
    pub fn set_statement_cache_capacity(&mut self, capacity: usize) {
        self.statements.set_capacity(capacity, &self.driver.client);
    }

    /// Writes the schemas of tables through `map` from now on (SQLAlchemy's
    /// `schema_translate_map`): a table declared without a schema goes to the one
    /// `map.map(None, "tenant_7")` names, and so on. `None` writes schemas as declared again.
    /// The statements cached so far are forgotten.
    pub fn set_schema_translate_map(&mut self, map: Option<philtre::schema::SchemaTranslateMap>) {
        self.statements.set_schema_map(map, &self.driver.client);
    }

    /// Runs `query` through the statement cache, blocking until the answer is in.
    fn run<Q: QueryFragment<Pg>>(&mut self, query: &Q, call: Call) -> QueryResult<Answer> {
        let Driver { client, io } = &mut self.driver;
        let in_transaction = self.depth.get() > 0;
        io.block_on(
            self.statements
                .run(client, &self.instrumented, in_transaction, query, call),
        )
    }
}

impl Connection for PgConnection {
    type Backend = Pg;
    type Cursor<'c, ST, U> = PgCursor<'c, ST, U>;

    fn execute_control(&mut self, sql: &str) -> QueryResult<()> {
        let Driver { client, io } = &mut self.driver;
        io.block_on_driver(client.batch_execute(sql))
    }

    fn reset(&mut self) -> QueryResult<()> {
        if self.depth.get() == 0 && !self.raw_sql_ran {
            return Ok(());
        }
        self.depth.clear();
        self.raw_sql_ran = false;
        // Outside a transaction PostgreSQL answers ROLLBACK with a warning, not an error.
        self.execute_control("ROLLBACK")
    }

    fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        self.raw_sql_ran = true;
        let watch = self.instrumented.start(sql, 0);
        let result = self.execute_control(sql);
        if let Some(watch) = watch {
            self.instrumented.end_result(watch, sql, &result, |_| None);
        }
        result
    }

    fn execute_query<Q: QueryFragment<Pg>>(&mut self, query: &Q) -> QueryResult<usize> {
        match self.run(query, Call::Execute)? {
            Answer::Count(n) => usize::try_from(n)
                .map_err(|_| Error::new(ErrorKind::Other, format!("{n} rows affected"))),
            _ => unreachable_answer(),
        }
    }

    fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Pg>,
        U: FromSqlRow<Q::SqlRow, Pg>,
    {
        let Answer::All(rows) = self.run(query, Call::All)? else {
            return unreachable_answer();
        };
        // Sized once: collecting into a `Result` would grow the vector row by row.
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(U::from_row(row, &mut 0)?);
        }
        Ok(out)
    }

    fn load_first<Q, U>(&mut self, query: &Q) -> QueryResult<U>
    where
        Q: Query + QueryFragment<Pg>,
        U: FromSqlRow<Q::SqlRow, Pg>,
    {
        match self.run(query, Call::First)? {
            Answer::First(Some(row)) => U::from_row(&row, &mut 0),
            Answer::First(None) => Err(Error::not_found()),
            _ => unreachable_answer(),
        }
    }

    fn cursor<Q, U>(&mut self, query: &Q) -> QueryResult<PgCursor<'_, Q::SqlRow, U>>
    where
        Q: Query + QueryFragment<Pg>,
        U: FromSqlRow<Q::SqlRow, Pg>,
    {
        let Answer::Stream(rows) = self.run(query, Call::Stream)? else {
            return unreachable_answer();
        };
        Ok(PgCursor {
            driver: &mut self.driver,
            rows: Box::pin(rows),
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
        self.driver.is_broken()
    }

    fn ping(&mut self) -> QueryResult<()> {
        self.batch_execute("")
    }

    /// PostgreSQL answers the COMMIT of a transaction that a failed statement aborted with a
    /// rollback, not an error. A statement before it, in the same round trip, fails in that
    /// state, and the COMMIT after it is then not run.
    fn commit_transaction(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        let result = self.execute_control(&commit_sql(savepoint));
        result.map_err(|e| commit_refused(e, savepoint))
    }
}

/// How a PostgreSQL connection commits: `SELECT 1; COMMIT` for a transaction, so that a
/// transaction a failed statement aborted fails at the `SELECT` instead of being rolled back
/// quietly by the COMMIT (PostgreSQL answers the COMMIT of an aborted transaction with a
/// rollback, not an error); `RELEASE SAVEPOINT` for a savepoint.
pub(crate) fn commit_sql(savepoint: Option<&str>) -> String {
    match savepoint {
        None => "SELECT 1; COMMIT".to_owned(),
        Some(name) => format!("RELEASE SAVEPOINT {name}"),
    }
}

/// Says what a refused COMMIT means for the work.
pub(crate) fn commit_refused(e: Error, savepoint: Option<&str>) -> Error {
    if e.kind() != ErrorKind::TransactionAborted {
        return e;
    }
    let what = if savepoint.is_some() {
        "nested transaction (savepoint)"
    } else {
        "transaction"
    };
    let message = format!(
        "the {what} was rolled back, not committed: a statement in it failed, and \
         PostgreSQL aborts a transaction at its first error. To go on after a \
         statement that may fail, run that statement in a nested transaction"
    );
    e.context(ErrorKind::TransactionAborted, message)
}

/// A running query whose rows are read from the server one at a time.
pub struct PgCursor<'c, ST, U> {
    driver: &'c mut Driver,
    rows: Pin<Box<RowStream>>,
    _row: PhantomData<fn() -> (ST, U)>,
}

impl<ST, U> std::fmt::Debug for PgCursor<'_, ST, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgCursor").finish_non_exhaustive()
    }
}

impl<'c, ST, U: FromSqlRow<ST, Pg>> PgCursor<'c, ST, U> {
    /// Iterates over the rows not read yet, decoding each as it arrives.
    pub fn iter(&mut self) -> PgRows<'_, 'c, ST, U> {
        PgRows {
            cursor: self,
            _row: PhantomData,
        }
    }
}

/// The rows of a [`PgCursor`], decoded one by one.
pub struct PgRows<'r, 'c, ST, U> {
    cursor: &'r mut PgCursor<'c, ST, U>,
    _row: PhantomData<fn() -> (ST, U)>,
}

impl<ST, U: FromSqlRow<ST, Pg>> Iterator for PgRows<'_, '_, ST, U> {
    type Item = QueryResult<U>;
    fn next(&mut self) -> Option<QueryResult<U>> {
        let mut rows = self.cursor.rows.as_mut();
        match self.cursor.driver.io.block_on_driver(next_row(&mut rows)) {
            Ok(Some(row)) => Some(U::from_row(&row, &mut 0)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// The answer a [`Call`] cannot get: each call has one kind of answer.
#[cold]
pub(crate) fn unreachable_answer<T>() -> QueryResult<T> {
    Err(Error::new(
        ErrorKind::Other,
        "internal error: the driver answered a different call",
    ))
}
