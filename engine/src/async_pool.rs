//! The async pool: SQLAlchemy's QueuePool semantics on `deadpool`, as `pool.rs` gives them on
//! `r2d2`.
//!
//! deadpool does the waiting, the queueing and the checkout timeout. The rest:
//!
//! * `pool_size` + `max_overflow`: deadpool's `max_size` is their sum; a connection coming
//!   back while `pool_size` others are idle is closed (an overflow connection).
//! * reset on return: a connection coming back with a transaction left open (by a dropped
//!   future, a panic, a `BEGIN` run as raw SQL) is rolled back on a task of its own before it
//!   goes back, so no idle connection holds locks; one whose statement was cut off is closed.
//! * recycle, invalidation, pre-ping: checked in `recycle` at checkout.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use deadpool::managed::{Metrics, RecycleError, RecycleResult};
use philtre::connection::{ConnectOptions, Instrumentation};
use philtre::{Error, ErrorKind, QueryResult};

use crate::async_connect::AsyncEngineConnection;
use crate::events::ConnectionHooks;
use crate::pool::PoolSettings;
use crate::url::BackendKind;

/// A pooled connection and the pool generation it was opened in.
pub(crate) struct Pooled<C> {
    pub(crate) conn: C,
    generation: u64,
}

/// What the async pool knows: how to open connections, and its settings.
pub(crate) struct AsyncShared {
    pub(crate) kind: BackendKind,
    pub(crate) url: String,
    pub(crate) options: ConnectOptions,
    pub(crate) settings: PoolSettings,
    pub(crate) null_pool: bool,
    pub(crate) setup_sql: Vec<String>,
    pub(crate) statements: Option<Arc<dyn Instrumentation>>,
    /// Connections opened before the last disconnect or `dispose` have an older generation and
    /// are closed instead of reused.
    generation: AtomicU64,
}

impl AsyncShared {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        kind: BackendKind,
        url: String,
        options: ConnectOptions,
        settings: PoolSettings,
        null_pool: bool,
        setup_sql: Vec<String>,
        statements: Option<Arc<dyn Instrumentation>>,
    ) -> Self {
        AsyncShared {
            kind,
            url,
            options,
            settings,
            null_pool,
            setup_sql,
            statements,
            generation: AtomicU64::new(0),
        }
    }

    /// Marks every connection open now as not to be reused.
    pub(crate) fn invalidate_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// After a disconnect: every connection opened before `generation` ended is replaced.
    pub(crate) fn invalidate_older_than(&self, generation: u64) {
        let _ = self.generation.compare_exchange(
            generation,
            generation + 1,
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
    }

    /// Whether a connection may go back to the pool (not broken, not invalidated, not past its
    /// recycle age); a broken one invalidates every connection as old as it.
    pub(crate) fn reusable<C: AsyncEngineConnection>(
        &self,
        pooled: &Pooled<C>,
        age: Duration,
    ) -> bool {
        if pooled.conn.is_broken() {
            self.invalidate_older_than(pooled.generation);
            return false;
        }
        pooled.generation >= self.generation.load(Ordering::SeqCst) && !self.too_old(age)
    }

    fn too_old(&self, age: Duration) -> bool {
        self.settings.recycle.is_some_and(|limit| age >= limit)
    }
}

/// deadpool's view of the engine: how to open a connection and whether an idle one may be
/// handed out.
pub(crate) struct AsyncManager<C> {
    pub(crate) shared: Arc<AsyncShared>,
    pub(crate) hooks: Arc<ConnectionHooks<C>>,
}

impl<C> AsyncManager<C> {
    pub(crate) fn new(shared: Arc<AsyncShared>, hooks: Arc<ConnectionHooks<C>>) -> Self {
        AsyncManager { shared, hooks }
    }
}

impl<C: AsyncEngineConnection> deadpool::managed::Manager for AsyncManager<C> {
    type Type = Pooled<C>;
    type Error = Error;

    /// Opens and sets up a new connection: the URL's options, the engine's setup SQL
    /// (isolation level), the `connect` hooks, then its instrumentation.
    async fn create(&self) -> QueryResult<Pooled<C>> {
        let shared = &self.shared;
        let generation = shared.generation.load(Ordering::SeqCst);
        let mut conn = C::open_url(&shared.url, &shared.options).await?;
        for sql in &shared.setup_sql {
            conn.batch_execute(sql).await?;
        }
        for hook in &self.hooks.connect_async {
            hook(&mut conn).await?;
        }
        // What the setup ran is the session's, not a transaction the next user should lose.
        conn.reset().await?;
        conn.instrument(shared.statements.clone()).await?;
        Ok(Pooled { conn, generation })
    }

    /// Whether an idle connection may be handed out: reusable, and with pre-ping on and idle
    /// longer than the window, answering a ping.
    async fn recycle(&self, pooled: &mut Pooled<C>, metrics: &Metrics) -> RecycleResult<Error> {
        let shared = &self.shared;
        if !shared.reusable(pooled, metrics.age()) {
            return Err(RecycleError::message("connection invalidated or recycled"));
        }
        // Normally reset on return already; this catches a connection that came back while
        // its runtime was shutting down, so nothing open reaches the next user.
        if pooled.conn.needs_reset() {
            pooled.conn.reset().await?;
        }
        if shared.settings.pre_ping
            && metrics.last_used() >= shared.settings.pre_ping_window
            && let Err(e) = pooled.conn.ping().await
        {
            shared.invalidate_older_than(pooled.generation);
            return Err(RecycleError::Backend(e));
        }
        Ok(())
    }
}

/// The error of a checkout that waited out the pool timeout.
pub(crate) fn pool_timeout(shared: &AsyncShared, open: usize) -> Error {
    Error::new(
        ErrorKind::PoolTimeout,
        format!(
            "no connection to {} became free within {:?}: all {open} the pool may open \
             (pool_size {} + max_overflow {}) were in use",
            shared.kind,
            shared.settings.timeout,
            shared.settings.size,
            shared.settings.max_overflow
        ),
    )
}
