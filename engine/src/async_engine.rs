//! [`AsyncEngine`]: the async twin of [`crate::Engine`] — the same URLs, settings, logging and
//! listeners, a pool on `deadpool`, and connections whose calls are awaited.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use deadpool::managed::{Object, Pool, PoolError};
use philtre::connection::{
    AsyncConnection, AsyncTransactions, Instrumentation, Instrumented, transaction_async,
};
use philtre::expression::QueryFragment;
use philtre::query::Query;
use philtre::types::FromSqlRow;
use philtre::{Error, ErrorKind, QueryResult};

use crate::async_connect::AsyncEngineConnection;
use crate::async_pool::{AsyncManager, AsyncShared, pool_timeout};
use crate::builder::EngineBuilder;
use crate::events::{ConnectionHooks, HookFuture};
use crate::pool::PoolStatus;
use crate::url::BackendKind;

/// How many connections a NullPool engine may have open at once.
const NULL_POOL_LIMIT: usize = 1024;

/// Connections from one database URL, pooled, for async code: SQLAlchemy's `AsyncEngine`.
///
/// Built like the blocking [`crate::Engine`], from the same URL and settings:
/// `EngineBuilder::<AsyncPgConnection>::new(url).pool_size(10).build_async()?`. Cheap to clone
/// (clones share the pool) and `Send + Sync`: keep one in the application's state.
///
/// - [`AsyncEngine::connect`] checks a connection out, waiting at most `pool_timeout` (then an
///   [`ErrorKind::PoolTimeout`] error); a failed connect is reported at once.
/// - The guard gives the connection back when dropped: one left in a transaction (a dropped
///   future, a panic, raw `BEGIN`) is rolled back first, on a task of its own, so no idle
///   connection holds locks; one whose statement was cut off mid-answer is closed, never
///   handed to the next request; an overflow connection is closed when `pool_size` others are
///   idle.
/// - Pre-ping, recycle, invalidation after a disconnect, [`AsyncEngine::dispose`] and
///   [`AsyncEngine::status`] behave as on the blocking engine; so do `echo`, the statement
///   listeners and the isolation level. The connection listeners are
///   [`EngineBuilder::on_connect_async`], `on_checkout_async` and `on_checkin_async`.
///
/// ```no_run
/// use philtre::async_prelude::*;
/// use philtre_engine::{AsyncEngine, EngineBuilder};
/// use philtre_postgres::AsyncPgConnection;
/// # philtre::table! { users (id) { id -> Integer, name -> Text, } }
///
/// # async fn run() -> Result<(), philtre::Error> {
/// let engine: AsyncEngine<AsyncPgConnection> =
///     EngineBuilder::new("postgres://postgres@127.0.0.1/test?pool_size=10").build_async()?;
/// let mut conn = engine.connect().await?;
/// let names: Vec<String> = users::table.select(users::name).load(&mut conn).await?;
/// # Ok(())
/// # }
/// ```
pub struct AsyncEngine<C: AsyncEngineConnection> {
    inner: Arc<AsyncInner<C>>,
}

struct AsyncInner<C: AsyncEngineConnection> {
    shared: Arc<AsyncShared>,
    hooks: Arc<ConnectionHooks<C>>,
    pool: Pool<AsyncManager<C>>,
    shown_url: String,
}

impl<C: AsyncEngineConnection> Clone for AsyncEngine<C> {
    fn clone(&self) -> Self {
        AsyncEngine {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<C: AsyncEngineConnection> fmt::Debug for AsyncEngine<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncEngine")
            .field("backend", &self.inner.shared.kind)
            .field("url", &self.inner.shown_url)
            .field("status", &self.status())
            .finish()
    }
}

impl<C: AsyncEngineConnection> EngineBuilder<C> {
    /// Runs `setup` on each new connection of an async engine before first use (`SET
    /// search_path`, session variables; SQLAlchemy's `connect` event). An error fails that
    /// connect. The hook returns a boxed future: `|conn| Box::pin(async move { … })`.
    pub fn on_connect_async(
        mut self,
        setup: impl for<'c> Fn(&'c mut C) -> HookFuture<'c> + Send + Sync + 'static,
    ) -> Self {
        self.hooks.connect_async.push(Box::new(setup));
        self
    }

