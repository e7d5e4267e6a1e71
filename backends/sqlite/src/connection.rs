use std::marker::PhantomData;
use std::sync::Arc;

use philtre::backend::BindSink;
use philtre::connection::{Connection, SqlCache, SqlSource, TransactionDepth};
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};
use rusqlite::CachedStatement;
use rusqlite::types::ToSqlOutput;

use crate::Sqlite;
use crate::error::from_rusqlite;

/// How many prepared statements a connection keeps by default.
const DEFAULT_STATEMENT_CACHE: usize = 64;

/// A connection to an SQLite database.
///
/// Prepared statements are cached per connection: a query whose SQL is fixed by its Rust type
/// is rendered once and prepared once, then only bound and stepped on later runs.
pub struct SqliteConnection {
    raw: rusqlite::Connection,
    sql: SqlCache,
    stats: CacheStats,
    depth: TransactionDepth,
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
    /// Opens `:memory:`, a file path, or a URL `sqlite://path` / `sqlite::memory:`.
    ///
    /// Foreign keys are enforced (`PRAGMA foreign_keys = ON`), as on other databases.
    pub fn open(target: &str) -> QueryResult<Self> {
        let path = target
            .strip_prefix("sqlite://")
            .or_else(|| target.strip_prefix("sqlite:"))
            .unwrap_or(target);
        let raw = if path.is_empty() || path == ":memory:" {
            rusqlite::Connection::open_in_memory()
        } else {
            rusqlite::Connection::open(path)
        }
        .map_err(|e| {
            let e = from_rusqlite(e);
            Error::new(
                ErrorKind::Connection,
                format!("cannot open SQLite database `{target}`: {}", e.message()),
            )
            .with_source(e)
        })?;
        Self::from_raw(raw)
    }

    /// Wraps an already open `rusqlite` connection.
    pub fn from_raw(raw: rusqlite::Connection) -> QueryResult<Self> {
        raw.set_prepared_statement_cache_capacity(DEFAULT_STATEMENT_CACHE);
        raw.execute_batch("PRAGMA foreign_keys = ON")
            .map_err(from_rusqlite)?;
        Ok(SqliteConnection {
            raw,
            sql: SqlCache::default(),
            stats: CacheStats::default(),
            depth: TransactionDepth::default(),
        })
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
    fn prepare<Q: QueryFragment<Sqlite>>(&mut self, query: &Q) -> QueryResult<CachedStatement<'_>> {
        let sql = self.sql_for(query);
        let mut stmt = match self.raw.prepare_cached(&sql) {
            Ok(stmt) => stmt,
            Err(e) => return Err(unpreparable(query, e)),
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
                    "statement has {expected} placeholders but {} values were given: {sql}",
                    binder.given
                ),
            ));
        }
        Ok(stmt)
    }
}

/// The error of a statement SQLite would not prepare. A value that cannot be bound, or a
/// statement that cannot be built (an INSERT without rows), explains more than the SQL error
/// it causes, so the binds are collected first; out of line, off the hot path.
#[cold]
#[inline(never)]
fn unpreparable<Q: QueryFragment<Sqlite>>(query: &Q, e: rusqlite::Error) -> Error {
    let mut binds: Vec<ToSqlOutput<'_>> = Vec::new();
    match query.collect_binds(&mut binds) {
        Err(bind_error) => bind_error,
        Ok(()) => from_rusqlite(e),
    }
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

    fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        self.raw.execute_batch(sql).map_err(from_rusqlite)
    }

    fn execute_query<Q: QueryFragment<Sqlite>>(&mut self, query: &Q) -> QueryResult<usize> {
        let mut stmt = self.prepare(query)?;
        stmt.raw_execute().map_err(from_rusqlite)
    }

    fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Sqlite>,
        U: FromSqlRow<Q::SqlRow, Sqlite>,
    {
        let mut stmt = self.prepare(query)?;
        let mut rows = stmt.raw_query();
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(from_rusqlite)? {
            out.push(U::from_row(row, &mut 0)?);
        }
        Ok(out)
    }

    fn load_first<Q, U>(&mut self, query: &Q) -> QueryResult<U>
    where
        Q: Query + QueryFragment<Sqlite>,
        U: FromSqlRow<Q::SqlRow, Sqlite>,
    {
        let mut stmt = self.prepare(query)?;
        let mut rows = stmt.raw_query();
        match rows.next().map_err(from_rusqlite)? {
            Some(row) => U::from_row(row, &mut 0),
            None => Err(Error::not_found()),
        }
    }

    fn cursor<Q, U>(&mut self, query: &Q) -> QueryResult<SqliteCursor<'_, Q::SqlRow, U>>
    where
        Q: Query + QueryFragment<Sqlite>,
        U: FromSqlRow<Q::SqlRow, Sqlite>,
    {
        let stmt = self.prepare(query)?;
        Ok(SqliteCursor {
            stmt,
            _row: PhantomData,
        })
    }

    fn transaction_depth(&mut self) -> &mut TransactionDepth {
        &mut self.depth
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
