use std::collections::HashMap;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use futures_core::Stream;
use philtre::backend::SqlWriter;
use philtre::connection::{
    ConnectOptions, Connection, Instrumented, SqlCache, SqlSource, TransactionDepth,
};
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, RowStream, SimpleQueryMessage, Statement};

use crate::driver::Driver;
use crate::params::{MAX_PARAMETERS, retyped_parameters};
use crate::{Pg, PgBind};

/// How many prepared statements of dynamic SQL a connection keeps by default.
const DEFAULT_STATEMENT_CACHE: usize = 64;

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
    driver: Driver,
    sql: SqlCache,
    by_type: philtre::connection::TypeIdMap<(Arc<str>, Statement)>,
    by_text: HashMap<Arc<str>, Statement>,
    capacity: usize,
    renders: u64,
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
            .field(
                "cached_statements",
                &(self.by_type.len() + self.by_text.len()),
            )
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
            sql: SqlCache::default(),
            by_type: philtre::connection::TypeIdMap::default(),
            by_text: HashMap::new(),
            capacity: options
                .statement_cache_capacity
                .unwrap_or(DEFAULT_STATEMENT_CACHE),
            renders: 0,
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
        self.drive(f)
    }

    /// Runs `f` on the driver, for the connection's own statements.
    fn drive<T>(
        &mut self,
        f: impl AsyncFnOnce(&Client) -> Result<T, tokio_postgres::Error>,
    ) -> QueryResult<T> {
        let Driver { client, io } = &mut self.driver;
        io.block_on(f(client))
    }

    /// Runs SQL through the simple query protocol and returns its rows as text.
    pub fn simple_query(&mut self, sql: &str) -> QueryResult<Vec<SimpleQueryMessage>> {
        self.run_async(async |client| client.simple_query(sql).await)
    }

    /// A handle that cancels the statement this connection runs, from another thread.
    pub fn cancel_handle(&self) -> crate::PgCancelHandle {
        crate::PgCancelHandle::new(self.driver.client.cancel_token())
    }

    /// How many statements were rendered to SQL so far (a cached static query is not).
    pub fn renders(&self) -> u64 {
        self.renders
    }

    /// Bounds the statement cache; `0` switches it off (every run prepares again).
    pub fn set_statement_cache_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        self.clear_statements();
    }

    /// Forgets every prepared statement (the server closes them with the next request).
    fn clear_statements(&mut self) {
        self.by_type.clear();
        self.by_text.clear();
        self.driver.client.clear_type_cache();
    }

    fn render<Q: QueryFragment<Pg>>(&mut self, query: &Q) -> Arc<str> {
        self.renders += 1;
        let mut out = SqlWriter::<Pg>::new();
        query.to_sql(&mut out);
        Arc::from(out.finish())
    }

    /// Prepares `sql` with the parameter types the server infers, and again with the types the
    /// query gives where a value cannot be sent as the inferred one (a bound `1` in a select
    /// list is `text` to the server).
    fn prepare_sql<Q: QueryFragment<Pg>>(
        &mut self,
        sql: &str,
        query: &Q,
        binds: &[PgBind<'_>],
    ) -> QueryResult<Statement> {
        let Driver { client, io } = &mut self.driver;
        let stmt = io.block_on(client.prepare(sql))?;
        match retyped_parameters(&stmt, query, binds)? {
            None => Ok(stmt),
            Some(types) => io.block_on(client.prepare_typed(sql, &types)),
        }
    }

    /// The statement for `query`, and its SQL when an instrumentation wants to see it.
    fn statement<Q: QueryFragment<Pg>>(
        &mut self,
        query: &Q,
        binds: &[PgBind<'_>],
    ) -> QueryResult<(Statement, Option<Arc<str>>)> {
        let want_sql = self.instrumented.is_set();
        let shown = |sql: &Arc<str>| want_sql.then(|| Arc::clone(sql));
        if self.capacity == 0 {
            let sql = self.render(query);
            return Ok((self.prepare_sql(&sql, query, binds)?, shown(&sql)));
        }
        if query.has_static_sql() {
            // The type identifies the SQL; lifetimes inside it cannot change the text.
            let key = typeid::of::<Q>();
            if let Some((sql, stmt)) = self.by_type.get(&key) {
                return Ok((stmt.clone(), shown(sql)));
            }
            let sql = self.render(query);
            let stmt = self.prepare_sql(&sql, query, binds)?;
            let sql_shown = shown(&sql);
            self.by_type.insert(key, (sql, stmt.clone()));
            return Ok((stmt, sql_shown));
        }
        // SQL that depends on counts (rows of an INSERT, items of an IN list) is rendered once
        // per type and counts.
        let (sql, source) = self.sql.sql_for(typeid::of::<Q>(), query);
        if source == SqlSource::Rendered {
            self.renders += 1;
        }
        if let Some(stmt) = self.by_text.get(&sql) {
            return Ok((stmt.clone(), shown(&sql)));
        }
        let stmt = self.prepare_sql(&sql, query, binds)?;
        if self.by_text.len() >= self.capacity {
            // Dynamic SQL is rarely repeated in a long tail; dropping the lot keeps the bound
            // simple and the cost one re-prepare per statement still in use.
            self.by_text.clear();
        }
        let sql_shown = shown(&sql);
        self.by_text.insert(sql, stmt.clone());
        Ok((stmt, sql_shown))
    }

    /// Prepares (or reuses) `query`'s statement and runs `call` with it and its values. A
    /// cached statement the server no longer accepts is dropped with the rest of the cache and,
    /// outside a transaction, prepared and run once more: the server refused it before running
    /// anything, so nothing runs twice.
    fn run<Q, T>(
        &mut self,
        query: &Q,
        rows: fn(&T) -> Option<usize>,
        mut call: impl AsyncFnMut(
            &Client,
            &Statement,
            &[&(dyn ToSql + Sync)],
        ) -> Result<T, tokio_postgres::Error>,
    ) -> QueryResult<T>
    where
        Q: QueryFragment<Pg>,
    {
        let mut binds: Vec<PgBind<'_>> = Vec::new();
        query.collect_binds(&mut binds)?;
        if binds.len() > MAX_PARAMETERS {
            return Err(too_many_parameters(binds.len()));
        }
        let params: Vec<&(dyn ToSql + Sync)> = binds.iter().map(PgBind::as_to_sql).collect();
        let mut retried = false;
        loop {
            let (stmt, sql) = self.statement(query, &binds)?;
            if stmt.params().len() != binds.len() {
                return Err(Error::new(
                    ErrorKind::InvalidQuery,
                    format!(
                        "statement has {} placeholders but {} values were given",
                        stmt.params().len(),
                        binds.len()
                    ),
                ));
            }
            let watch = sql
                .as_deref()
                .and_then(|sql| self.instrumented.start(sql, binds.len()));
            if let (Some(_), Some(sql)) = (&watch, &sql) {
                self.instrumented.bind_values::<Pg, Q>(sql, query);
            }
            let Driver { client, io } = &mut self.driver;
            let outcome = io.block_on(call(client, &stmt, &params));
            if let (Some(watch), Some(sql)) = (watch, &sql) {
                self.instrumented.end_result(watch, sql, &outcome, rows);
            }
            match outcome {
                Err(e) if e.kind() == ErrorKind::StaleStatement => {
                    self.clear_statements();
                    if retried || self.depth.get() > 0 {
                        let message = format!(
                            "{} (the statement was prepared before the database changed under \
                             it; it is gone from the cache, so running the transaction again \
                             prepares it anew)",
                            e.message()
                        );
                        return Err(e.context(ErrorKind::StaleStatement, message));
                    }
                    retried = true;
                }
                outcome => return outcome,
            }
        }
    }
}

/// The error of a statement with more values than PostgreSQL's protocol can carry.
#[cold]
fn too_many_parameters(count: usize) -> Error {
    Error::new(
        ErrorKind::InvalidQuery,
        format!(
            "this statement has {count} bound values, and PostgreSQL takes at most {MAX_PARAMETERS} \
             in one statement: split it (a multi-row INSERT into batches, a long IN list into \
             several queries or a join)"
        ),
    )
}

/// The next row of `rows`, if any.
async fn next_row(
    rows: &mut Pin<Box<RowStream>>,
) -> Result<Option<tokio_postgres::Row>, tokio_postgres::Error> {
    std::future::poll_fn(|cx| rows.as_mut().poll_next(cx))
        .await
        .transpose()
}

impl Connection for PgConnection {
    type Backend = Pg;
    type Cursor<'c, ST, U> = PgCursor<'c, ST, U>;

    fn execute_control(&mut self, sql: &str) -> QueryResult<()> {
        self.drive(async |client| client.batch_execute(sql).await)
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
        let n = self.run(
            query,
            |n| usize::try_from(*n).ok(),
            async |client, stmt, params| client.execute(stmt, params).await,
        )?;
        usize::try_from(n).map_err(|_| Error::new(ErrorKind::Other, format!("{n} rows affected")))
    }

    fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Pg>,
        U: FromSqlRow<Q::SqlRow, Pg>,
    {
        let rows = self.run(
            query,
            |rows: &Vec<tokio_postgres::Row>| Some(rows.len()),
            async |client, stmt, params| client.query(stmt, params).await,
        )?;
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
        let row = self.run(
            query,
            |row: &Option<tokio_postgres::Row>| Some(usize::from(row.is_some())),
            async |client, stmt, params| {
                let mut rows = Box::pin(client.query_raw(stmt, params.iter().copied()).await?);
                next_row(&mut rows).await
            },
        )?;
        match row {
            Some(row) => U::from_row(&row, &mut 0),
            None => Err(Error::not_found()),
        }
    }

    fn cursor<Q, U>(&mut self, query: &Q) -> QueryResult<PgCursor<'_, Q::SqlRow, U>>
    where
        Q: Query + QueryFragment<Pg>,
        U: FromSqlRow<Q::SqlRow, Pg>,
    {
        let rows = self.run(
            query,
            |_| None,
            async |client, stmt, params| client.query_raw(stmt, params.iter().copied()).await,
        )?;
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
        let result = match savepoint {
            None => self.execute_control("SELECT 1; COMMIT"),
            Some(name) => self.execute_control(&format!("RELEASE SAVEPOINT {name}")),
        };
        result.map_err(|e| {
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
        })
    }
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
        let rows = &mut self.cursor.rows;
        match self.cursor.driver.io.block_on(next_row(rows)) {
            Ok(Some(row)) => Some(U::from_row(&row, &mut 0)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}
