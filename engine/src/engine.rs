//! [`Engine`]: where a program gets its connections — a URL, a pool, events and logging.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::Ordering;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use philtre::connection::{Instrumentation, run_transaction};
use philtre::{Error, ErrorKind, QueryResult};

use crate::any::AnyConnection;
use crate::connect::EngineConnection;
use crate::pool::{Manager, PoolShared, PoolStatus, Tracked, build_r2d2};
use crate::url::BackendKind;

/// Connections from one database URL, pooled: SQLAlchemy's `Engine`.
///
/// Cheap to clone (clones share the pool) and `Send + Sync`: build one at start-up and hand
/// clones to every thread. [`Engine::connect`] checks a connection out; the guard gives it back
/// when dropped, after rolling back anything its user left open.
///
/// `C` is the connection type: [`AnyConnection`] (the default, from [`crate::create_engine`])
/// lets the URL choose the database at run time and accepts the statements every backend can
/// run; a backend's own connection (`Engine<PgConnection>`, from
/// `Engine::<PgConnection>::builder(url)`) accepts what that backend can run and costs nothing
/// over using it directly.
pub struct Engine<C: EngineConnection = AnyConnection> {
    inner: Arc<EngineInner<C>>,
}

impl<C: EngineConnection> Clone for Engine<C> {
    fn clone(&self) -> Self {
        Engine {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<C: EngineConnection> fmt::Debug for Engine<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("backend", &self.inner.shared.kind)
            .field("url", &self.inner.shown_url)
            .field("pool", &self.inner.pool_kind())
            .finish()
    }
}

pub(crate) struct EngineInner<C: EngineConnection> {
    pub(crate) shared: Arc<PoolShared<C>>,
    pub(crate) pool: Pool<C>,
    pub(crate) shown_url: String,
}

/// Which pool an engine has.
pub(crate) enum Pool<C: EngineConnection> {
    /// SQLAlchemy's QueuePool on r2d2; `dispose` swaps in a fresh one.
    Queue(RwLock<r2d2::Pool<Manager<C>>>),
    /// A new connection for every checkout, closed at return (SQLAlchemy's NullPool).
    Null,
}

impl<C: EngineConnection> EngineInner<C> {
    fn pool_kind(&self) -> &'static str {
        match self.pool {
            Pool::Queue(_) => "QueuePool",
            Pool::Null => "NullPool",
        }
    }
}

impl<C: EngineConnection> Engine<C> {
    pub(crate) fn from_parts(inner: EngineInner<C>) -> Self {
        Engine {
            inner: Arc::new(inner),
        }
    }

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
    pub fn connect(&self) -> QueryResult<PooledConnection<C>> {
        let shared = &self.inner.shared;
        let mut tracked = match &self.inner.pool {
            Pool::Null => {
                let mut tracked = shared.open_connection()?;
                tracked.claim();
                Held::Own(tracked)
            }
            Pool::Queue(pool) => {
                let pool = pool.read().unwrap_or_else(|e| e.into_inner()).clone();
                Held::Pooled(self.check_out(&pool)?)
            }
        };
        shared.checked_out().fetch_add(1, Ordering::SeqCst);
        for hook in &shared.hooks.checkout {
            if let Err(e) = hook(&mut tracked.tracked_mut().conn) {
                tracked.tracked_mut().discard = true;
                drop(PooledConnection {
                    held: Some(tracked),
                    shared: Arc::clone(shared),
                });
                return Err(e);
            }
        }
        Ok(PooledConnection {
            held: Some(tracked),
            shared: Arc::clone(shared),
        })
    }

    fn check_out(
        &self,
        pool: &r2d2::Pool<Manager<C>>,
    ) -> QueryResult<r2d2::PooledConnection<Manager<C>>> {
        let shared = &self.inner.shared;
        let start = Instant::now();
        let deadline = start + shared.settings.timeout;
        // r2d2 opens connections on its own threads; poll it, woken by our own condition
        // variable at each connect result or return, so a failed connect is reported now.
        const SLICE: Duration = Duration::from_millis(5);
        loop {
            // `get_timeout(ZERO)` takes an idle connection or asks r2d2 to open one; asking
            // again while a new connection is on its way would open one more than needed.
            let got = if shared.connection_on_its_way() {
                pool.try_get()
            } else {
                pool.get_timeout(Duration::ZERO).ok()
            };
            if let Some(conn) = got {
                return Ok(conn);
            }
            if let Some(e) = shared.connect_error_since(start) {
                return Err(e);
            }
            let now = Instant::now();
            if now >= deadline {
                let state = pool.state();
                return Err(Error::new(
                    ErrorKind::PoolTimeout,
                    format!(
                        "no connection to {} became free within {:?}: all {} the pool may open \
                         (pool_size {} + max_overflow {}) were in use",
                        shared.kind,
                        shared.settings.timeout,
                        state.connections,
                        shared.settings.size,
                        shared.settings.max_overflow
                    ),
                ));
            }
            shared.wait(SLICE.min(deadline - now));
        }
    }

