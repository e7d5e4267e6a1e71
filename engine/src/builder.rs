//! [`EngineBuilder`]: an engine's settings, from the URL's query string and from code.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use philtre::backend::IsolationLevel;
use philtre::connection::{ConnectOptions, Instrumentation, parse_duration};
use philtre::{Error, ErrorKind, QueryResult};

use crate::any::AnyConnection;
use crate::connect::{EngineConnection, isolation_sql, parse_isolation_level};
use crate::engine::{Engine, EngineInner, Pool};
use crate::events::{ConnectionHooks, ExecutedStatement, StatementListeners};
use crate::pool::{PoolSettings, PoolShared, build_r2d2};
use crate::url::{self, BackendKind, EngineUrl};

/// SQLAlchemy's QueuePool defaults.
const DEFAULT_POOL_SIZE: u32 = 5;
const DEFAULT_MAX_OVERFLOW: u32 = 10;
const DEFAULT_POOL_TIMEOUT: Duration = Duration::from_secs(30);
/// A connection used this recently is not pinged at checkout, even with pre-ping on.
const DEFAULT_PRE_PING_WINDOW: Duration = Duration::from_secs(1);

/// Which pool to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PoolChoice {
    /// QueuePool, or one shared connection for a private SQLite in-memory database.
    Default,
    /// NullPool: no pooling.
    Null,
}

/// An engine's settings. Each can come from the URL's query string (the key in brackets) or
/// from code; code wins.
///
/// ```
/// use std::time::Duration;
/// use philtre_engine::Engine;
///
/// # fn main() -> Result<(), philtre::Error> {
/// let engine = Engine::builder("sqlite:///app.db?pool_size=2")
///     .max_overflow(0)
///     .pool_timeout(Duration::from_secs(5))
///     .echo(true)
///     .on_connect(|conn| conn.batch_execute("PRAGMA cache_size = -8000"))
///     .build()?;
/// # let _ = engine; let _ = std::fs::remove_file("app.db");
/// # Ok(())
/// # }
/// ```
pub struct EngineBuilder<C> {
    url: String,
    parsed: QueryResult<EngineUrl>,
    options: ConnectOptions,
    settings: PoolSettings,
    pool: PoolChoice,
    echo: bool,
    log: bool,
    slow: Option<Duration>,
    bind_values: bool,
    isolation: Option<IsolationLevel>,
    pub(crate) hooks: ConnectionHooks<C>,
    statements: StatementListeners,
    error: Option<Error>,
}

impl Engine<AnyConnection> {
    /// Starts building an engine whose database the URL chooses (see [`crate::create_engine`]).
    /// For an engine of one backend, use `EngineBuilder::<PgConnection>::new(url)`.
    pub fn builder(url: &str) -> EngineBuilder<AnyConnection> {
        EngineBuilder::new(url)
    }
}

impl<C> EngineBuilder<C> {
    /// Starts from `url` and its query string's settings.
    pub fn new(url: &str) -> Self {
        let mut builder = EngineBuilder {
            url: url.to_owned(),
            parsed: url::parse(url),
            options: ConnectOptions::new(),
            settings: PoolSettings {
                size: DEFAULT_POOL_SIZE,
                max_overflow: DEFAULT_MAX_OVERFLOW,
                timeout: DEFAULT_POOL_TIMEOUT,
                recycle: None,
                pre_ping: false,
                pre_ping_window: DEFAULT_PRE_PING_WINDOW,
            },
            pool: PoolChoice::Default,
            echo: false,
            log: false,
            slow: None,
            bind_values: false,
            isolation: None,
            hooks: ConnectionHooks::default(),
            statements: StatementListeners::default(),
            error: None,
        };
        let settings = match &builder.parsed {
            Ok(parsed) => parsed.settings.clone(),
            Err(_) => Vec::new(),
        };
        for (key, value) in settings {
            if let Err(e) = builder.apply_url_setting(&key, &value) {
                builder.error.get_or_insert(e);
            }
        }
        builder
    }

