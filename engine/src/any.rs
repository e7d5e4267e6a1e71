//! [`AnyConnection`]: a connection to whichever database a URL names, chosen at run time.

use std::sync::Arc;

use philtre::backend::IsolationLevel;
use philtre::connection::{
    AnyOf3, Blocking, ConnectOptions, Connection, Instrumentation, Instrumented, OneOf3,
    QueryConnection, Split3, TransactionControl, TransactionDepth, run_transaction,
};
use philtre::expression::QueryFragment;
use philtre::query::{
    BatchInsert, ColumnAssignments, InsertStatement, InsertsRows, NoReturning, insert_batch,
};
use philtre::{Error, ErrorKind, QueryResult};
use philtre_mysql::{Mysql, MysqlConnection};
use philtre_postgres::{Pg, PgConnection};
use philtre_sqlite::{Sqlite, SqliteConnection};

use crate::url::{self, BackendKind};

/// A connection to SQLite, PostgreSQL or MySQL/MariaDB, whichever its URL named.
///
/// Typed statements run on it as on a connection of one backend — `query.load(&mut conn)`,
/// `execute`, `get_result`, `first` — provided **every** backend can run them: a statement
/// that needs a capability one of them lacks (RETURNING, ILIKE, DISTINCT ON, FULL OUTER JOIN,
/// row locks, a conflict target, …) does not compile, and the error names the capability and
/// the backend that lacks it. For backend-specific work, match on the variants:
///
/// ```no_run
/// use philtre::prelude::*;
/// use philtre_engine::AnyConnection;
/// # philtre::table! { users (id) { id -> Integer, name -> Text, } }
///
/// # fn main() -> Result<(), philtre::Error> {
/// let mut conn = AnyConnection::open("sqlite://")?;
/// match &mut conn {
///     AnyConnection::Postgres(pg) => {
///         // PostgreSQL only: RETURNING, ILIKE, …
///         let _ids: Vec<i32> = insert_into(users::table)
///             .values(users::name.eq("ada"))
///             .returning(users::id)
///             .get_results(pg)?;
///     }
///     other => {
///         insert_into(users::table).values(users::name.eq("ada")).execute(other)?;
///     }
/// }
/// # Ok(())
/// # }
/// ```
///
/// Choosing the backend costs one `match` per statement; a program that knows its database
/// can use that backend's connection type (or `Engine<PgConnection>`) and pay nothing.
#[derive(Debug)]
// One lives per open connection, moved rarely (into the pool once); boxing the large variant
// would add a pointer chase to every statement instead.
#[allow(clippy::large_enum_variant)]
pub enum AnyConnection {
    /// An SQLite connection.
    Sqlite(SqliteConnection),
    /// A PostgreSQL connection.
    Postgres(PgConnection),
    /// A MySQL or MariaDB connection.
    Mysql(MysqlConnection),
}

/// Runs `$body` with `$conn` bound to the concrete connection inside `$self`.
macro_rules! each_backend {
    ($self:expr, $conn:ident => $body:expr) => {
        match $self {
            AnyConnection::Sqlite($conn) => $body,
            AnyConnection::Postgres($conn) => $body,
            AnyConnection::Mysql($conn) => $body,
        }
    };
}

impl AnyConnection {
    /// Opens the database `url` names (see [`crate::create_engine`] for the schemes).
    pub fn open(url: &str) -> QueryResult<Self> {
        Self::open_with(url, &ConnectOptions::new())
    }

