//! What the blocking and the async connection share: the prepared-statement cache, and running
//! one statement through it (prepare or reuse, bind, send, report to the instrumentation).
//!
//! Everything here is `async` over a `tokio_postgres::Client`: the async connection awaits it,
//! the blocking one drives the same future on its own runtime, so both run the same code.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use philtre::backend::SqlWriter;
use philtre::connection::{Instrumented, SqlCache, SqlSource, TypeIdMap};
use philtre::expression::QueryFragment;
use philtre::{Error, ErrorKind, QueryResult};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Row, RowStream, Statement};

use crate::error::from_postgres;
use crate::params::{MAX_PARAMETERS, declared_parameters, retyped_parameters};
use crate::{Pg, PgBind};

/// How many prepared statements of dynamic SQL a connection keeps by default.
pub(crate) const DEFAULT_STATEMENT_CACHE: usize = 64;

/// A connection's prepared statements: by query type where the SQL is fixed by the type, in a
/// bounded map by SQL text otherwise.
pub(crate) struct Statements {
    sql: SqlCache,
    by_type: TypeIdMap<(Arc<str>, Statement)>,
    by_text: HashMap<Arc<str>, Statement>,
    capacity: usize,
    renders: u64,
}

/// What to do with a prepared statement and its values.
#[derive(Clone, Copy)]
pub(crate) enum Call {
    /// Run it and count the rows it affected.
    Execute,
    /// Read every row.
    All,
    /// Read the first row, if any.
    First,
    /// Start it and hand back its rows as they come.
    Stream,
}

/// What the server answered to a [`Call`].
pub(crate) enum Answer {
    Count(u64),
    All(Vec<Row>),
    First(Option<Row>),
    Stream(RowStream),
}

impl Answer {
    /// The rows an instrumentation reports, where known.
    fn rows(&self) -> Option<usize> {
        match self {
            Answer::Count(n) => usize::try_from(*n).ok(),
            Answer::All(rows) => Some(rows.len()),
            Answer::First(row) => Some(usize::from(row.is_some())),
            Answer::Stream(_) => None,
        }
    }
}