    fn apply_url_setting(&mut self, key: &str, value: &str) -> QueryResult<()> {
        let invalid = |what: &str| {
            Error::new(
                ErrorKind::InvalidQuery,
                format!("the URL's `{key}={value}` is not valid: {what}"),
            )
        };
        let count = || {
            value
                .parse::<u32>()
                .map_err(|_| invalid("expected a whole number"))
        };
        let duration = || {
            parse_duration(value)
                .ok_or_else(|| invalid("expected a duration such as 30, 5s or 250ms"))
        };
        let flag = || match value.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(invalid("expected true or false")),
        };
        match key {
            "pool_size" => self.settings.size = count()?,
            "max_overflow" => self.settings.max_overflow = count()?,
            "pool_timeout" => self.settings.timeout = duration()?,
            "pool_recycle" => self.settings.recycle = Some(duration()?).filter(|d| !d.is_zero()),
            "pool_pre_ping" => self.settings.pre_ping = flag()?,
            "pool_pre_ping_window" => self.settings.pre_ping_window = duration()?,
            "echo" => self.echo = flag()?,
            "slow_statement_threshold" => self.slow = Some(duration()?),
            "poolclass" => {
                self.pool = match value.to_ascii_lowercase().as_str() {
                    "null" | "nullpool" => PoolChoice::Null,
                    "queue" | "queuepool" => PoolChoice::Default,
                    _ => return Err(invalid("expected `queue` or `null`")),
                }
            }
            "isolation_level" => {
                self.isolation = Some(parse_isolation_level(value).ok_or_else(|| {
                    invalid("expected READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ or SERIALIZABLE")
                })?)
            }
            _ => return Err(invalid("not an engine setting")),
        }
        Ok(())
    }

    /// How many connections the pool keeps open between uses (`pool_size`, default 5).
    pub fn pool_size(mut self, size: u32) -> Self {
        self.settings.size = size;
        self
    }

    /// How many more connections the pool may open when all are in use; they are closed when
    /// they come back to a full pool (`max_overflow`, default 10).
    pub fn max_overflow(mut self, overflow: u32) -> Self {
        self.settings.max_overflow = overflow;
        self
    }

    /// How long [`Engine::connect`] waits for a connection when all are in use, before an
    /// [`ErrorKind::PoolTimeout`] error (`pool_timeout`, default 30 s).
    pub fn pool_timeout(mut self, limit: Duration) -> Self {
        self.settings.timeout = limit;
        self
    }

    /// Closes connections older than `age` instead of reusing them (`pool_recycle`, default:
    /// never). Set it below any idle limit a server or proxy between enforces.
    pub fn pool_recycle(mut self, age: Duration) -> Self {
        self.settings.recycle = Some(age).filter(|d| !d.is_zero());
        self
    }

    /// Pings a connection at checkout, replacing it (and every connection as old) when it does
    /// not answer (`pool_pre_ping`, default off). A connection used within the pre-ping window
    /// is not pinged.
    pub fn pool_pre_ping(mut self, on: bool) -> Self {
        self.settings.pre_ping = on;
        self
    }

    /// How recently a connection must have been used to skip its pre-ping
    /// (`pool_pre_ping_window`, default 1 s).
    pub fn pool_pre_ping_window(mut self, window: Duration) -> Self {
        self.settings.pre_ping_window = window;
        self
    }

    /// No pool: a new connection at each checkout, closed when it comes back
    /// (`poolclass=null`, SQLAlchemy's NullPool). For programs that connect rarely, or behind
    /// an external pooler such as PgBouncer.
    pub fn null_pool(mut self) -> Self {
        self.pool = PoolChoice::Null;
        self
    }

    /// Options for each connection (time limits, statement cache); they win over the URL's.
    pub fn connect_options(mut self, options: ConnectOptions) -> Self {
        self.options = options;
        self
    }

    /// Makes `level` the default isolation of every connection's transactions
    /// (`isolation_level=REPEATABLE_READ`).
    pub fn isolation_level(mut self, level: IsolationLevel) -> Self {
        self.isolation = Some(level);
        self
    }

    /// Logs every statement and transaction boundary at INFO through `tracing` (target
    /// `philtre::sql`), SQLAlchemy's `echo=True` (`echo=true`). Bound values are never logged.
    pub fn echo(mut self, on: bool) -> Self {
        self.echo = on;
        self
    }

    /// Logs every statement at DEBUG through `tracing` (target `philtre::sql`), for a
    /// subscriber to show when it wants them.
    pub fn log_statements(mut self, on: bool) -> Self {
        self.log = on;
        self
    }

    /// Logs statements that take `threshold` or longer at WARN
    /// (`slow_statement_threshold=500ms`).
    pub fn slow_statement_threshold(mut self, threshold: Duration) -> Self {
        self.slow = Some(threshold);
        self
    }

    /// Also logs each statement's bound values at TRACE (with `echo` or `log_statements`).
    /// Off by default: values can be passwords, tokens or personal data.
    pub fn log_bind_values(mut self, on: bool) -> Self {
        self.bind_values = on;
        self
    }

    /// Calls `f` with each statement's SQL and bind count before it runs (`before_execute`).
    pub fn on_before_execute(mut self, f: impl Fn(&str, usize) + Send + Sync + 'static) -> Self {
        self.statements.before_execute.push(Box::new(f));
        self
    }

    /// Calls `f` after each statement that succeeded, with its SQL, bind count, duration and
    /// rows (`after_execute`).
    pub fn on_after_execute(
        mut self,
        f: impl Fn(&ExecutedStatement<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.statements.after_execute.push(Box::new(f));
        self
    }

    /// Calls `f` with the SQL and the error of each statement that failed (`handle_error`).
    pub fn on_handle_error(mut self, f: impl Fn(&str, &Error) + Send + Sync + 'static) -> Self {
        self.statements.handle_error.push(Box::new(f));
        self
    }

    /// Calls `f` when a transaction begins (depth 1) or a savepoint opens (depth 2 and more).
    pub fn on_begin(mut self, f: impl Fn(u32) + Send + Sync + 'static) -> Self {
        self.statements.begin.push(Box::new(f));
        self
    }

    /// Calls `f` when a transaction commits (depth 1) or a savepoint is released.
    pub fn on_commit(mut self, f: impl Fn(u32) + Send + Sync + 'static) -> Self {
        self.statements.commit.push(Box::new(f));
        self
    }

    /// Calls `f` when a transaction (depth 1) or the work since a savepoint is rolled back.
    pub fn on_rollback(mut self, f: impl Fn(u32) + Send + Sync + 'static) -> Self {
        self.statements.rollback.push(Box::new(f));
        self
    }

    /// Gives every connection's events to `instrumentation` too (metrics, tracing spans).
    pub fn instrumentation(mut self, instrumentation: Arc<dyn Instrumentation>) -> Self {
        self.statements.instrumentations.push(instrumentation);
        self
    }
}

