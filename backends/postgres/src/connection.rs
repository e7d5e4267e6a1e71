use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use philtre::backend::SqlWriter;
use philtre::connection::{Connection, SqlCache, SqlSource, TransactionDepth};
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{NoTls, Statement};

use crate::error::from_postgres;
use crate::{Pg, PgBind};

/// How many prepared statements of dynamic SQL a connection keeps by default.
const DEFAULT_STATEMENT_CACHE: usize = 64;

/// A connection to a PostgreSQL server.
///
/// Prepared statements are cached: by query type where the SQL is fixed by the type (neither
/// rendered nor prepared again), by SQL text otherwise. The text-keyed part is bounded;
/// [`PgConnection::set_statement_cache_capacity`]`(0)` switches caching off, for poolers such
/// as PgBouncer in transaction mode.
pub struct PgConnection {
    client: postgres::Client,
    sql: SqlCache,
    by_type: philtre::connection::TypeIdMap<(Arc<str>, Statement)>,
    by_text: HashMap<Arc<str>, Statement>,
    capacity: usize,
    renders: u64,
    depth: TransactionDepth,
}

impl std::fmt::Debug for PgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConnection")
            .field(
                "cached_statements",
                &(self.by_type.len() + self.by_text.len()),
            )
            .finish_non_exhaustive()
    }
}

impl PgConnection {
    /// Connects to a `postgres://user@host:port/database` URL (or a key=value string).
    pub fn open(url: &str) -> QueryResult<Self> {
        let client = postgres::Client::connect(url, NoTls).map_err(|e| {
            let e = from_postgres(e);
            Error::new(
                ErrorKind::Connection,
                format!("cannot connect to PostgreSQL: {}", e.message()),
            )
            .with_source(e)
        })?;
        Ok(Self::from_client(client))
    }

    /// Wraps a connected `postgres` client.
    pub fn from_client(client: postgres::Client) -> Self {
        PgConnection {
            client,
            sql: SqlCache::default(),
            by_type: philtre::connection::TypeIdMap::default(),
            by_text: HashMap::new(),
            capacity: DEFAULT_STATEMENT_CACHE,
            renders: 0,
            depth: TransactionDepth::default(),
        }
    }

    /// The underlying `postgres` client.
    pub fn raw(&mut self) -> &mut postgres::Client {
        &mut self.client
    }

    /// How many statements were rendered to SQL so far (a cached static query is not).
    pub fn renders(&self) -> u64 {
        self.renders
    }

    /// Bounds the statement cache; `0` switches it off (every run prepares again).
    pub fn set_statement_cache_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        self.by_type.clear();
        self.by_text.clear();
    }

    fn render<Q: QueryFragment<Pg>>(&mut self, query: &Q) -> Arc<str> {
        self.renders += 1;
        let mut out = SqlWriter::<Pg>::new();
        query.to_sql(&mut out);
        Arc::from(out.finish())
    }

    fn statement<Q: QueryFragment<Pg>>(&mut self, query: &Q) -> QueryResult<Statement> {
        if self.capacity == 0 {
            let sql = self.render(query);
            return self.client.prepare(&sql).map_err(from_postgres);
        }
        if query.has_static_sql() {
            // The type identifies the SQL; lifetimes inside it cannot change the text.
            let key = typeid::of::<Q>();
            if let Some((_, stmt)) = self.by_type.get(&key) {
                return Ok(stmt.clone());
            }
            let sql = self.render(query);
            let stmt = self.client.prepare(&sql).map_err(from_postgres)?;
            self.by_type.insert(key, (sql, stmt.clone()));
            return Ok(stmt);
        }
        // SQL that depends on counts (rows of an INSERT, items of an IN list) is rendered once
        // per type and counts.
        let (sql, source) = self.sql.sql_for(typeid::of::<Q>(), query);
        if source == SqlSource::Rendered {
            self.renders += 1;
        }
        if let Some(stmt) = self.by_text.get(&sql) {
            return Ok(stmt.clone());
        }
        let stmt = self.client.prepare(&sql).map_err(from_postgres)?;
        if self.by_text.len() >= self.capacity {
            // Dynamic SQL is rarely repeated in a long tail; dropping the lot keeps the bound
            // simple and the cost one re-prepare per statement still in use.
            self.by_text.clear();
        }
        self.by_text.insert(sql, stmt.clone());
        Ok(stmt)
    }

    fn prepare<'q, Q: QueryFragment<Pg>>(
        &mut self,
        query: &'q Q,
    ) -> QueryResult<(Statement, Vec<PgBind<'q>>)> {
        let mut binds: Vec<PgBind<'q>> = Vec::new();
        query.collect_binds(&mut binds)?;
        let stmt = self.statement(query)?;
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
        Ok((stmt, binds))
    }
}

