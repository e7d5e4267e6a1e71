use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use crate::error::{Error, ErrorKind};

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

/// Runs `f` in a transaction (a savepoint when nested). `begin_with` replaces `BEGIN` for an
/// outermost transaction with an isolation level.
pub(super) fn run<C, T, E, F>(conn: &mut C, begin_with: Option<Vec<String>>, f: F) -> Result<T, E>
where
    C: Connection,
    F: FnOnce(&mut C) -> Result<T, E>,
    E: From<Error>,
{
    let depth = conn.transaction_depth().0;
    if depth > 0 && begin_with.is_some() {
        return Err(Error::new(
            ErrorKind::InvalidQuery,
            "an isolation level can only be set on an outermost transaction",
        )
        .into());
    }
    let (begin, commit, rollback) = if depth == 0 {
        let begin = begin_with.unwrap_or_else(|| vec!["BEGIN".to_owned()]);
        (begin, "COMMIT".to_owned(), vec!["ROLLBACK".to_owned()])
    } else {
        let name = format!("philtre_savepoint_{depth}");
        (
            vec![format!("SAVEPOINT {name}")],
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
    for sql in &begin {
        conn.batch_execute(sql)?;
    }
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