    /// Runs `check` on each connection of an async engine as it is checked out; an error
    /// closes that connection and fails the checkout with it (SQLAlchemy's `checkout` event).
    pub fn on_checkout_async(
        mut self,
        check: impl for<'c> Fn(&'c mut C) -> HookFuture<'c> + Send + Sync + 'static,
    ) -> Self {
        self.hooks.checkout_async.push(Box::new(check));
        self
    }

    /// Runs `f` on each connection of an async engine as it comes back, before the pool
    /// resets it (SQLAlchemy's `checkin` event); not async, as it runs in the guard's `Drop`.
    pub fn on_checkin_async(mut self, f: impl Fn(&mut C) + Send + Sync + 'static) -> Self {
        self.hooks.checkin.push(Box::new(f));
        self
    }

    /// Builds the async engine. Nothing is connected yet: the first
    /// [`AsyncEngine::connect`] opens the first connection (and reports a bad password or an
    /// unreachable server).
    pub fn build_async(self) -> QueryResult<AsyncEngine<C>> {
        let prepared = self.prepare(C::opens)?;
        let settings = prepared.settings;
        let hooks = Arc::new(prepared.hooks);
        let shared = Arc::new(AsyncShared::new(
            prepared.kind,
            prepared.backend_url,
            prepared.options,
            settings,
            prepared.null_pool,
            prepared.setup_sql,
            prepared.statements,
        ));
        let max_size = if prepared.null_pool {
            NULL_POOL_LIMIT
        } else {
            usize::try_from(settings.size + settings.max_overflow).unwrap_or(NULL_POOL_LIMIT)
        };
        let pool = Pool::builder(AsyncManager::new(Arc::clone(&shared), Arc::clone(&hooks)))
            .max_size(max_size)
            .wait_timeout(Some(settings.timeout))
            .recycle_timeout(Some(settings.timeout))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| Error::new(ErrorKind::Other, format!("cannot build the pool: {e}")))?;
        Ok(AsyncEngine {
            inner: Arc::new(AsyncInner {
                shared,
                hooks,
                pool,
                shown_url: prepared.shown_url,
            }),
        })
    }
}

impl<C: AsyncEngineConnection> AsyncEngine<C> {
    /// The database this engine connects to.
    pub fn backend(&self) -> BackendKind {
        self.inner.shared.kind
    }

    /// The URL, with any password hidden.
    pub fn url(&self) -> &str {
        &self.inner.shown_url
    }

    /// Checks a connection out of the pool, opening one if none is idle and the pool may
    /// open more, or waiting for one to come back for at most the pool's timeout (then an
    /// [`ErrorKind::PoolTimeout`] error). A failed connect is reported at once, with its own
    /// error. The guard derefs to the connection and gives it back when dropped.
    pub async fn connect(&self) -> QueryResult<AsyncPooledConnection<C>> {
        let pool = &self.inner.pool;
        let object = match pool.get().await {
            Ok(object) => object,
            Err(PoolError::Timeout(_)) => {
                return Err(pool_timeout(&self.inner.shared, pool.status().size));
            }
            Err(PoolError::Backend(e)) => return Err(e),
            Err(PoolError::Closed) => {
                return Err(Error::new(
                    ErrorKind::Connection,
                    "the engine's pool is closed",
                ));
            }
            Err(other) => return Err(Error::new(ErrorKind::Other, other.to_string())),
        };
        let mut conn = AsyncPooledConnection {
            object: Some(object),
            shared: Arc::clone(&self.inner.shared),
            hooks: Arc::clone(&self.inner.hooks),
        };
        for hook in &self.inner.hooks.checkout_async {
            if let Err(e) = hook(conn.conn_mut()).await {
                conn.discard();
                return Err(e);
            }
        }
        Ok(conn)
    }

