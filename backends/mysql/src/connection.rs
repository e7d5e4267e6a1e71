use std::marker::PhantomData;
use std::sync::Arc;

use mysql::prelude::Queryable;
use mysql::{Binary, Params, Value};
use philtre::connection::{Connection, SqlCache, SqlSource, TransactionDepth};
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};

use crate::Mysql;
use crate::error::from_mysql;

/// How many prepared statements the driver keeps per connection by default.
const DEFAULT_STATEMENT_CACHE: usize = 64;

/// A connection to a MySQL or MariaDB server.
///
/// A query whose SQL is fixed by its type is rendered once per connection; the driver's
/// statement cache (keyed by SQL text, LRU, `stmt_cache_size` in the URL or
/// [`MysqlConnection::open_with_cache`]) prepares it once.
pub struct MysqlConnection {
    conn: mysql::Conn,
    sql: SqlCache,
    renders: u64,
    depth: TransactionDepth,
}

impl std::fmt::Debug for MysqlConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MysqlConnection")
            .field("connection_id", &self.conn.connection_id())
            .finish_non_exhaustive()
    }
}

impl MysqlConnection {
    /// Connects to a `mysql://user:password@host:port/database` URL.
    pub fn open(url: &str) -> QueryResult<Self> {
        Self::open_with_cache(url, DEFAULT_STATEMENT_CACHE)
    }

    /// Connects, keeping at most `statements` prepared statements (`0` switches caching off).
    pub fn open_with_cache(url: &str, statements: usize) -> QueryResult<Self> {
        let opts = mysql::Opts::from_url(url).map_err(|e| {
            Error::new(ErrorKind::Connection, format!("invalid MySQL URL: {e}")).with_source(e)
        })?;
        let opts = mysql::OptsBuilder::from_opts(opts).stmt_cache_size(Some(statements));
        let conn = mysql::Conn::new(opts).map_err(|e| {
            let e = from_mysql(e);
            Error::new(
                ErrorKind::Connection,
                format!("cannot connect to MySQL: {}", e.message()),
            )
            .with_source(e)
        })?;
        Ok(MysqlConnection {
            conn,
            sql: SqlCache::default(),
            renders: 0,
            depth: TransactionDepth::default(),
        })
    }

    /// The underlying `mysql` connection.
    pub fn raw(&mut self) -> &mut mysql::Conn {
        &mut self.conn
    }

    /// How many statements were rendered to SQL so far (a cached static query is not).
    pub fn renders(&self) -> u64 {
        self.renders
    }

    fn sql_for<Q: QueryFragment<Mysql>>(&mut self, query: &Q) -> Arc<str> {
        // The type identifies the SQL; lifetimes inside it cannot change the text.
        let (sql, source) = self.sql.sql_for(typeid::of::<Q>(), query);
        if source == SqlSource::Rendered {
            self.renders += 1;
        }
        sql
    }

    fn prepare<Q: QueryFragment<Mysql>>(
        &mut self,
        query: &Q,
    ) -> QueryResult<(mysql::Statement, Params)> {
        let mut binds: Vec<Value> = Vec::new();
        query.collect_binds(&mut binds)?;
        let sql = self.sql_for(query);
        let stmt = self.conn.prep(&*sql).map_err(from_mysql)?;
        if usize::from(stmt.num_params()) != binds.len() {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "statement has {} placeholders but {} values were given: {sql}",
                    stmt.num_params(),
                    binds.len()
                ),
            ));
        }
        let params = if binds.is_empty() {
            Params::Empty
        } else {
            Params::Positional(binds)
        };
        Ok((stmt, params))
    }
}

impl Connection for MysqlConnection {
    type Backend = Mysql;
    type Cursor<'c, ST, U> = MysqlCursor<'c, ST, U>;

    fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        self.conn.query_drop(sql).map_err(from_mysql)
    }

    fn execute_query<Q: QueryFragment<Mysql>>(&mut self, query: &Q) -> QueryResult<usize> {
        let (stmt, params) = self.prepare(query)?;
        self.conn.exec_drop(&stmt, params).map_err(from_mysql)?;
        let n = self.conn.affected_rows();
        usize::try_from(n).map_err(|_| Error::new(ErrorKind::Other, format!("{n} rows affected")))
    }

    fn load_query<Q, U>(&mut self, query: &Q) -> QueryResult<Vec<U>>
    where
        Q: Query + QueryFragment<Mysql>,
        U: FromSqlRow<Q::SqlRow, Mysql>,
    {
        let (stmt, params) = self.prepare(query)?;
        let result = self.conn.exec_iter(&stmt, params).map_err(from_mysql)?;
        let mut out = Vec::new();
        for row in result {
            out.push(U::from_row(&row.map_err(from_mysql)?, &mut 0)?);
        }
        Ok(out)
    }

    fn load_first<Q, U>(&mut self, query: &Q) -> QueryResult<U>
    where
        Q: Query + QueryFragment<Mysql>,
        U: FromSqlRow<Q::SqlRow, Mysql>,
    {
        let (stmt, params) = self.prepare(query)?;
        let mut result = self.conn.exec_iter(&stmt, params).map_err(from_mysql)?;
        match result.next() {
            Some(row) => U::from_row(&row.map_err(from_mysql)?, &mut 0),
            None => Err(Error::not_found()),
        }
    }

    fn cursor<Q, U>(&mut self, query: &Q) -> QueryResult<MysqlCursor<'_, Q::SqlRow, U>>
    where
        Q: Query + QueryFragment<Mysql>,
        U: FromSqlRow<Q::SqlRow, Mysql>,
    {
        let (stmt, params) = self.prepare(query)?;
        let result = self.conn.exec_iter(&stmt, params).map_err(from_mysql)?;
        Ok(MysqlCursor {
            result,
            _row: PhantomData,
        })
    }

    fn transaction_depth(&mut self) -> &mut TransactionDepth {
        &mut self.depth
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
