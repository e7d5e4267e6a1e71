//! The pool: SQLAlchemy's QueuePool semantics on `r2d2`.
//!
//! r2d2 does the waiting and queueing. What SQLAlchemy adds is done through r2d2's hooks:
//!
//! * `pool_size` + `max_overflow`: r2d2's `max_size` is their sum and `min_idle` is 0, so
//!   connections open on demand; a connection coming back while `pool_size` others are idle is
//!   closed (r2d2's `has_broken` answers true for it).
//! * reset on return, recycle, invalidation: `has_broken` rolls back what the user left open
//!   and closes connections that are too old or older than the last disconnect.
//! * pre-ping: `is_valid` runs on every checkout; it pings only a connection idle for longer
//!   than the pre-ping window.
//!
//! r2d2 opens connections on its own threads and, when opening fails, retries in the background
//! and reports only once its checkout timeout has run out. SQLAlchemy reports a failed connect
//! to the caller at once, so the engine waits on a condition variable of its own, woken by
//! every connect result and every return, and gives the caller the first connect error that
//! happened while it waited.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use philtre::connection::{ConnectOptions, Instrumentation};
use philtre::{Error, ErrorKind, QueryResult};

use crate::connect::EngineConnection;
use crate::events::ConnectionHooks;
use crate::url::BackendKind;

/// How the pool behaves; see [`EngineBuilder`](crate::EngineBuilder) for each setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PoolSettings {
    pub(crate) size: u32,
    pub(crate) max_overflow: u32,
    pub(crate) timeout: Duration,
    pub(crate) recycle: Option<Duration>,
    pub(crate) pre_ping: bool,
    pub(crate) pre_ping_window: Duration,
}

/// What the pool holds shared between the engine, r2d2's threads and the checked-out guards.
pub(crate) struct PoolShared<C> {
    pub(crate) kind: BackendKind,
    pub(crate) url: String,
    pub(crate) options: ConnectOptions,
    pub(crate) settings: PoolSettings,
    pub(crate) setup_sql: Vec<String>,
    pub(crate) hooks: ConnectionHooks<C>,
    pub(crate) statements: Option<Arc<dyn Instrumentation>>,
    /// Connections opened before the last disconnect or `dispose` have an older generation and
    /// are closed instead of reused.
    generation: AtomicU64,
    open: AtomicU32,
    checked_out: AtomicU32,
    connecting: AtomicU32,
    /// Connections opened that no checkout has taken yet: r2d2 puts a new connection in its
    /// idle list only after `connect` returns, so a waiter must not ask for another meanwhile.
    unclaimed: AtomicU32,
    /// The last failed connect: when, its kind and message.
    last_connect_error: Mutex<Option<(Instant, ErrorKind, String)>>,
    /// Checkouts waiting on `wake`; a return wakes them only when there are some.
    waiters: AtomicU32,
    /// Woken by every connect result and every return.
    wake: Condvar,
    wake_lock: Mutex<()>,
}

impl<C: EngineConnection> PoolShared<C> {
    pub(crate) fn new(
        kind: BackendKind,
        url: String,
        options: ConnectOptions,
        settings: PoolSettings,
        setup_sql: Vec<String>,
        hooks: ConnectionHooks<C>,
        statements: Option<Arc<dyn Instrumentation>>,
    ) -> Self {
        PoolShared {
            kind,
            url,
            options,
            settings,
            setup_sql,
            hooks,
            statements,
            generation: AtomicU64::new(0),
            open: AtomicU32::new(0),
            checked_out: AtomicU32::new(0),
            connecting: AtomicU32::new(0),
            unclaimed: AtomicU32::new(0),
            last_connect_error: Mutex::new(None),
            waiters: AtomicU32::new(0),
            wake: Condvar::new(),
            wake_lock: Mutex::new(()),
        }
    }