fn params<'b>(binds: &'b [PgBind<'_>]) -> Vec<&'b (dyn ToSql + Sync)> {
    binds.iter().map(PgBind::as_to_sql).collect()
}

impl Connection for PgConnection {
    type Backend = Pg;
    type Cursor<'c, ST, U> = PgCursor<'c, ST, U>;

    fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        self.client.batch_execute(sql).map_err(from_postgres)
    }

    fn execute_query<Q: QueryFragment<Pg>>(&mut self, query: &Q) -> QueryResult<usize> {
        let (stmt, binds) = self.prepare(query)?;
        let n = self
            .client
            .execute(&stmt, &params(&binds))
            .map_err(from_postgres)?;
        usize::try_from(n).map_err(|_| Error::new(ErrorKind::Other, format!("{n} rows affected")))
    }

    fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Pg>,
        U: FromSqlRow<Q::SqlRow, Pg>,
    {
        let (stmt, binds) = self.prepare(query)?;
        let rows = self
            .client
            .query(&stmt, &params(&binds))
            .map_err(from_postgres)?;
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
        let (stmt, binds) = self.prepare(query)?;
        let mut rows = self
            .client
            .query_raw(&stmt, params(&binds))
            .map_err(from_postgres)?;
        match rows.next().map_err(from_postgres)? {
            Some(row) => U::from_row(&row, &mut 0),
            None => Err(Error::not_found()),
        }
    }

    fn cursor<Q, U>(&mut self, query: &Q) -> QueryResult<PgCursor<'_, Q::SqlRow, U>>
    where
        Q: Query + QueryFragment<Pg>,
        U: FromSqlRow<Q::SqlRow, Pg>,
    {
        let (stmt, binds) = self.prepare(query)?;
        let rows = self
            .client
            .query_raw(&stmt, params(&binds))
            .map_err(from_postgres)?;
        Ok(PgCursor {
            rows,
            _row: PhantomData,
        })
    }

    fn transaction_depth(&mut self) -> &mut TransactionDepth {
        &mut self.depth
    }
}

/// A running query whose rows are read from the server one at a time.
pub struct PgCursor<'c, ST, U> {
    rows: postgres::RowIter<'c>,
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
            rows: &mut self.rows,
            _row: PhantomData,
        }
    }
}

/// The rows of a [`PgCursor`], decoded one by one.
pub struct PgRows<'r, 'c, ST, U> {
    rows: &'r mut postgres::RowIter<'c>,
    _row: PhantomData<fn() -> (ST, U)>,
}

impl<ST, U: FromSqlRow<ST, Pg>> Iterator for PgRows<'_, '_, ST, U> {
    type Item = QueryResult<U>;
    fn next(&mut self) -> Option<QueryResult<U>> {
        match self.rows.next() {
            Ok(Some(row)) => Some(U::from_row(&row, &mut 0)),
            Ok(None) => None,
            Err(e) => Some(Err(from_postgres(e))),
        }
    }
}
