//! [`EngineConnection`]: what an engine needs of the connections it opens and pools.

use std::sync::Arc;

use philtre::backend::IsolationLevel;
use philtre::connection::{ConnectOptions, Connection, Instrumentation, TransactionControl};
use philtre::{Error, ErrorKind, QueryResult};
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_sqlite::SqliteConnection;

use crate::any::{AnyConnection, open_kind};
use crate::url::BackendKind;

/// A connection an [`Engine`](crate::Engine) can open from a URL and keep in its pool: each
/// backend's connection (an engine for one database, checked at compile time against that
/// database alone) and [`AnyConnection`] (the database chosen by the URL at run time).
///
/// The method names differ from [`Connection`]'s so that both traits can be in scope.
pub trait EngineConnection: TransactionControl + Send + Sized + 'static {
    /// Whether this connection type can open a URL naming `kind`.
    fn opens(kind: BackendKind) -> bool;
    /// Opens a connection to `kind` from the backend's own URL (the engine's settings taken
    /// out).
    fn open_url(kind: BackendKind, url: &str, options: &ConnectOptions) -> QueryResult<Self>;
    /// Which database this connection talks to.
    fn backend_kind(&self) -> BackendKind;
    /// [`Connection::is_broken`].
    fn known_broken(&self) -> bool;
    /// [`Connection::ping`].
    fn check_alive(&mut self) -> QueryResult<()>;
    /// [`Connection::reset`].
    fn reset_for_reuse(&mut self) -> QueryResult<()>;
    /// [`Connection::batch_execute`].
    fn run_sql(&mut self, sql: &str) -> QueryResult<()>;
    /// [`Connection::set_instrumentation`].
    fn instrument(&mut self, instrumentation: Option<Arc<dyn Instrumentation>>);
}

/// `EngineConnection` for `$conn`: which URLs it opens (`$opens`), how (`$open`) and what it
/// talks to (`$kind`); the rest passes through to the connection's own methods.
macro_rules! engine_connection {
    ($conn:ty, opens: $opens:expr, open: $open:expr, kind: $kind:expr) => {
        impl EngineConnection for $conn {
            fn opens(kind: BackendKind) -> bool {
                let opens: fn(BackendKind) -> bool = $opens;
                opens(kind)
            }
            fn open_url(
                kind: BackendKind,
                url: &str,
                options: &ConnectOptions,
            ) -> QueryResult<Self> {
                let open: fn(BackendKind, &str, &ConnectOptions) -> QueryResult<Self> = $open;
                open(kind, url, options)
            }
            fn backend_kind(&self) -> BackendKind {
                let kind: fn(&Self) -> BackendKind = $kind;
                kind(self)
            }
            fn known_broken(&self) -> bool {
                self.is_broken()
            }
            fn check_alive(&mut self) -> QueryResult<()> {
                self.ping()
            }
            fn reset_for_reuse(&mut self) -> QueryResult<()> {
                self.reset()
            }
            fn run_sql(&mut self, sql: &str) -> QueryResult<()> {
                self.batch_execute(sql)
            }
            fn instrument(&mut self, instrumentation: Option<Arc<dyn Instrumentation>>) {
                self.set_instrumentation(instrumentation)
            }
        }
    };
}

engine_connection!(SqliteConnection,
    opens: |kind| kind == BackendKind::Sqlite,
    open: |_, url, options| SqliteConnection::open_with(url, options),
    kind: |_| BackendKind::Sqlite);
engine_connection!(PgConnection,
    opens: |kind| kind == BackendKind::Postgres,
    open: |_, url, options| PgConnection::open_with(url, options),
    kind: |_| BackendKind::Postgres);
engine_connection!(MysqlConnection,
    opens: |kind| kind == BackendKind::Mysql,
    open: |_, url, options| MysqlConnection::open_with(url, options),
    kind: |_| BackendKind::Mysql);
engine_connection!(AnyConnection,
    opens: |_| true,
    open: open_kind,
    kind: AnyConnection::kind);

/// The statement that makes `level` the session's default, run on each new connection.
pub(crate) fn isolation_sql(
    kind: BackendKind,
    level: IsolationLevel,
) -> QueryResult<Option<String>> {
    Ok(match kind {
        BackendKind::Postgres => Some(format!(
            "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {}",
            level.sql()
        )),
        BackendKind::Mysql => Some(format!(
            "SET SESSION TRANSACTION ISOLATION LEVEL {}",
            level.sql()
        )),
        BackendKind::Sqlite => match level {
            IsolationLevel::Serializable => None,
            // Only shared-cache connections see others' uncommitted writes; elsewhere a no-op.
            IsolationLevel::ReadUncommitted => Some("PRAGMA read_uncommitted = 1".to_owned()),
            other => {
                return Err(Error::new(
                    ErrorKind::InvalidQuery,
                    format!(
                        "SQLite transactions are SERIALIZABLE (or READ UNCOMMITTED in shared \
                         cache); it has no {} level",
                        other.sql()
                    ),
                ));
            }
        },
    })
}

/// Reads an isolation level as SQLAlchemy spells it (`REPEATABLE READ`, `repeatable_read`).
pub(crate) fn parse_isolation_level(text: &str) -> Option<IsolationLevel> {
    let normal = text.trim().to_ascii_uppercase().replace(['_', '-'], " ");
    Some(match normal.as_str() {
        "READ UNCOMMITTED" => IsolationLevel::ReadUncommitted,
        "READ COMMITTED" => IsolationLevel::ReadCommitted,
        "REPEATABLE READ" => IsolationLevel::RepeatableRead,
        "SERIALIZABLE" => IsolationLevel::Serializable,
        _ => return None,
    })
}
