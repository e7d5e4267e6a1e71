use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use crate::error::{Error, ErrorKind};

use super::{Connection, Event};

/// The nesting level of transactions on a connection.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TransactionDepth(u32);

impl TransactionDepth {
    /// 0 outside a transaction, 1 inside one, 2 inside a savepoint, …
    pub fn get(self) -> u32 {
        self.0
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
    C: Connection,
    F: FnOnce(&mut C) -> Result<T, E>,
    E: From<Error>,
{
    let depth = conn.transaction_depth().0;
    let savepoint = (depth > 0).then(|| format!("philtre_savepoint_{depth}"));
    match (&savepoint, begin) {
        (None, None) => conn.begin_transaction()?,
        (None, Some(statements)) => {
            for sql in statements {
                conn.execute_control(sql)?;
            }
        }
        (Some(name), None) => conn.execute_control(&format!("SAVEPOINT {name}"))?,
        (Some(_), Some(statements)) => {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "`{}` can only start an outermost transaction, and this one is nested",
                    statements.join("; ")
                ),
            )
            .into());
        }
    }
    let level = depth + 1;
    conn.transaction_depth().0 = level;
    conn.instrumentation().emit(Event::Begin { depth: level });
    let outcome = catch_unwind(AssertUnwindSafe(|| f(conn)));
    conn.transaction_depth().0 = depth;
    let savepoint = savepoint.as_deref();
    let roll_back = |conn: &mut C| {
        // After a failure the first error is the one worth reporting; a failing ROLLBACK
        // means the connection is broken, and the next statement will say so.
        let _ = conn.rollback_transaction(savepoint);
        conn.instrumentation()
            .emit(Event::Rollback { depth: level });
    };
    match outcome {
        Ok(Ok(value)) => match conn.commit_transaction(savepoint) {
            Ok(()) => {
                conn.instrumentation().emit(Event::Commit { depth: level });
                Ok(value)
            }
            Err(e) => {
                // A COMMIT that failed may leave the transaction open; close it so nothing
                // half-done stays visible to the next statement.
                roll_back(conn);
                Err(commit_failed(e, savepoint.is_none()).into())
            }
        },
        Ok(Err(e)) => {
            roll_back(conn);
            Err(e)
        }
        Err(panic) => {
            roll_back(conn);
            resume_unwind(panic)
        }
    }
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
