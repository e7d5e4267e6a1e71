use philtre::{Error, ErrorKind};
use rusqlite::ffi;

/// Maps a driver error to a philtre error kind, keeping the driver error as the source.
pub(crate) fn from_rusqlite(e: rusqlite::Error) -> Error {
    let (kind, message) = match &e {
        rusqlite::Error::SqliteFailure(code, message) => {
            let kind = match code.extended_code {
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    ErrorKind::UniqueViolation
                }
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
                ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
                ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
                // In WAL mode, a transaction that read an old snapshot cannot start writing:
                // another connection wrote since. Retrying the transaction sees the new data.
                ffi::SQLITE_BUSY_SNAPSHOT => ErrorKind::SerializationFailure,
                _ => match code.code {
                    // Another connection holds the lock past the busy timeout (or could not
                    // wait without a deadlock, as when two deferred transactions both write).
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                        ErrorKind::LockNotAvailable
                    }
                    rusqlite::ErrorCode::OperationInterrupted => ErrorKind::Cancelled,
                    rusqlite::ErrorCode::CannotOpen
                    | rusqlite::ErrorCode::NotADatabase
                    | rusqlite::ErrorCode::PermissionDenied => ErrorKind::Connection,
                    _ => ErrorKind::Other,
                },
            };
            (kind, message.clone().unwrap_or_else(|| code.to_string()))
        }
        rusqlite::Error::InvalidPath(p) => (
            ErrorKind::Connection,
            format!("invalid database path {}", p.display()),
        ),
        rusqlite::Error::SqlInputError {
            msg, sql, offset, ..
        } => (
            ErrorKind::Other,
            format!(
                "{msg} (at byte {offset} of `{}`)",
                philtre::error::sql_for_message(sql)
            ),
        ),
        other => (ErrorKind::Other, other.to_string()),
    };
    Error::new(kind, message).with_source(e)
}
