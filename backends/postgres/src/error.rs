use philtre::{Error, ErrorKind};
use postgres::error::SqlState;

/// Maps a driver error to a philtre error kind by SQLSTATE, keeping the driver error as source.
pub(crate) fn from_postgres(e: postgres::Error) -> Error {
    let kind = match e.code() {
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => ErrorKind::UniqueViolation,
        Some(code) if *code == SqlState::FOREIGN_KEY_VIOLATION => ErrorKind::ForeignKeyViolation,
        Some(code) if *code == SqlState::NOT_NULL_VIOLATION => ErrorKind::NotNullViolation,
        Some(code) if *code == SqlState::CHECK_VIOLATION => ErrorKind::CheckViolation,
        Some(code) if *code == SqlState::T_R_SERIALIZATION_FAILURE => {
            ErrorKind::SerializationFailure
        }
        Some(code) if *code == SqlState::T_R_DEADLOCK_DETECTED => ErrorKind::Deadlock,
        // Connection exceptions (08xxx) and the server terminating the session (57P01).
        Some(code) if code.code().starts_with("08") || *code == SqlState::ADMIN_SHUTDOWN => {
            ErrorKind::Connection
        }
        None if e.is_closed() => ErrorKind::Connection,
        _ => ErrorKind::Other,
    };
    let message = match e.as_db_error() {
        Some(db) => db.message().to_owned(),
        None => e.to_string(),
    };
    Error::new(kind, message).with_source(e)
}