impl Statements {
    pub(crate) fn new(capacity: usize) -> Self {
        Statements {
            sql: SqlCache::default(),
            by_type: TypeIdMap::default(),
            by_text: HashMap::new(),
            capacity,
            renders: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.by_type.len() + self.by_text.len()
    }

    /// How many statements were rendered to SQL so far.
    pub(crate) fn renders(&self) -> u64 {
        self.renders
    }

    /// Bounds the cache; `0` switches it off.
    pub(crate) fn set_capacity(&mut self, capacity: usize, client: &Client) {
        self.capacity = capacity;
        self.clear(client);
    }

    /// Writes tables' schemas through `map` from now on, forgetting the statements of before.
    pub(crate) fn set_schema_map(
        &mut self,
        map: Option<philtre::schema::SchemaTranslateMap>,
        client: &Client,
    ) {
        self.sql.set_schema_map(map);
        self.clear(client);
    }

    /// Forgets every prepared statement (the server closes them with the next request).
    pub(crate) fn clear(&mut self, client: &Client) {
        self.by_type.clear();
        self.by_text.clear();
        client.clear_type_cache();
    }

    fn render<Q: QueryFragment<Pg>>(&mut self, query: &Q) -> Arc<str> {
        self.renders += 1;
        let mut out = SqlWriter::<Pg>::new().with_schema_map(self.sql.schema_map());
        query.to_sql(&mut out);
        Arc::from(out.finish())
    }

    /// The cached statement for `query` (with its SQL when `want_sql`), or the SQL to prepare
    /// and where to keep the statement: no I/O, so that a shared cache is locked only for this.
    fn lookup<Q: QueryFragment<Pg>>(&mut self, query: &Q, want_sql: bool) -> Lookup {
        let shown = |sql: &Arc<str>| want_sql.then(|| Arc::clone(sql));
        if self.capacity == 0 {
            let sql = self.render(query);
            return Lookup::Missing(sql, Slot::Uncached);
        }
        if query.has_static_sql() {
            // The type identifies the SQL; lifetimes inside it cannot change the text.
            let key = typeid::of::<Q>();
            if let Some((sql, stmt)) = self.by_type.get(&key) {
                return Lookup::Found(stmt.clone(), shown(sql));
            }
            let sql = self.render(query);
            return Lookup::Missing(sql, Slot::ByType(key));
        }
        // SQL that depends on counts (rows of an INSERT, items of an IN list) is rendered once
        // per type and counts.
        let (sql, source) = self.sql.sql_for(typeid::of::<Q>(), query);
        if source == SqlSource::Rendered {
            self.renders += 1;
        }
        if let Some(stmt) = self.by_text.get(&sql) {
            return Lookup::Found(stmt.clone(), shown(&sql));
        }
        Lookup::Missing(sql, Slot::ByText)
    }

    /// Keeps a statement [`Statements::lookup`] did not find.
    fn store(&mut self, slot: Slot, sql: &Arc<str>, stmt: &Statement) {
        match slot {
            Slot::Uncached => {}
            Slot::ByType(key) => {
                self.by_type.insert(key, (Arc::clone(sql), stmt.clone()));
            }
            Slot::ByText => {
                if self.by_text.len() >= self.capacity {
                    // Dynamic SQL is rarely repeated in a long tail; dropping the lot keeps the
                    // bound simple and the cost one re-prepare per statement still in use.
                    self.by_text.clear();
                }
                self.by_text.insert(Arc::clone(sql), stmt.clone());
            }
        }
    }

    /// Prepares (or reuses) `query`'s statement and runs `call` with it and its values; see
    /// [`run_with`].
    pub(crate) async fn run<Q>(
        &mut self,
        client: &Client,
        instrumented: &Instrumented,
        in_transaction: bool,
        query: &Q,
        call: Call,
    ) -> QueryResult<Answer>
    where
        Q: QueryFragment<Pg>,
    {
        run_with(self, client, instrumented, in_transaction, query, call).await
    }
}

/// What [`Statements::lookup`] found.
enum Lookup {
    Found(Statement, Option<Arc<str>>),
    Missing(Arc<str>, Slot),
}

/// Where a newly prepared statement is kept.
enum Slot {
    Uncached,
    ByType(std::any::TypeId),
    ByText,
}

/// A connection's statement cache: its own (`&mut Statements`), or one its pipelined handles
/// share (`&Mutex<Statements>`, locked only between awaits, never across one).
pub(crate) trait StatementAccess: Send {
    /// Runs `f` on the cache.
    fn with<R>(&mut self, f: impl FnOnce(&mut Statements) -> R) -> R;
}

impl StatementAccess for &mut Statements {
    fn with<R>(&mut self, f: impl FnOnce(&mut Statements) -> R) -> R {
        f(self)
    }
}

impl StatementAccess for &Mutex<Statements> {
    fn with<R>(&mut self, f: impl FnOnce(&mut Statements) -> R) -> R {
        // A panic while the cache was locked left it as consistent as any of its states.
        f(&mut self.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The statement for `query`, and its SQL when `want_sql`: from the cache, or prepared (outside
/// the cache's lock) and kept.
async fn statement<Q: QueryFragment<Pg>>(
    access: &mut impl StatementAccess,
    client: &Client,
    query: &Q,
    binds: &[PgBind<'_>],
    want_sql: bool,
) -> QueryResult<(Statement, Option<Arc<str>>)> {
    match access.with(|statements| statements.lookup(query, want_sql)) {
        Lookup::Found(stmt, sql) => Ok((stmt, sql)),
        Lookup::Missing(sql, slot) => {
            let stmt = prepare_sql(client, &sql, query, binds).await?;
            access.with(|statements| statements.store(slot, &sql, &stmt));
            Ok((stmt, want_sql.then_some(sql)))
        }
    }
}

/// Prepares (or reuses) `query`'s statement and runs `call` with it and its values. A cached
/// statement the server no longer accepts is dropped with the rest of the cache and, outside a
/// transaction (`in_transaction` false), prepared and run once more: the server refused it
/// before running anything, so nothing runs twice.
pub(crate) async fn run_with<Q>(
    mut access: impl StatementAccess,
    client: &Client,
    instrumented: &Instrumented,
    in_transaction: bool,
    query: &Q,
    call: Call,
) -> QueryResult<Answer>
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
        let (stmt, sql) =
            statement(&mut access, client, query, &binds, instrumented.is_set()).await?;
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
            .and_then(|sql| instrumented.start(sql, binds.len()));
        if let (Some(_), Some(sql)) = (&watch, &sql) {
            instrumented.bind_values::<Pg, Q>(sql, query);
        }
        let outcome = send(client, &stmt, &params, call).await;
        if let (Some(watch), Some(sql)) = (watch, &sql) {
            instrumented.end_result(watch, sql, &outcome, Answer::rows);
        }
        match outcome {
            Err(e) if e.kind() == ErrorKind::StaleStatement => {
                access.with(|statements| statements.clear(client));
                if retried || in_transaction {
                    let message = format!(
                        "{} (the statement was prepared before the database changed under it; \
                         it is gone from the cache, so running the transaction again prepares \
                         it anew)",
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

/// Prepares `sql` with the parameter types the server infers, and again with the types the
/// query gives where a value cannot be sent as the inferred one (a bound `1` in a select list
/// is `text` to the server).
async fn prepare_sql<Q: QueryFragment<Pg>>(
    client: &Client,
    sql: &str,
    query: &Q,
    binds: &[PgBind<'_>],
) -> QueryResult<Statement> {
    let stmt = match client.prepare(sql).await {
        Ok(stmt) => stmt,
        // The server could not type a parameter by itself (two bound values meeting in an
        // operator): prepare it with the types the query gives, if it gives them all.
        Err(e) if untyped_parameter(&e) => {
            return match declared_parameters(query)? {
                Some(types) => client
                    .prepare_typed(sql, &types)
                    .await
                    .map_err(from_postgres),
                None => Err(from_postgres(e)),
            };
        }
        Err(e) => return Err(from_postgres(e)),
    };
    match retyped_parameters(&stmt, query, binds)? {
        None => Ok(stmt),
        Some(types) => client
            .prepare_typed(sql, &types)
            .await
            .map_err(from_postgres),
    }
}

/// Whether preparing failed because a parameter's type could not be inferred.
fn untyped_parameter(e: &tokio_postgres::Error) -> bool {
    use tokio_postgres::error::SqlState;
    e.code().is_some_and(|code| {
        *code == SqlState::AMBIGUOUS_FUNCTION
            || *code == SqlState::INDETERMINATE_DATATYPE
            || *code == SqlState::UNDEFINED_FUNCTION
    })
}

/// Sends a prepared statement with its values.
async fn send(
    client: &Client,
    stmt: &Statement,
    params: &[&(dyn ToSql + Sync)],
    call: Call,
) -> QueryResult<Answer> {
    let answer = match call {
        Call::Execute => client.execute(stmt, params).await.map(Answer::Count),
        Call::All => client.query(stmt, params).await.map(Answer::All),
        Call::First => match client.query_raw(stmt, params.iter().copied()).await {
            Ok(rows) => {
                let mut rows = std::pin::pin!(rows);
                next_row(&mut rows).await.map(Answer::First)
            }
            Err(e) => Err(e),
        },
        Call::Stream => client
            .query_raw(stmt, params.iter().copied())
            .await
            .map(Answer::Stream),
    };
    answer.map_err(from_postgres)
}

/// The next row of `rows`, if any.
pub(crate) async fn next_row(
    rows: &mut std::pin::Pin<&mut RowStream>,
) -> Result<Option<Row>, tokio_postgres::Error> {
    use futures_core::Stream;
    std::future::poll_fn(|cx| rows.as_mut().poll_next(cx))
        .await
        .transpose()
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