impl<C: EngineConnection> EngineBuilder<C> {
    /// Runs `setup` on each new connection before first use: `SET search_path`, PRAGMAs,
    /// session variables (SQLAlchemy's `connect` event). An error fails that connect.
    pub fn on_connect(
        mut self,
        setup: impl Fn(&mut C) -> QueryResult<()> + Send + Sync + 'static,
    ) -> Self {
        self.hooks.connect.push(Box::new(setup));
        self
    }

    /// Runs `check` on each connection as it is checked out; an error closes that connection
    /// and fails the checkout with it (SQLAlchemy's `checkout` event).
    pub fn on_checkout(
        mut self,
        check: impl Fn(&mut C) -> QueryResult<()> + Send + Sync + 'static,
    ) -> Self {
        self.hooks.checkout.push(Box::new(check));
        self
    }

    /// Runs `f` on each connection as it comes back, before the pool resets it (SQLAlchemy's
    /// `checkin` event).
    pub fn on_checkin(mut self, f: impl Fn(&mut C) + Send + Sync + 'static) -> Self {
        self.hooks.checkin.push(Box::new(f));
        self
    }

    /// Builds the engine. Nothing is connected yet: the first [`Engine::connect`] opens the
    /// first connection (and reports a bad password or an unreachable server).
    pub fn build(self) -> QueryResult<Engine<C>> {
        let prepared = self.prepare(C::opens)?;
        let shared = Arc::new(PoolShared::new(
            prepared.kind,
            prepared.backend_url,
            prepared.options,
            prepared.settings,
            prepared.setup_sql,
            prepared.hooks,
            prepared.statements,
        ));
        let pool = if prepared.null_pool {
            Pool::Null
        } else {
            Pool::Queue(RwLock::new(build_r2d2(&shared)))
        };
        Ok(Engine::from_parts(EngineInner {
            shared,
            pool,
            shown_url: prepared.shown_url,
        }))
    }
}