    /// Opens and sets up a new connection: the URL's options, then the engine's setup SQL
    /// (isolation level), then the `connect` listeners, in the order registered.
    pub(crate) fn open_connection(self: &Arc<Self>) -> QueryResult<Tracked<C>> {
        self.connecting.fetch_add(1, Ordering::SeqCst);
        let generation = self.generation.load(Ordering::SeqCst);
        let opened = self.open_and_set_up();
        self.connecting.fetch_sub(1, Ordering::SeqCst);
        let outcome = match opened {
            Ok(conn) => {
                self.open.fetch_add(1, Ordering::SeqCst);
                self.unclaimed.fetch_add(1, Ordering::SeqCst);
                let now = Instant::now();
                Ok(Tracked {
                    conn,
                    generation,
                    born: now,
                    last_used: now,
                    discard: false,
                    claimed: false,
                    shared: Arc::clone(self),
                })
            }
            Err(e) => {
                *lock(&self.last_connect_error) =
                    Some((Instant::now(), e.kind(), e.message().to_owned()));
                Err(e)
            }
        };
        self.notify();
        outcome
    }

    fn open_and_set_up(&self) -> QueryResult<C> {
        let mut conn = C::open_url(self.kind, &self.url, &self.options)?;
        for sql in &self.setup_sql {
            conn.run_sql(sql)?;
        }
        for hook in &self.hooks.connect {
            hook(&mut conn)?;
        }
        // What the setup ran is the session's, not a transaction the next user should lose.
        conn.reset_for_reuse()?;
        conn.instrument(self.statements.clone());
        Ok(conn)
    }

    /// The first connect error that happened at or after `since`, as a fresh error.
    pub(crate) fn connect_error_since(&self, since: Instant) -> Option<Error> {
        let last = lock(&self.last_connect_error);
        match &*last {
            Some((at, kind, message)) if *at >= since => Some(Error::new(*kind, message.clone())),
            _ => None,
        }
    }

    /// Whether a connection may be handed out: not from before the last invalidation, not past
    /// its recycle age, and, with pre-ping on and idle longer than the window, answering a
    /// ping.
    fn check_out_ok(&self, tracked: &mut Tracked<C>) -> QueryResult<()> {
        tracked.claim();
        if tracked.generation < self.generation.load(Ordering::SeqCst) {
            return Err(Error::new(ErrorKind::Connection, "connection invalidated"));
        }
        if self.too_old(tracked) {
            return Err(Error::new(ErrorKind::Connection, "connection recycled"));
        }
        if self.settings.pre_ping
            && tracked.last_used.elapsed() >= self.settings.pre_ping_window
            && let Err(e) = tracked.conn.check_alive()
        {
            self.invalidate_older_than(tracked.generation);
            return Err(e);
        }
        Ok(())
    }

    /// What happens to a connection coming back: `true` closes it. Rolls back what its user
    /// left open; closes it when broken (and then every connection as old as it), invalidated,
    /// past its recycle age, or when `size` connections are already idle (an overflow
    /// connection).
    fn close_on_return(&self, tracked: &mut Tracked<C>) -> bool {
        if tracked.discard {
            return true;
        }
        if tracked.conn.known_broken() {
            self.invalidate_older_than(tracked.generation);
            return true;
        }
        if tracked.generation < self.generation.load(Ordering::SeqCst) || self.too_old(tracked) {
            return true;
        }
        if let Err(e) = tracked.conn.reset_for_reuse() {
            if e.kind() == ErrorKind::Connection {
                self.invalidate_older_than(tracked.generation);
            }
            return true;
        }
        let open = self.open.load(Ordering::SeqCst);
        let in_use = self.checked_out.load(Ordering::SeqCst);
        let idle_after_return = open.saturating_sub(in_use);
        idle_after_return > self.settings.size
    }

    fn too_old(&self, tracked: &Tracked<C>) -> bool {
        self.settings
            .recycle
            .is_some_and(|limit| tracked.born.elapsed() >= limit)
    }

    /// After a disconnect: every connection opened before `generation` ended is replaced
    /// (SQLAlchemy invalidates the whole pool on a disconnect, since a server restart or a
    /// network failure rarely takes only one session).
    fn invalidate_older_than(&self, generation: u64) {
        let _ = self.generation.compare_exchange(
            generation,
            generation + 1,
            Ordering::SeqCst,
            Ordering::SeqCst,
        );
    }

