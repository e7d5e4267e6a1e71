//! [`AsyncEngineConnection`]: what an [`AsyncEngine`](crate::AsyncEngine) needs of the
//! connections it opens and pools — the async twin of [`crate::EngineConnection`].

use std::future::Future;
use std::sync::Arc;

use philtre::QueryResult;
use philtre::connection::{AsyncConnection, ConnectOptions, Instrumentation};
use philtre_mysql::AsyncMysqlConnection;
use philtre_postgres::AsyncPgConnection;
use philtre_sqlite::AsyncSqliteConnection;

use crate::url::BackendKind;

/// An async connection an [`AsyncEngine`](crate::AsyncEngine) can open from a URL and pool:
/// [`AsyncPgConnection`], [`AsyncMysqlConnection`], [`AsyncSqliteConnection`].
pub trait AsyncEngineConnection: AsyncConnection + 'static {
    /// Whether this connection type can open a URL naming `kind`.
    fn opens(kind: BackendKind) -> bool;
    /// Opens a connection from the backend's own URL (the engine's settings taken out).
    fn open_url(
        url: &str,
        options: &ConnectOptions,
    ) -> impl Future<Output = QueryResult<Self>> + Send;
    /// Reports every statement to `instrumentation` from now on.
    fn instrument(
        &mut self,
        instrumentation: Option<Arc<dyn Instrumentation>>,
    ) -> impl Future<Output = QueryResult<()>> + Send;
}

/// `AsyncEngineConnection` for a connection whose instrumentation is set in place (it renders
/// and reports on the caller's side); `$kind` is the database it opens.
macro_rules! async_engine_connection {
    ($conn:ty, $kind:expr) => {
        impl AsyncEngineConnection for $conn {
            fn opens(kind: BackendKind) -> bool {
                kind == $kind
            }
            async fn open_url(url: &str, options: &ConnectOptions) -> QueryResult<Self> {
                <$conn>::open_with(url, options).await
            }
            async fn instrument(
                &mut self,
                instrumentation: Option<Arc<dyn Instrumentation>>,
            ) -> QueryResult<()> {
                self.instrumentation().set(instrumentation);
                Ok(())
            }
        }
    };
}

async_engine_connection!(AsyncPgConnection, BackendKind::Postgres);
async_engine_connection!(AsyncMysqlConnection, BackendKind::Mysql);

/// SQLite reports statements on its thread, so the instrumentation travels there.
impl AsyncEngineConnection for AsyncSqliteConnection {
    fn opens(kind: BackendKind) -> bool {
        kind == BackendKind::Sqlite
    }
    async fn open_url(url: &str, options: &ConnectOptions) -> QueryResult<Self> {
        AsyncSqliteConnection::open_with(url, options).await
    }
    async fn instrument(
        &mut self,
        instrumentation: Option<Arc<dyn Instrumentation>>,
    ) -> QueryResult<()> {
        self.set_instrumentation(instrumentation).await
    }
}
