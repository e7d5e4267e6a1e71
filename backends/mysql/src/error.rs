use philtre::{Error, ErrorKind};

/// Maps a driver error to a philtre error kind by MySQL / MariaDB error code.
pub(crate) fn from_mysql(e: mysql::Error) -> Error {
    let (kind, message) = match &e {
        mysql::Error::MySqlError(server) => {
            let kind = match server.code {
                // ER_DUP_ENTRY, ER_DUP_KEY
                1062 | 1022 => ErrorKind::UniqueViolation,
                // ER_ROW_IS_REFERENCED(_2), ER_NO_REFERENCED_ROW(_2)
                1216 | 1217 | 1451 | 1452 => ErrorKind::ForeignKeyViolation,
                // ER_BAD_NULL_ERROR, ER_NO_DEFAULT_FOR_FIELD
                1048 | 1364 => ErrorKind::NotNullViolation,
                // MySQL ER_CHECK_CONSTRAINT_VIOLATED, MariaDB ER_CONSTRAINT_FAILED
                3819 | 4025 => ErrorKind::CheckViolation,
                // ER_LOCK_DEADLOCK
                1213 => ErrorKind::Deadlock,
                // ER_LOCK_WAIT_TIMEOUT: a retry may succeed, as after a serialization failure.
                1205 => ErrorKind::SerializationFailure,
                // access denied, unknown database, too many connections, server gone
                1044 | 1045 | 1049 | 1040 | 2006 | 2013 => ErrorKind::Connection,
                _ => ErrorKind::Other,
            };
            (kind, server.message.clone())
        }
        mysql::Error::IoError(io) => (ErrorKind::Connection, io.to_string()),
        // The wire codec fails when the socket does (a killed session, a broken pipe).
        mysql::Error::CodecError(codec) => (ErrorKind::Connection, codec.to_string()),
        mysql::Error::DriverError(d) => (ErrorKind::Connection, d.to_string()),
        mysql::Error::UrlError(u) => (ErrorKind::Connection, u.to_string()),
        other => (ErrorKind::Other, other.to_string()),
    };
    Error::new(kind, message).with_source(e)
}