    /// Marks every connection open now as not to be reused.
    pub(crate) fn invalidate_all(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn checked_out(&self) -> &AtomicU32 {
        &self.checked_out
    }

    /// Whether a connection is being opened, or was opened and not yet taken: then asking
    /// r2d2 for one more would open one too many.
    pub(crate) fn connection_on_its_way(&self) -> bool {
        self.connecting.load(Ordering::SeqCst) > 0 || self.unclaimed.load(Ordering::SeqCst) > 0
    }

    /// Waits until a connect finishes, a connection comes back, or `limit` passes.
    /// A waiter that registers just after a notification sleeps at most `limit` (the
    /// checkout loop's short slice) before it looks again.
    pub(crate) fn wait(&self, limit: Duration) {
        self.waiters.fetch_add(1, Ordering::SeqCst);
        let guard = lock(&self.wake_lock);
        let _ = self
            .wake
            .wait_timeout(guard, limit)
            .unwrap_or_else(PoisonError::into_inner);
        self.waiters.fetch_sub(1, Ordering::SeqCst);
    }

    pub(crate) fn notify(&self) {
        if self.waiters.load(Ordering::SeqCst) > 0 {
            let _guard = lock(&self.wake_lock);
            self.wake.notify_all();
        }
    }
}

/// Locks `mutex`, going on after a panic elsewhere: the data behind these locks stays valid at
/// every point a panic could happen.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A pooled connection with what the pool knows of it.
pub(crate) struct Tracked<C> {
    pub(crate) conn: C,
    generation: u64,
    born: Instant,
    pub(crate) last_used: Instant,
    /// Set when a checkout listener refused it: closed when it comes back.
    pub(crate) discard: bool,
    /// Whether a checkout has taken it yet.
    claimed: bool,
    shared: Arc<PoolShared<C>>,
}

impl<C> Tracked<C> {
    /// Marks the connection as taken by a checkout (see `PoolShared::unclaimed`).
    pub(crate) fn claim(&mut self) {
        if !self.claimed {
            self.claimed = true;
            self.shared.unclaimed.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl<C> Drop for Tracked<C> {
    fn drop(&mut self) {
        self.claim();
        self.shared.open.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The r2d2 manager: opens connections and answers r2d2's two questions through the pool's
/// rules.
pub(crate) struct Manager<C>(pub(crate) Arc<PoolShared<C>>);

impl<C: EngineConnection> r2d2::ManageConnection for Manager<C> {
    type Connection = Tracked<C>;
    type Error = Error;

    fn connect(&self) -> Result<Tracked<C>, Error> {
        self.0.open_connection()
    }

    fn is_valid(&self, conn: &mut Tracked<C>) -> Result<(), Error> {
        self.0.check_out_ok(conn)
    }

    fn has_broken(&self, conn: &mut Tracked<C>) -> bool {
        self.0.close_on_return(conn)
    }
}

/// Builds the r2d2 pool for `shared`'s settings.
pub(crate) fn build_r2d2<C: EngineConnection>(
    shared: &Arc<PoolShared<C>>,
) -> r2d2::Pool<Manager<C>> {
    let settings = shared.settings;
    let max_size = settings.size.saturating_add(settings.max_overflow).max(1);
    r2d2::Pool::builder()
        .max_size(max_size)
        // Connections open on demand, as in QueuePool; nothing is opened ahead.
        .min_idle(Some(0))
        .test_on_check_out(true)
        .connection_timeout(settings.timeout.max(Duration::from_millis(1)))
        .idle_timeout(None)
        .max_lifetime(settings.recycle.filter(|d| !d.is_zero()))
        // Connect errors are recorded by the manager and reported to the caller.
        .error_handler(Box::new(r2d2::NopErrorHandler))
        .build_unchecked(Manager(Arc::clone(shared)))
}

/// How many connections an engine's pool holds, as [`Engine::status`](crate::Engine::status)
/// reports it (SQLAlchemy's `pool.status()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolStatus {
    /// Connections kept open between uses (`pool_size`).
    pub size: u32,
    /// Connections the pool may open beyond `size` when all are in use (`max_overflow`).
    pub max_overflow: u32,
    /// Connections in use now.
    pub checked_out: u32,
    /// Connections open and waiting in the pool.
    pub idle: u32,
    /// Connections open beyond `size` now.
    pub overflow: u32,
}