    /// Checks a connection out and runs `f` in a transaction on it: committed if `f` returns
    /// `Ok`, rolled back if it returns `Err`, panics or its future is dropped (SQLAlchemy's
    /// `engine.begin()`).
    pub async fn begin<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&mut C) -> Result<T, E>,
        E: From<Error>,
    {
        let mut conn = self.connect().await?;
        transaction_async(&mut *conn, f).await
    }

    /// How many connections the pool holds and how many are in use.
    pub fn status(&self) -> PoolStatus {
        let settings = self.inner.shared.settings;
        let status = self.inner.pool.status();
        let open = u32::try_from(status.size).unwrap_or(u32::MAX);
        let idle = u32::try_from(status.available).unwrap_or(u32::MAX);
        PoolStatus {
            size: settings.size,
            max_overflow: settings.max_overflow,
            checked_out: open.saturating_sub(idle),
            idle,
            overflow: open.saturating_sub(settings.size),
        }
    }

    /// Closes every idle connection now, and every checked-out one when it comes back; the
    /// engine opens new ones as needed (SQLAlchemy's `engine.dispose()`).
    pub fn dispose(&self) {
        self.inner.shared.invalidate_all();
        self.inner.pool.retain(|_, _| false);
    }

    /// Marks every connection open now as not to be reused: idle ones are closed at their next
    /// checkout, checked-out ones when they come back. The engine does this by itself when a
    /// connection is found broken.
    pub fn invalidate(&self) {
        self.inner.shared.invalidate_all();
    }

    /// The statement listeners and logging this engine gives each connection, if any.
    pub fn instrumentation(&self) -> Option<Arc<dyn Instrumentation>> {
        self.inner.shared.statements.clone()
    }
}

/// A connection checked out of an [`AsyncEngine`]; derefs to the connection, runs statements
/// itself (`query.load(&mut conn).await`), and goes back to the pool when dropped.
pub struct AsyncPooledConnection<C: AsyncEngineConnection> {
    object: Option<Object<AsyncManager<C>>>,
    shared: Arc<AsyncShared>,
    hooks: Arc<ConnectionHooks<C>>,
}

impl<C: AsyncEngineConnection> AsyncPooledConnection<C> {
    fn conn(&self) -> &C {
        match &self.object {
            Some(object) => &object.conn,
            None => unreachable!("the connection is taken only when the guard is dropped"),
        }
    }

    fn conn_mut(&mut self) -> &mut C {
        match &mut self.object {
            Some(object) => &mut object.conn,
            None => unreachable!("the connection is taken only when the guard is dropped"),
        }
    }

    /// Closes this connection instead of giving it back (SQLAlchemy's `invalidate()`).
    pub fn invalidate(mut self) {
        self.discard();
    }

    fn discard(&mut self) {
        if let Some(object) = self.object.take() {
            drop(Object::take(object));
        }
    }

    /// Runs `f` in a transaction (a savepoint when nested); see [`transaction_async`].
    pub async fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: AsyncFnOnce(&mut Self) -> Result<T, E>,
        E: From<Error>,
    {
        transaction_async(self, f).await
    }
}

impl<C: AsyncEngineConnection> Deref for AsyncPooledConnection<C> {
    type Target = C;
    fn deref(&self) -> &C {
        self.conn()
    }
}

impl<C: AsyncEngineConnection> DerefMut for AsyncPooledConnection<C> {
    fn deref_mut(&mut self) -> &mut C {
        self.conn_mut()
    }
}

impl<C: AsyncEngineConnection> fmt::Debug for AsyncPooledConnection<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncPooledConnection")
            .field("backend", &self.shared.kind)
            .finish_non_exhaustive()
    }
}