    /// Opens the database `url` names, with options set in code winning over the URL's.
    pub fn open_with(url: &str, options: &ConnectOptions) -> QueryResult<Self> {
        let parsed = url::parse(url)?;
        if let Some((key, _)) = parsed.settings.first() {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "`{key}` is an engine setting: pass the URL to `create_engine`, or leave it \
                     out when opening a single connection"
                ),
            ));
        }
        open_kind(parsed.kind, &parsed.backend_url, options)
    }

    /// Which database this connection talks to.
    pub fn kind(&self) -> BackendKind {
        match self {
            AnyConnection::Sqlite(_) => BackendKind::Sqlite,
            AnyConnection::Postgres(_) => BackendKind::Postgres,
            AnyConnection::Mysql(_) => BackendKind::Mysql,
        }
    }

    /// Runs one or more SQL statements separated by `;`, without parameters or results
    /// (see [`Connection::batch_execute`]).
    pub fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        each_backend!(self, c => c.batch_execute(sql))
    }

    /// Runs `f` in a transaction, a savepoint when nested (see [`Connection::transaction`]).
    pub fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<Error>,
    {
        run_transaction(self, None, f)
    }

    /// Runs `f` in a transaction at isolation `level` (outermost transactions only). SQLite
    /// transactions are always serializable: there `Serializable` starts an ordinary
    /// transaction and any other level is refused with an `InvalidQuery` error.
    pub fn transaction_with<T, E, F>(&mut self, level: IsolationLevel, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<Error>,
    {
        use philtre::backend::SupportsIsolationLevels;
        let begin = match self {
            AnyConnection::Postgres(_) => Pg::begin_with_isolation(level),
            AnyConnection::Mysql(_) => Mysql::begin_with_isolation(level),
            AnyConnection::Sqlite(_) if level == IsolationLevel::Serializable => {
                return run_transaction(self, None, f);
            }
            AnyConnection::Sqlite(_) => {
                return Err(Error::new(
                    ErrorKind::InvalidQuery,
                    format!(
                        "SQLite transactions are always SERIALIZABLE; it has no {} level",
                        level.sql()
                    ),
                )
                .into());
            }
        };
        let begin: Vec<&str> = begin.iter().map(String::as_str).collect();
        run_transaction(self, Some(&begin), f)
    }

    /// Creates every table of `schema` in dependency order (see
    /// [`Schema::create_all`](philtre::schema::Schema::create_all)), in this backend's DDL.
    pub fn create_all(&mut self, schema: &philtre::schema::Schema) -> QueryResult<()> {
        each_backend!(self, c => schema.create_all(c))
    }

    /// As [`AnyConnection::create_all`], skipping tables that exist.
    pub fn create_all_if_not_exists(
        &mut self,
        schema: &philtre::schema::Schema,
    ) -> QueryResult<()> {
        each_backend!(self, c => schema.create_all_if_not_exists(c))
    }

    /// Drops every table of `schema`, dependents first (see
    /// [`Schema::drop_all`](philtre::schema::Schema::drop_all)).
    pub fn drop_all(&mut self, schema: &philtre::schema::Schema) -> QueryResult<()> {
        each_backend!(self, c => schema.drop_all(c))
    }

    /// As [`AnyConnection::drop_all`], skipping tables that do not exist.
    pub fn drop_all_if_exists(&mut self, schema: &philtre::schema::Schema) -> QueryResult<()> {
        each_backend!(self, c => schema.drop_all_if_exists(c))
    }

    /// Whether the connection is known to be unusable (see [`Connection::is_broken`]).
    pub fn is_broken(&self) -> bool {
        each_backend!(self, c => c.is_broken())
    }

    /// Asks the server whether the connection still works (see [`Connection::ping`]).
    pub fn ping(&mut self) -> QueryResult<()> {
        each_backend!(self, c => c.ping())
    }

    /// Rolls back a transaction left open (see [`Connection::reset`]).
    pub fn reset(&mut self) -> QueryResult<()> {
        each_backend!(self, c => c.reset())
    }

    /// How deep the current transaction nesting is.
    pub fn transaction_depth(&mut self) -> TransactionDepth {
        *each_backend!(self, c => c.transaction_depth())
    }

    /// Reports every statement and transaction boundary to `instrumentation` (see
    /// [`Connection::set_instrumentation`]).
    pub fn set_instrumentation(&mut self, instrumentation: Option<Arc<dyn Instrumentation>>) {
        each_backend!(self, c => c.set_instrumentation(instrumentation))
    }
}

/// Opens a connection of backend `kind` from its own URL.
pub(crate) fn open_kind(
    kind: BackendKind,
    backend_url: &str,
    options: &ConnectOptions,
) -> QueryResult<AnyConnection> {
    Ok(match kind {
        BackendKind::Sqlite => {
            AnyConnection::Sqlite(SqliteConnection::open_with(backend_url, options)?)
        }
        BackendKind::Postgres => {
            AnyConnection::Postgres(PgConnection::open_with(backend_url, options)?)
        }
        BackendKind::Mysql => {
            AnyConnection::Mysql(MysqlConnection::open_with(backend_url, options)?)
        }
    })
}

impl QueryConnection for AnyConnection {
    type Backends = AnyOf3<SqliteConnection, PgConnection, MysqlConnection>;
    fn key_list_limit(&self) -> philtre::connection::KeyListLimit {
        each_backend!(self, conn => conn.key_list_limit())
    }
}

impl Split3<SqliteConnection, PgConnection, MysqlConnection> for AnyConnection {
    #[inline]
    fn split(&mut self) -> OneOf3<&mut SqliteConnection, &mut PgConnection, &mut MysqlConnection> {
        match self {
            AnyConnection::Sqlite(c) => OneOf3::First(c),
            AnyConnection::Postgres(c) => OneOf3::Second(c),
            AnyConnection::Mysql(c) => OneOf3::Third(c),
        }
    }
}

impl<T, X, C> InsertsRows<T, X, C, Blocking> for AnyConnection
where
    T: philtre::schema::Table,
    C: Clone,
    X: ColumnAssignments<Sqlite> + ColumnAssignments<Pg> + ColumnAssignments<Mysql>,
    InsertStatement<T, BatchInsert<X>, NoReturning, C>:
        QueryFragment<Sqlite> + QueryFragment<Pg> + QueryFragment<Mysql>,
{
    type Output<'c>
        = QueryResult<usize>
    where
        Self: 'c,
        T: 'c,
        X: 'c,
        C: 'c;

    fn insert_rows<'c>(
        &'c mut self,
        statement: InsertStatement<T, BatchInsert<X>, NoReturning, C>,
    ) -> QueryResult<usize>
    where
        T: 'c,
        X: 'c,
        C: 'c,
    {
        each_backend!(self, c => insert_batch(c, statement))
    }
}

impl TransactionControl for AnyConnection {
    fn depth_mut(&mut self) -> &mut TransactionDepth {
        each_backend!(self, c => c.transaction_depth())
    }
    fn instrumented_mut(&mut self) -> &mut Instrumented {
        each_backend!(self, c => c.instrumentation())
    }
    fn control(&mut self, sql: &str) -> QueryResult<()> {
        each_backend!(self, c => c.execute_control(sql))
    }
    fn begin(&mut self) -> QueryResult<()> {
        each_backend!(self, c => c.begin_transaction())
    }
    fn commit(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        each_backend!(self, c => c.commit_transaction(savepoint))
    }
    fn rollback(&mut self, savepoint: Option<&str>) -> QueryResult<()> {
        each_backend!(self, c => c.rollback_transaction(savepoint))
    }
}
