//! The engine's events: typed closures registered on [`EngineBuilder`](crate::EngineBuilder),
//! SQLAlchemy's `connect`, `checkout`, `checkin`, `before_execute`, `after_execute`,
//! `handle_error`, `begin`, `commit`, `rollback` (savepoints are the nested depths).
//!
//! Connection-level events run inside the pool; statement-level ones are gathered into one
//! [`Instrumentation`] given to each connection the engine opens. With none registered, and
//! logging off, connections get no instrumentation at all: a statement costs what it costs on
//! a bare connection.

use std::sync::Arc;
use std::time::Duration;

use philtre::connection::{Event, Instrumentation};
use philtre::{Error, QueryResult};

/// A hook run on a connection that may refuse it (`connect`, `checkout`).
pub(crate) type SetupHook<C> = Box<dyn Fn(&mut C) -> QueryResult<()> + Send + Sync>;
/// A hook run on a connection going back to the pool.
pub(crate) type CheckinHook<C> = Box<dyn Fn(&mut C) + Send + Sync>;

/// The connection-level hooks of an engine.
pub(crate) struct ConnectionHooks<C> {
    pub(crate) connect: Vec<SetupHook<C>>,
    pub(crate) checkout: Vec<SetupHook<C>>,
    pub(crate) checkin: Vec<CheckinHook<C>>,
    /// The async engine's `connect` and `checkout` hooks, awaited.
    #[cfg(feature = "async")]
    pub(crate) connect_async: Vec<AsyncSetupHook<C>>,
    #[cfg(feature = "async")]
    pub(crate) checkout_async: Vec<AsyncSetupHook<C>>,
}

/// A future an async hook returns, borrowing the connection.
pub type HookFuture<'c> =
    std::pin::Pin<Box<dyn std::future::Future<Output = QueryResult<()>> + Send + 'c>>;

#[cfg(feature = "async")]
pub(crate) type AsyncSetupHook<C> = Box<dyn for<'c> Fn(&'c mut C) -> HookFuture<'c> + Send + Sync>;

impl<C> Default for ConnectionHooks<C> {
    fn default() -> Self {
        ConnectionHooks {
            connect: Vec::new(),
            checkout: Vec::new(),
            checkin: Vec::new(),
            #[cfg(feature = "async")]
            connect_async: Vec::new(),
            #[cfg(feature = "async")]
            checkout_async: Vec::new(),
        }
    }
}

/// A statement that finished, as `after_execute` listeners see it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct ExecutedStatement<'a> {
    /// Its SQL text (bound values are never in it).
    pub sql: &'a str,
    /// How many values were bound to it.
    pub binds: usize,
    /// From just before it was sent until its result was read.
    pub duration: Duration,
    /// The rows it affected or returned (`None` for a cursor or a batch of raw SQL).
    pub rows: Option<usize>,
}

type BeforeExecute = Box<dyn Fn(&str, usize) + Send + Sync>;
type AfterExecute = Box<dyn Fn(&ExecutedStatement<'_>) + Send + Sync>;
type HandleError = Box<dyn Fn(&str, &Error) + Send + Sync>;
type TransactionHook = Box<dyn Fn(u32) + Send + Sync>;

/// The statement-level listeners, given to each connection as one [`Instrumentation`].
#[derive(Default)]
pub(crate) struct StatementListeners {
    pub(crate) before_execute: Vec<BeforeExecute>,
    pub(crate) after_execute: Vec<AfterExecute>,
    pub(crate) handle_error: Vec<HandleError>,
    pub(crate) begin: Vec<TransactionHook>,
    pub(crate) commit: Vec<TransactionHook>,
    pub(crate) rollback: Vec<TransactionHook>,
    /// Whole instrumentations: logging, and any the user registers.
    pub(crate) instrumentations: Vec<Arc<dyn Instrumentation>>,
}

impl StatementListeners {
    /// Whether any listener is registered; without one, connections get no instrumentation.
    pub(crate) fn is_empty(&self) -> bool {
        self.before_execute.is_empty()
            && self.after_execute.is_empty()
            && self.handle_error.is_empty()
            && self.begin.is_empty()
            && self.commit.is_empty()
            && self.rollback.is_empty()
            && self.instrumentations.is_empty()
    }
}

impl Instrumentation for StatementListeners {
    fn wants_bind_values(&self) -> bool {
        self.instrumentations.iter().any(|i| i.wants_bind_values())
    }

    fn on_event(&self, event: &Event<'_>) {
        match *event {
            Event::StatementStart { sql, binds } => {
                self.before_execute.iter().for_each(|f| f(sql, binds));
            }
            Event::StatementEnd {
                sql,
                binds,
                duration,
                rows,
                error,
            } => match error {
                None => {
                    let done = ExecutedStatement {
                        sql,
                        binds,
                        duration,
                        rows,
                    };
                    self.after_execute.iter().for_each(|f| f(&done));
                }
                Some(error) => self.handle_error.iter().for_each(|f| f(sql, error)),
            },
            Event::Begin { depth } => self.begin.iter().for_each(|f| f(depth)),
            Event::Commit { depth } => self.commit.iter().for_each(|f| f(depth)),
            Event::Rollback { depth } => self.rollback.iter().for_each(|f| f(depth)),
            _ => {}
        }
        for instrumentation in &self.instrumentations {
            instrumentation.on_event(event);
        }
    }
}