/// What [`EngineBuilder::prepare`] checked and put together, for the blocking and the async
/// engine.
pub(crate) struct Prepared<C> {
    pub(crate) kind: BackendKind,
    pub(crate) backend_url: String,
    pub(crate) shown_url: String,
    pub(crate) options: ConnectOptions,
    pub(crate) settings: PoolSettings,
    pub(crate) null_pool: bool,
    pub(crate) setup_sql: Vec<String>,
    pub(crate) hooks: ConnectionHooks<C>,
    pub(crate) statements: Option<Arc<dyn Instrumentation>>,
}

impl<C> EngineBuilder<C> {
    /// Checks the settings (`opens` says whether the connection type opens the URL's
    /// database) and puts the logging and listeners together.
    pub(crate) fn prepare(mut self, opens: fn(BackendKind) -> bool) -> QueryResult<Prepared<C>> {
        let parsed = self.parsed?;
        if let Some(e) = self.error {
            return Err(e);
        }
        if !opens(parsed.kind) {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "this engine's connections are for another database, and the URL `{}` \
                     names {}",
                    url::shown(&self.url),
                    parsed.kind
                ),
            ));
        }
        if self.settings.size == 0 && self.settings.max_overflow == 0 {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                "pool_size and max_overflow are both 0: the pool could never hand out a connection",
            ));
        }
        #[cfg(feature = "tracing")]
        if self.echo || self.log || self.slow.is_some() {
            let mut log = if self.echo {
                philtre::connection::SqlLog::echo()
            } else {
                philtre::connection::SqlLog::new()
            };
            if let Some(threshold) = self.slow {
                log = log.slow_statements(threshold);
            }
            if self.bind_values {
                log = log.bind_values();
            }
            self.statements.instrumentations.insert(0, Arc::new(log));
        }
        let statements: Option<Arc<dyn Instrumentation>> = if self.statements.is_empty() {
            None
        } else {
            Some(Arc::new(self.statements))
        };
        let setup_sql = match self.isolation {
            Some(level) => isolation_sql(parsed.kind, level)?.into_iter().collect(),
            None => Vec::new(),
        };
        let in_memory =
            parsed.kind == BackendKind::Sqlite && philtre_sqlite::is_in_memory(&parsed.backend_url);
        if in_memory && self.pool == PoolChoice::Default {
            // A private in-memory database lives in one connection: every checkout shares it.
            self.settings.size = 1;
            self.settings.max_overflow = 0;
            self.settings.recycle = None;
        }
        Ok(Prepared {
            kind: parsed.kind,
            backend_url: parsed.backend_url,
            shown_url: url::shown(&self.url),
            options: self.options,
            settings: self.settings,
            null_pool: self.pool == PoolChoice::Null,
            setup_sql,
            hooks: self.hooks,
            statements,
        })
    }
}

/// An engine for the database `url` names, with the URL's settings and the defaults for the
/// rest: SQLAlchemy's `create_engine(url)`.
///
/// | scheme | database |
/// | --- | --- |
/// | `sqlite://` (in memory), `sqlite:///relative.db`, `sqlite:////absolute.db` | SQLite |
/// | `postgres://`, `postgresql://` | PostgreSQL |
/// | `mysql://`, `mariadb://` | MySQL / MariaDB |
///
/// A SQLAlchemy driver suffix (`postgresql+psycopg2://`) is accepted and ignored. The query
/// string carries the connection's settings (`connect_timeout`, `statement_timeout`,
/// `sslmode`, SQLite's `journal_mode`, …) and the engine's: `pool_size`, `max_overflow`,
/// `pool_timeout`, `pool_recycle`, `pool_pre_ping`, `poolclass=null`, `echo`,
/// `slow_statement_threshold`, `isolation_level`.
///
/// ```
/// use philtre::prelude::*;
/// # philtre::table! { users (id) { id -> Integer, name -> Text, } }
///
/// # fn main() -> Result<(), philtre::Error> {
/// let engine = philtre_engine::create_engine("sqlite://")?;
/// let mut conn = engine.connect()?;
/// conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")?;
/// insert_into(users::table).values(users::name.eq("ada")).execute(&mut *conn)?;
/// let names: Vec<String> = users::table.select(users::name).load(&mut *conn)?;
/// assert_eq!(names, ["ada"]);
/// # Ok(())
/// # }
/// ```
pub fn create_engine(url: &str) -> QueryResult<Engine> {
    Engine::builder(url).build()
}
