use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use crate::error::{Error, ErrorKind, QueryResult};

use super::{Connection, Event, Instrumented};

/// The nesting level of transactions on a connection.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TransactionDepth(u32);

impl TransactionDepth {
    /// 0 outside a transaction, 1 inside one, 2 inside a savepoint, …
    pub fn get(self) -> u32 {
        self.0
    }

    /// Sets the level: for a connection that runs another connection's statements (an async
    /// connection's worker thread) and must know how deep its transactions are.
    pub fn set(&mut self, level: u32) {
        self.0 = level;
    }

    /// Back to 0, after the connection ended its transaction by other means (see
    /// [`Connection::reset`]).
    pub fn clear(&mut self) {
        self.0 = 0;
    }
}

/// What [`run_transaction`] needs of a connection: every [`Connection`] has it, and a
/// connection that wraps one (the engine's any-backend connection) passes it through. The
/// names differ from [`Connection`]'s so that having both traits in scope is never ambiguous.
pub trait TransactionControl {
    /// [`Connection::transaction_depth`].
    fn depth_mut(&mut self) -> &mut TransactionDepth;
    /// [`Connection::instrumentation`].
    fn instrumented_mut(&mut self) -> &mut Instrumented;
    /// [`Connection::execute_control`].
    fn control(&mut self, sql: &str) -> QueryResult<()>;
    /// [`Connection::begin_transaction`].
    fn begin(&mut self) -> QueryResult<()>;
    /// [`Connection::commit_transaction`].
    fn commit(&mut self, savepoint: Option<&str>) -> QueryResult<()>;
    /// [`Connection::rollback_transaction`].
    fn rollback(&mut self, savepoint: Option<&str>) -> QueryResult<()>;
}

impl<C: Connection> TransactionControl for C {
    fn depth_mut(&mut self) -> &mut TransactionDepth {
        self.transaction_depth()
    }
    fn instrumented_mut(&mut self) -> &mut Instrumented {
        self.instrumentation()
    }
    fn control(&mut self, sql: &str) -> QueryResult<()> {
        self.execute_control(sql)
    }
    fn begin(&mut self) -> QueryResult<()> {
        self.begin_transaction()
    }
    fn commit(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        self.commit_transaction(savepoint)
    }
    fn rollback(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        self.rollback_transaction(savepoint)
    }
}

/// Runs `f` in a transaction (a savepoint when nested), as [`Connection::transaction`] does.
///
/// `begin` replaces the connection's own start of an outermost transaction
/// ([`Connection::begin_transaction`]): `START TRANSACTION ISOLATION LEVEL …`, SQLite's
/// `BEGIN IMMEDIATE`. Inside another transaction a `begin` is refused with an
/// [`ErrorKind::InvalidQuery`] error before `f` runs, since a savepoint cannot change how the
/// transaction around it started.
///
/// The outcome is never better than what the database kept: `Ok` only after a COMMIT (or
/// RELEASE) the connection confirmed, and the error of a COMMIT that the database turned into a
/// rollback (see [`ErrorKind::TransactionAborted`]).
pub fn run_transaction<C, T, E, F>(conn: &mut C, begin: Option<&[&str]>, f: F) -> Result<T, E>
where
    C: TransactionControl,
    F: FnOnce(&mut C) -> Result<T, E>,
    E: From<Error>,
{
    let (savepoint, level) = open_level(conn, begin)?;
    let outcome = catch_unwind(AssertUnwindSafe(|| f(conn)));
    let savepoint = savepoint.as_deref();
    match outcome {
        Ok(Ok(value)) => match close_level(conn, savepoint, level, true) {
            Ok(()) => Ok(value),
            Err(e) => Err(commit_failed(e, savepoint.is_none()).into()),
        },
        Ok(Err(e)) => {
            // After a failure the first error is the one worth reporting; a failing ROLLBACK
            // means the connection is broken, and the next statement will say so.
            let _ = close_level(conn, savepoint, level, false);
            Err(e)
        }
        Err(panic) => {
            let _ = close_level(conn, savepoint, level, false);
            resume_unwind(panic)
        }
    }
}

/// Opens one transaction level: at depth 0 a transaction (`begin`'s statements, or the
/// connection's own BEGIN), inside one a savepoint. Returns the savepoint's name (`None` for
/// an outermost transaction) and the new level. Used by [`run_transaction`] and by code that
/// holds a transaction open across calls (the ORM's session).
pub(crate) fn open_level<C: TransactionControl>(
    conn: &mut C,
    begin: Option<&[&str]>,
) -> QueryResult<(Option<String>, u32)> {
    let depth = conn.depth_mut().0;
    let savepoint = (depth > 0).then(|| format!("philtre_savepoint_{depth}"));
    match (&savepoint, begin) {
        (None, None) => conn.begin()?,
        (None, Some(statements)) => {
            for sql in statements {
                conn.control(sql)?;
            }
        }
        (Some(name), None) => conn.control(&format!("SAVEPOINT {name}"))?,
        (Some(_), Some(statements)) => {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "`{}` can only start an outermost transaction, and this one is nested",
                    statements.join("; ")
                ),
            ));
        }
    }
    let level = depth + 1;
    conn.depth_mut().0 = level;
    conn.instrumented_mut().emit(Event::Begin { depth: level });
    Ok((savepoint, level))
}

/// Ends what [`open_level`] opened: COMMIT / RELEASE when `keep` (a failed COMMIT is rolled
/// back, so nothing half-done stays visible, and its error returned), otherwise ROLLBACK.
pub(crate) fn close_level<C: TransactionControl>(
    conn: &mut C,
    savepoint: Option<&str>,
    level: u32,
    keep: bool,
) -> QueryResult<()> {
    conn.depth_mut().0 = level - 1;
    if keep {
        match conn.commit(savepoint) {
            Ok(()) => {
                conn.instrumented_mut().emit(Event::Commit { depth: level });
                return Ok(());
            }
            Err(e) => {
                let _ = conn.rollback(savepoint);
                conn.instrumented_mut()
                    .emit(Event::Rollback { depth: level });
                return Err(e);
            }
        }
    }
    let outcome = conn.rollback(savepoint);
    conn.instrumented_mut()
        .emit(Event::Rollback { depth: level });
    outcome
}

/// Says what a failed COMMIT means for the work, where the driver's message does not.
fn commit_failed(e: Error, outermost: bool) -> Error {
    match e.kind() {
        ErrorKind::Connection if outermost => {
            let message = format!(
                "the connection was lost at COMMIT, so whether the transaction was kept is \
                 unknown (a transaction whose session ends before its COMMIT arrives is rolled \
                 back): {}",
                e.message()
            );
            e.context(ErrorKind::Connection, message)
        }
        _ => e,
    }
}
