//! Cancelling a running statement from another thread.

use std::time::Duration;

use philtre::connection::DEFAULT_CONNECT_TIMEOUT;
use philtre::{Error, ErrorKind, QueryResult};
use tokio_postgres::{CancelToken, NoTls};

use crate::error::from_postgres;

/// Cancels the statement a [`PgConnection`](crate::PgConnection) runs, from any thread
/// (`Send + Sync + Clone`). The cancelled statement fails with [`ErrorKind::Cancelled`];
/// the connection stays usable.
///
/// ```no_run
/// # fn main() -> Result<(), philtre::Error> {
/// use philtre::prelude::*;
/// let mut conn = philtre_postgres::PgConnection::open("postgres://postgres@127.0.0.1/test")?;
/// let handle = conn.cancel_handle();
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_millis(100));
///     handle.cancel()
/// });
/// let err = conn.batch_execute("SELECT pg_sleep(10)").expect_err("cancelled");
/// assert_eq!(err.kind(), ErrorKind::Cancelled);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct PgCancelHandle {
    token: CancelToken,
    timeout: Duration,
}

impl std::fmt::Debug for PgCancelHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgCancelHandle").finish_non_exhaustive()
    }
}

impl PgCancelHandle {
    pub(crate) fn new(token: CancelToken) -> Self {
        PgCancelHandle {
            token,
            timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }

    /// Asks the server to cancel what the connection runs now (nothing, if it runs nothing).
    /// The request travels on a connection of its own, bounded by the connect timeout.
    pub fn cancel(&self) -> QueryResult<()> {
        let runtime = crate::driver::OwnRuntime::new()?;
        let cancelled = crate::driver::block_on(runtime.get(), async {
            tokio::time::timeout(self.timeout, self.token.cancel_query(NoTls)).await
        });
        match cancelled {
            Ok(result) => result.map_err(from_postgres),
            Err(_) => Err(Error::new(
                ErrorKind::Timeout,
                "the server did not take the cancel request within the connect timeout",
            )),
        }
    }
}
