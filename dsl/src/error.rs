//! One error type for everything a query can run into, with a kind a program can match.

use std::error::Error as StdError;
use std::fmt;

/// The result of any philtre operation.
pub type QueryResult<T> = Result<T, Error>;

/// What went wrong, in terms a program can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A query that must return a row returned none (`get_result`, `first`, `find`).
    NotFound,
    /// A `UNIQUE` or primary key constraint was violated.
    UniqueViolation,
    /// A `FOREIGN KEY` constraint was violated.
    ForeignKeyViolation,
    /// A `NOT NULL` constraint was violated.
    NotNullViolation,
    /// A `CHECK` constraint was violated.
    CheckViolation,
    /// The database aborted a transaction to keep it serializable; retrying may succeed.
    SerializationFailure,
    /// The database broke a deadlock by aborting this transaction; retrying may succeed.
    Deadlock,
    /// A lock could not be taken: `NOWAIT` found it held, or the wait for it ran out
    /// (PostgreSQL `lock_timeout`, MySQL `innodb_lock_wait_timeout`, SQLite's busy timeout).
    /// Retrying may succeed.
    LockNotAvailable,
    /// The transaction could not commit because the database had already ended it: PostgreSQL
    /// aborts a transaction at its first failed statement, and SQLite and MySQL roll back a
    /// whole transaction after some errors (a deadlock, a full disk). Nothing in it was kept.
    TransactionAborted,
    /// A time limit ran out: connecting, a statement's run on the server (statement timeout),
    /// or the wait for the server's answer (read timeout).
    Timeout,
    /// The statement was cancelled on request (another session cancelled it, or an interrupt)
    /// before it finished.
    Cancelled,
    /// A cached prepared statement no longer matched the database (a table it reads changed
    /// type, or a pooler lost the statement). philtre dropped it from its cache, so running the
    /// statement (or the transaction it was in) again prepares it anew.
    StaleStatement,
    /// A value read from the database could not be converted to the requested Rust type.
    Deserialization,
    /// A Rust value could not be converted for the database.
    Serialization,
    /// The statement cannot be built from these values (an UPDATE with no change, an INSERT
    /// with no row).
    InvalidQuery,
    /// Opening or keeping the connection failed (bad URL, unreachable server, lost link).
    Connection,
    /// No pooled connection became free within the pool's checkout timeout: every connection
    /// the pool may open (its size plus overflow) was in use the whole time. SQLAlchemy's
    /// "QueuePool limit … reached, connection timed out". Retrying later may succeed; so may a
    /// larger pool, or shorter work per connection.
    PoolTimeout,
    /// An UPDATE or DELETE of the ORM's session matched fewer rows than it wrote: another
    /// transaction changed the row's version (optimistic concurrency) or deleted the row since
    /// it was loaded. SQLAlchemy's `StaleDataError`. The flush was rolled back; reload and retry.
    StaleData,
    /// An ORM session call does not fit the object's state: a key whose object is gone, an
    /// object whose primary key the session already holds, a cycle of new rows with no way to
    /// order them.
    ObjectState,
    /// Anything else the database reported.
    Other,
}

impl ErrorKind {
    /// Whether running the whole transaction again may succeed: serialization failures,
    /// deadlocks, locks not available and stale statements. A [`ErrorKind::Connection`] error
    /// is not: a COMMIT that lost its connection may or may not have been kept, so only the
    /// program can tell whether repeating the work is safe.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorKind::SerializationFailure
                | ErrorKind::Deadlock
                | ErrorKind::LockNotAvailable
                | ErrorKind::StaleStatement
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            ErrorKind::NotFound => "no row found",
            ErrorKind::UniqueViolation => "unique constraint violated",
            ErrorKind::ForeignKeyViolation => "foreign key constraint violated",
            ErrorKind::NotNullViolation => "not-null constraint violated",
            ErrorKind::CheckViolation => "check constraint violated",
            ErrorKind::SerializationFailure => "serialization failure",
            ErrorKind::Deadlock => "deadlock",
            ErrorKind::LockNotAvailable => "lock not available",
            ErrorKind::TransactionAborted => "transaction aborted",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Cancelled => "statement cancelled",
            ErrorKind::StaleStatement => "stale prepared statement",
            ErrorKind::Deserialization => "cannot read value",
            ErrorKind::Serialization => "cannot bind value",
            ErrorKind::InvalidQuery => "invalid query",
            ErrorKind::Connection => "connection error",
            ErrorKind::PoolTimeout => "no pooled connection free",
            ErrorKind::StaleData => "stale data",
            ErrorKind::ObjectState => "object state",
            ErrorKind::Other => "database error",
        };
        f.write_str(s)
    }
}

