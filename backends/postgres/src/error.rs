use philtre::{Error, ErrorKind};
use tokio_postgres::error::SqlState;

/// Maps a driver error to a philtre error kind by SQLSTATE (or, for errors of the client
/// itself, by what failed), keeping the driver error as source.
pub(crate) fn from_postgres(e: tokio_postgres::Error) -> Error {
    let (kind, message) = match e.as_db_error() {
        Some(db) => (
            server_kind(db.code(), db.message()),
            db.message().to_owned(),
        ),
        None => client_error(&e),
    };
    Error::new(kind, message).with_source(e)
}

fn server_kind(code: &SqlState, message: &str) -> ErrorKind {
    match code.code() {
        "23505" => ErrorKind::UniqueViolation,
        "23503" => ErrorKind::ForeignKeyViolation,
        "23502" => ErrorKind::NotNullViolation,
        "23514" => ErrorKind::CheckViolation,
        "40001" => ErrorKind::SerializationFailure,
        "40P01" => ErrorKind::Deadlock,
        // NOWAIT, SKIP LOCKED's table lock, `lock_timeout`.
        "55P03" => ErrorKind::LockNotAvailable,
        "25P02" => ErrorKind::TransactionAborted,
        // `statement_timeout` and a cancel request share the code; the message tells them apart.
        "57014" if message.contains("statement timeout") => ErrorKind::Timeout,
        "57014" => ErrorKind::Cancelled,
        // A prepared statement the server no longer has (a pooler, DISCARD ALL), or whose
        // result columns changed type under it.
        "26000" => ErrorKind::StaleStatement,
        "0A000" if message.contains("cached plan must not change result type") => {
            ErrorKind::StaleStatement
        }
        // Connection exceptions, and the server ending the session (terminated, shutting
        // down, crashed, not accepting connections yet).
        code if code.starts_with("08") || code.starts_with("57P") => ErrorKind::Connection,
        // Invalid password or role, no such database.
        "28000" | "28P01" | "3D000" => ErrorKind::Connection,
        _ => ErrorKind::Other,
    }
}

/// The kind and message of an error the client raised itself. Its `Display` names only the
/// step ("error serializing parameter 0"), so the cause is appended.
fn client_error(e: &tokio_postgres::Error) -> (ErrorKind, String) {
    let what = e.to_string();
    let kind = if e.is_closed() {
        ErrorKind::Connection
    } else if what.starts_with("error serializing") {
        ErrorKind::Serialization
    } else if what.starts_with("timeout") {
        ErrorKind::Timeout
    } else if what.starts_with("error communicating")
        || what.starts_with("error connecting")
        || what.starts_with("unexpected message")
        || what.starts_with("error parsing response")
        || what.starts_with("authentication")
        || what.starts_with("invalid connection string")
        || what.starts_with("invalid configuration")
    {
        ErrorKind::Connection
    } else {
        ErrorKind::Other
    };
    let mut message = what;
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        message.push_str(": ");
        message.push_str(&c.to_string());
        cause = c.source();
    }
    (kind, message)
}
