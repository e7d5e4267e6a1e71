//! Watching what a connection does: each statement with its SQL, bind count, duration and rows,
//! and the transaction boundaries. Logging, metrics and the engine's events are built on it.
//!
//! A connection holds at most one [`Instrumentation`]. Without one, a statement costs one
//! branch more: nothing is timed, copied or formatted.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::Error;

/// Receives what a connection does, in order. It runs inside every statement: keep it cheap,
/// and do not panic in it.
///
/// A closure taking `&Event` is an instrumentation:
///
/// ```
/// use std::sync::Arc;
/// use philtre::connection::{Event, Instrumentation};
///
/// let slow_statements: Arc<dyn Instrumentation> = Arc::new(|event: &Event<'_>| {
///     if let Event::StatementEnd { sql, duration, .. } = event {
///         if duration.as_millis() > 100 {
///             eprintln!("slow ({duration:?}): {sql}");
///         }
///     }
/// });
/// // conn.set_instrumentation(Some(slow_statements));
/// # let _ = slow_statements;
/// ```
pub trait Instrumentation: Send + Sync {
    /// Called for every event.
    fn on_event(&self, event: &Event<'_>);

    /// Whether this instrumentation wants each statement's bound values as text
    /// ([`Event::BindValues`]). Off by default: values can be secrets, and formatting them
    /// costs time on every statement.
    fn wants_bind_values(&self) -> bool {
        false
    }
}

impl<F: Fn(&Event<'_>) + Send + Sync> Instrumentation for F {
    fn on_event(&self, event: &Event<'_>) {
        self(event)
    }
}

/// What happened on a connection.
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A statement is about to run (SQLAlchemy's `before_execute`).
    StatementStart {
        /// Its SQL text.
        sql: &'a str,
        /// How many values are bound to it.
        binds: usize,
    },
    /// A statement finished (`after_execute`) or failed (`handle_error`).
    StatementEnd {
        /// Its SQL text.
        sql: &'a str,
        /// How many values were bound to it.
        binds: usize,
        /// From just before it was sent to now.
        duration: Duration,
        /// The rows it affected (INSERT, UPDATE, DELETE) or returned (a query read whole; 1 for
        /// `first`); `None` for a cursor, whose rows are read later, and for `batch_execute`.
        rows: Option<usize>,
        /// The error, when it failed.
        error: Option<&'a Error>,
    },
    /// The values bound to the statement about to run, shown as `Debug` writes them; sent
    /// after [`Event::StatementStart`], and only to an instrumentation whose
    /// [`Instrumentation::wants_bind_values`] says so.
    BindValues {
        /// The statement's SQL text.
        sql: &'a str,
        /// Each bound value, in placeholder order.
        values: &'a [String],
    },
    /// A transaction began (`depth` 1), or a savepoint inside one (`depth` 2 and more).
    Begin {
        /// The nesting level it opens.
        depth: u32,
    },
    /// A transaction was committed, or a savepoint released.
    Commit {
        /// The nesting level it closes.
        depth: u32,
    },
    /// A transaction, or the work since a savepoint, was rolled back.
    Rollback {
        /// The nesting level it closes.
        depth: u32,
    },
}

/// A connection's instrumentation, if it has one.
#[derive(Clone, Default)]
pub struct Instrumented {
    inner: Option<Arc<dyn Instrumentation>>,
}

impl std::fmt::Debug for Instrumented {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instrumented")
            .field("set", &self.inner.is_some())
            .finish()
    }
}

/// A statement being watched, from [`Instrumented::start`] to [`Instrumented::end`].
#[derive(Debug)]
pub struct StatementWatch {
    started: Instant,
    binds: usize,
}

impl Instrumented {
    /// Sets (or with `None` removes) the instrumentation.
    pub fn set(&mut self, instrumentation: Option<Arc<dyn Instrumentation>>) {
        self.inner = instrumentation;
    }

    /// The instrumentation, if one is set (a backend that reports on another thread passes it
    /// on from here).
    pub fn get(&self) -> Option<&Arc<dyn Instrumentation>> {
        self.inner.as_ref()
    }

    /// Whether an instrumentation is set.
    #[inline]
    pub fn is_set(&self) -> bool {
        self.inner.is_some()
    }

    /// Reports `event`, if an instrumentation is set.
    #[inline]
    pub fn emit(&self, event: Event<'_>) {
        if let Some(inner) = &self.inner {
            inner.on_event(&event);
        }
    }

    /// Reports that a statement starts and starts its clock; `None`, and nothing done, when no
    /// instrumentation is set.
    #[inline]
    pub fn start(&self, sql: &str, binds: usize) -> Option<StatementWatch> {
        let inner = self.inner.as_ref()?;
        inner.on_event(&Event::StatementStart { sql, binds });
        Some(StatementWatch {
            started: Instant::now(),
            binds,
        })
    }

    /// Reports the values bound to `query` as [`Event::BindValues`], when the instrumentation
    /// wants them; otherwise does nothing (and costs one branch).
    #[inline]
    pub fn bind_values<DB, Q>(&self, sql: &str, query: &Q)
    where
        DB: crate::backend::Backend,
        Q: crate::expression::QueryFragment<DB> + ?Sized,
    {
        if let Some(inner) = &self.inner
            && inner.wants_bind_values()
        {
            let mut binds: Vec<DB::BindValue<'_>> = Vec::new();
            let values: Vec<String> = match query.collect_binds(&mut binds) {
                Ok(()) => binds.iter().map(DB::debug_bind).collect(),
                Err(e) => vec![format!("<error: {e}>")],
            };
            inner.on_event(&Event::BindValues {
                sql,
                values: &values,
            });
        }
    }

    /// Reports how a watched statement ended; `rows` reads the row count from its result.
    pub fn end_result<T>(
        &self,
        watch: StatementWatch,
        sql: &str,
        outcome: &Result<T, Error>,
        rows: impl FnOnce(&T) -> Option<usize>,
    ) {
        match outcome {
            Ok(value) => self.end(watch, sql, rows(value), None),
            // `get_result` / `first` on no row: the statement ran and returned 0 rows; that the
            // caller wanted one is the caller's business (`.optional()` is ordinary use), not a
            // failed statement for logs and `handle_error` listeners.
            Err(e) if e.kind() == crate::error::ErrorKind::NotFound => {
                self.end(watch, sql, Some(0), None)
            }
            Err(e) => self.end(watch, sql, None, Some(e)),
        }
    }

    /// Reports that a watched statement ended with `rows`, or failed with `error`.
    pub fn end(
        &self,
        watch: StatementWatch,
        sql: &str,
        rows: Option<usize>,
        error: Option<&Error>,
    ) {
        if let Some(inner) = &self.inner {
            inner.on_event(&Event::StatementEnd {
                sql,
                binds: watch.binds,
                duration: watch.started.elapsed(),
                rows,
                error,
            });
        }
    }
}