/// An error from philtre or from the database beneath it.
///
/// One pointer wide, so that the `QueryResult` of every decoded value stays small on the hot
/// path where errors never happen.
pub struct Error(Box<ErrorInner>);

#[derive(Debug)]
struct ErrorInner {
    kind: ErrorKind,
    message: String,
    column: Option<String>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

const _: () = assert!(std::mem::size_of::<Error>() == std::mem::size_of::<usize>());

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .field("column", &self.0.column)
            .field("source", &self.0.source)
            .finish()
    }
}

impl Error {
    /// A new error of `kind` with a human-readable message. A message longer than
    /// [`MAX_MESSAGE_LEN`] bytes (a driver's message quoting a huge statement) is shortened in
    /// the middle.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if message.len() > MAX_MESSAGE_LEN {
            message = shorten(&message, MAX_MESSAGE_LEN).into_owned();
        }
        Error(Box::new(ErrorInner {
            kind,
            message,
            column: None,
            source: None,
        }))
    }

    /// Attaches the underlying cause.
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.0.source = Some(source.into());
        self
    }

    /// Records which result column the error is about.
    pub fn with_column(mut self, column: impl Into<String>) -> Self {
        self.0.column = Some(column.into());
        self
    }

    /// The error for a query that returned no row.
    pub fn not_found() -> Self {
        Error::new(ErrorKind::NotFound, "the query returned no row")
    }

    /// The error of a call on a connection that broke earlier, `why` saying how.
    pub fn broken_connection(why: &str) -> Self {
        Error::new(
            ErrorKind::Connection,
            format!("the connection is broken ({why}); open a new one"),
        )
    }

    /// A value in `column` could not be read into the requested Rust type.
    pub fn deserialization(column: &str, cause: impl fmt::Display) -> Self {
        Error::new(
            ErrorKind::Deserialization,
            format!("cannot read column `{column}`: {cause}"),
        )
        .with_column(column)
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// Whether running the transaction again may succeed (see [`ErrorKind::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        self.0.kind.is_retryable()
    }

    /// The same error with another kind and message, the original kept as its source: how a
    /// backend says more than the driver did ("cannot connect: …").
    pub fn context(self, kind: ErrorKind, message: impl Into<String>) -> Self {
        Error::new(kind, message).with_source(self)
    }

    /// The message, without the kind.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The result column the error is about, for deserialization errors.
    pub fn column(&self) -> Option<&str> {
        self.0.column.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.kind, self.0.message)
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// The longest message an [`Error`] keeps, in bytes.
pub const MAX_MESSAGE_LEN: usize = 2000;

/// The longest stretch of SQL text an error message quotes, in bytes.
pub const MAX_SQL_IN_MESSAGE: usize = 300;

/// `sql` as an error message may quote it: whole if short, else its start, the number of
/// bytes left out, and its end. A 100,000-character statement never floods a log line.
pub fn sql_for_message(sql: &str) -> std::borrow::Cow<'_, str> {
    shorten(sql, MAX_SQL_IN_MESSAGE)
}

/// `text` cut to about `max` bytes by leaving out its middle, on character boundaries.
fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut head = max * 2 / 3;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - max / 3;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    std::borrow::Cow::Owned(format!(
        "{} …[{} bytes left out]… {}",
        &text[..head],
        tail - head,
        &text[tail..]
    ))
}

/// Turns "no row" into `Ok(None)` for queries that return zero or one row.
pub trait OptionalExtension<T> {
    /// `Ok(Some(v))` for a row, `Ok(None)` for [`ErrorKind::NotFound`], `Err` otherwise.
    fn optional(self) -> QueryResult<Option<T>>;
}

impl<T> OptionalExtension<T> for QueryResult<T> {
    fn optional(self) -> QueryResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}
