use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use crate::error::Error;

use super::Connection;

/// The nesting level of transactions on a connection.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TransactionDepth(u32);

impl TransactionDepth {
    /// 0 outside a transaction, 1 inside one, 2 inside a savepoint, …
    pub fn get(self) -> u32 {
        self.0
    }
}

pub(super) fn run<C, T, E, F>(conn: &mut C, f: F) -> Result<T, E>
where
    C: Connection,
    F: FnOnce(&mut C) -> Result<T, E>,
    E: From<Error>,
{
    let depth = conn.transaction_depth().0;
    let (begin, commit, rollback) = if depth == 0 {
        (
            "BEGIN".to_owned(),
            "COMMIT".to_owned(),
            vec!["ROLLBACK".to_owned()],
        )
    } else {
        let name = format!("philtre_savepoint_{depth}");
        (
            format!("SAVEPOINT {name}"),
            format!("RELEASE SAVEPOINT {name}"),
            // Two statements, not one batch: not every driver runs several per call.
            vec![
                format!("ROLLBACK TO SAVEPOINT {name}"),
                format!("RELEASE SAVEPOINT {name}"),
            ],
        )
    };
    let roll_back = |conn: &mut C| -> Result<(), Error> {
        for sql in &rollback {
            conn.batch_execute(sql)?;
        }
        Ok(())
    };
    conn.batch_execute(&begin)?;
    conn.transaction_depth().0 = depth + 1;
    let outcome = catch_unwind(AssertUnwindSafe(|| f(conn)));
    conn.transaction_depth().0 = depth;
    match outcome {
        Ok(Ok(value)) => match conn.batch_execute(&commit) {
            Ok(()) => Ok(value),
            Err(e) => {
                // A failed COMMIT may leave the transaction open; close it so nothing half-done
                // stays visible to the next statement.
                let _ = roll_back(conn);
                Err(e.into())
            }
        },
        Ok(Err(e)) => {
            // The caller's error is the one worth reporting; a failing ROLLBACK after it means
            // the connection is already broken and the next statement will say so.
            let _ = roll_back(conn);
            Err(e)
        }
        Err(panic) => {
            let _ = roll_back(conn);
            resume_unwind(panic)
        }
    }
}