    /// Checks a connection out and runs `f` in a transaction on it: committed if `f` returns
    /// `Ok`, rolled back if it returns `Err` or panics (SQLAlchemy's `engine.begin()`).
    pub fn begin<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut C) -> Result<T, E>,
        E: From<Error>,
    {
        let mut conn = self.connect()?;
        run_transaction(&mut *conn, None, f)
    }

    /// How many connections the pool holds and how many are in use.
    pub fn status(&self) -> PoolStatus {
        let settings = self.inner.shared.settings;
        let checked_out = self.inner.shared.checked_out().load(Ordering::SeqCst);
        let (open, idle) = match &self.inner.pool {
            Pool::Queue(pool) => {
                let state = pool.read().unwrap_or_else(|e| e.into_inner()).state();
                (state.connections, state.idle_connections)
            }
            Pool::Null => (checked_out, 0),
        };
        PoolStatus {
            size: settings.size,
            max_overflow: settings.max_overflow,
            checked_out,
            idle,
            overflow: open.saturating_sub(settings.size),
        }
    }

    /// Closes every idle connection now, and every checked-out one when it comes back; the
    /// engine opens new ones as needed (SQLAlchemy's `engine.dispose()`). Call it in a child
    /// process after `fork`, or to make the engine drop connections after a failover.
    pub fn dispose(&self) {
        self.inner.shared.invalidate_all();
        if let Pool::Queue(pool) = &self.inner.pool {
            let fresh = build_r2d2(&self.inner.shared);
            // The old pool closes its idle connections once the last guard from it is gone.
            *pool.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        }
    }

    /// Marks every connection open now as not to be reused: idle ones are closed at their next
    /// checkout, checked-out ones when they come back. The engine does this by itself when a
    /// connection is found broken (SQLAlchemy's pool invalidation after a disconnect).
    pub fn invalidate(&self) {
        self.inner.shared.invalidate_all();
    }

    /// The statement listeners and logging this engine gives each connection, if any.
    pub fn instrumentation(&self) -> Option<Arc<dyn Instrumentation>> {
        self.inner.shared.statements.clone()
    }
}

/// What a guard holds: a connection from r2d2's pool, or its own (NullPool).
pub(crate) enum Held<C: EngineConnection> {
    Pooled(r2d2::PooledConnection<Manager<C>>),
    Own(Tracked<C>),
}

impl<C: EngineConnection> Held<C> {
    fn tracked(&self) -> &Tracked<C> {
        match self {
            Held::Pooled(pooled) => pooled,
            Held::Own(tracked) => tracked,
        }
    }
    fn tracked_mut(&mut self) -> &mut Tracked<C> {
        match self {
            Held::Pooled(pooled) => &mut *pooled,
            Held::Own(tracked) => tracked,
        }
    }
}

/// A connection checked out of an [`Engine`]: derefs to the connection, and goes back to the
/// pool when dropped — after any transaction its user left open is rolled back, so nothing
/// uncommitted ever reaches the next user.
pub struct PooledConnection<C: EngineConnection> {
    held: Option<Held<C>>,
    shared: Arc<PoolShared<C>>,
}

impl<C: EngineConnection> PooledConnection<C> {
    /// Closes this connection instead of returning it to the pool (SQLAlchemy's
    /// `connection.invalidate()`), for a connection whose session state can no longer be
    /// trusted. Other connections are not affected.
    pub fn invalidate(mut self) {
        if let Some(held) = self.held.as_mut() {
            held.tracked_mut().discard = true;
        }
    }
}

impl<C: EngineConnection> Deref for PooledConnection<C> {
    type Target = C;
    fn deref(&self) -> &C {
        // `held` is `Some` until `drop`.
        match &self.held {
            Some(held) => &held.tracked().conn,
            None => unreachable!("a pooled connection is used after it was returned"),
        }
    }
}

impl<C: EngineConnection> DerefMut for PooledConnection<C> {
    fn deref_mut(&mut self) -> &mut C {
        match &mut self.held {
            Some(held) => &mut held.tracked_mut().conn,
            None => unreachable!("a pooled connection is used after it was returned"),
        }
    }
}

impl<C: EngineConnection + fmt::Debug> fmt::Debug for PooledConnection<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PooledConnection").field(&**self).finish()
    }
}

impl<C: EngineConnection> Drop for PooledConnection<C> {
    fn drop(&mut self) {
        let Some(mut held) = self.held.take() else {
            return;
        };
        let tracked = held.tracked_mut();
        for hook in &self.shared.hooks.checkin {
            hook(&mut tracked.conn);
        }
        tracked.last_used = Instant::now();
        self.shared.checked_out().fetch_sub(1, Ordering::SeqCst);
        // Returning runs the pool's rules (reset, recycle, overflow) through r2d2's
        // `has_broken`; a NullPool connection is closed, which ends any transaction.
        drop(held);
        self.shared.notify();
    }
}