impl<C: AsyncEngineConnection> Drop for AsyncPooledConnection<C> {
    /// Gives the connection back, or closes it (see [`AsyncEngine`]).
    fn drop(&mut self) {
        let Some(mut object) = self.object.take() else {
            return;
        };
        for hook in &self.hooks.checkin {
            hook(&mut object.conn);
        }
        let shared = &self.shared;
        let age = Object::metrics(&object).age();
        let overflow = Object::pool(&object)
            .is_some_and(|pool| pool.status().available + 1 > shared.settings.size as usize);
        if shared.null_pool || overflow || !shared.reusable(&object, age) {
            drop(Object::take(object));
            return;
        }
        if !object.conn.needs_reset() {
            return; // back to the pool as it is
        }
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    // Back to the pool once rolled back; closed if that fails.
                    if object.conn.reset().await.is_err() {
                        drop(Object::take(object));
                    }
                });
            }
            Err(_) => drop(Object::take(object)),
        }
    }
}

impl<C: AsyncEngineConnection> AsyncConnection for AsyncPooledConnection<C> {
    type Backend = C::Backend;
    type Lane = C::Lane;

    fn pipeline_lane(&mut self) -> Option<C::Lane> {
        self.conn_mut().pipeline_lane()
    }

    type RowStream<'c, U>
        = C::RowStream<'c, U>
    where
        U: Send + 'static;

    fn load_stream<'c, Q, U>(
        &'c mut self,
        query: &Q,
    ) -> impl Future<Output = QueryResult<Self::RowStream<'c, U>>> + Send
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static,
    {
        self.conn_mut().load_stream(query)
    }

    fn batch_execute(&mut self, sql: &str) -> impl Future<Output = QueryResult<()>> + Send {
        self.conn_mut().batch_execute(sql)
    }

    fn execute_query<Q>(&mut self, query: &Q) -> impl Future<Output = QueryResult<usize>> + Send
    where
        Q: QueryFragment<Self::Backend> + Sync,
    {
        self.conn_mut().execute_query(query)
    }

    fn load_query<Q, U>(&mut self, query: &Q) -> impl Future<Output = QueryResult<Vec<U>>> + Send
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static,
    {
        self.conn_mut().load_query(query)
    }

    fn load_first<Q, U>(&mut self, query: &Q) -> impl Future<Output = QueryResult<U>> + Send
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static,
    {
        self.conn_mut().load_first(query)
    }

    fn transactions(&mut self) -> &mut AsyncTransactions {
        self.conn_mut().transactions()
    }

    fn instrumentation(&mut self) -> &mut Instrumented {
        self.conn_mut().instrumentation()
    }

    fn is_broken(&self) -> bool {
        self.conn().is_broken()
    }

    fn last_insert_id(&self) -> Option<u64> {
        self.conn().last_insert_id()
    }

    fn last_insert_rowid(&self) -> Option<i64> {
        self.conn().last_insert_rowid()
    }

    fn auto_increment_step(&mut self) -> impl Future<Output = QueryResult<u64>> + Send {
        self.conn_mut().auto_increment_step()
    }

    fn ping(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        self.conn_mut().ping()
    }

    fn execute_control(&mut self, sql: &str) -> impl Future<Output = QueryResult<()>> + Send {
        self.conn_mut().execute_control(sql)
    }

    fn begin_transaction(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        self.conn_mut().begin_transaction()
    }

    fn commit_transaction(
        &mut self,
        savepoint: Option<&str>,
    ) -> impl Future<Output = QueryResult<()>> + Send {
        self.conn_mut().commit_transaction(savepoint)
    }

    fn rollback_transaction(
        &mut self,
        savepoint: Option<&str>,
    ) -> impl Future<Output = QueryResult<()>> + Send {
        self.conn_mut().rollback_transaction(savepoint)
    }

    fn settle(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        self.conn_mut().settle()
    }

    fn needs_reset(&mut self) -> bool {
        self.conn_mut().needs_reset()
    }

    fn reset(&mut self) -> impl Future<Output = QueryResult<()>> + Send {
        self.conn_mut().reset()
    }
}
