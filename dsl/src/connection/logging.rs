//! SQL logging through `tracing`: [`SqlLog`], an [`Instrumentation`] that logs each statement
//! and transaction boundary (feature `tracing`, on by default).

use std::time::Duration;

use tracing::Level;

use super::{Event, Instrumentation};

/// The target every event of [`SqlLog`] has, for filters (`RUST_LOG=philtre::sql=debug`).
pub const TARGET: &str = "philtre::sql";

/// Logs every statement (SQL, bind count, duration, rows, error) and transaction boundary
/// through `tracing`, at DEBUG (or INFO for [`SqlLog::echo`]), and statements slower than a
/// threshold at WARN. Bound values are never logged: they can be secrets.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use philtre::connection::SqlLog;
///
/// let log = SqlLog::echo().slow_statements(Duration::from_millis(250));
/// // conn.set_instrumentation(Some(Arc::new(log)));
/// # let _ = Arc::new(log);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SqlLog {
    info: bool,
    slow: Option<Duration>,
    bind_values: bool,
}

impl Default for SqlLog {
    fn default() -> Self {
        SqlLog::new()
    }
}

impl SqlLog {
    /// Logs at DEBUG.
    pub fn new() -> Self {
        SqlLog {
            info: false,
            slow: None,
            bind_values: false,
        }
    }

    /// Logs at INFO: SQLAlchemy's `echo=True`, visible under a default subscriber.
    pub fn echo() -> Self {
        SqlLog {
            info: true,
            slow: None,
            bind_values: false,
        }
    }

    /// Logs statements that take longer than `threshold` at WARN.
    pub fn slow_statements(mut self, threshold: Duration) -> Self {
        self.slow = Some(threshold);
        self
    }

    /// Also logs each statement's bound values, at TRACE. Off unless asked: values can be
    /// passwords, tokens or personal data, and a log is read by more people than a database.
    pub fn bind_values(mut self) -> Self {
        self.bind_values = true;
        self
    }

    fn emit(&self, warn: bool, f: impl FnOnce(Level)) {
        f(if warn {
            Level::WARN
        } else if self.info {
            Level::INFO
        } else {
            Level::DEBUG
        })
    }
}

/// One `tracing` event at a level chosen at run time (the macros take a constant level).
macro_rules! event_at {
    ($level:expr, $($rest:tt)*) => {
        match $level {
            Level::WARN => tracing::event!(target: TARGET, Level::WARN, $($rest)*),
            Level::INFO => tracing::event!(target: TARGET, Level::INFO, $($rest)*),
            _ => tracing::event!(target: TARGET, Level::DEBUG, $($rest)*),
        }
    };
}

impl Instrumentation for SqlLog {
    fn wants_bind_values(&self) -> bool {
        self.bind_values && tracing::enabled!(target: TARGET, Level::TRACE)
    }

    fn on_event(&self, event: &Event<'_>) {
        match *event {
            Event::BindValues { sql, values } => {
                let values = values.join(", ");
                tracing::event!(target: TARGET, Level::TRACE, sql, values = %values, "bound values");
            }
            Event::StatementEnd {
                sql,
                binds,
                duration,
                rows,
                error,
            } => {
                let millis = format!("{:.3}", duration.as_secs_f64() * 1000.0);
                let millis = millis.as_str();
                let slow = self.slow.is_some_and(|limit| duration > limit);
                let what = if slow { "slow statement" } else { "statement" };
                match (error, rows) {
                    (Some(e), _) => self.emit(slow, |level| {
                        event_at!(level, sql, binds, millis = %millis, error = %e, "statement failed")
                    }),
                    (None, Some(rows)) => self.emit(slow, |level| {
                        event_at!(level, sql, binds, millis = %millis, rows, "{what}")
                    }),
                    (None, None) => self.emit(slow, |level| {
                        event_at!(level, sql, binds, millis = %millis, "{what}")
                    }),
                }
            }
            Event::Begin { depth } => self.emit(false, |level| {
                event_at!(
                    level,
                    depth,
                    "{}",
                    if depth > 1 { "SAVEPOINT" } else { "BEGIN" }
                )
            }),
            Event::Commit { depth } => self.emit(false, |level| {
                event_at!(
                    level,
                    depth,
                    "{}",
                    if depth > 1 {
                        "RELEASE SAVEPOINT"
                    } else {
                        "COMMIT"
                    }
                )
            }),
            Event::Rollback { depth } => self.emit(false, |level| {
                event_at!(
                    level,
                    depth,
                    "{}",
                    if depth > 1 {
                        "ROLLBACK TO SAVEPOINT"
                    } else {
                        "ROLLBACK"
                    }
                )
            }),
            _ => {}
        }
    }
}
