use mysql::DriverError;
use philtre::{Error, ErrorKind};

/// Maps a driver error to a philtre error kind by MySQL / MariaDB error code (or, for errors of
/// the client itself, by what failed), keeping the driver error as source.
pub(crate) fn from_mysql(e: mysql::Error) -> Error {
    let (kind, message) = match &e {
        mysql::Error::MySqlError(server) => (server_kind(server.code), server.message.clone()),
        mysql::Error::IoError(io) => (io_kind(io.kind()), io_message(io)),
        // The wire codec fails when the socket does (a killed session, a broken pipe).
        mysql::Error::CodecError(codec) => match std::error::Error::source(codec)
            .and_then(|s| s.downcast_ref::<std::io::Error>())
        {
            Some(io) => (io_kind(io.kind()), io_message(io)),
            None => (ErrorKind::Connection, codec.to_string()),
        },
        mysql::Error::DriverError(driver) => (driver_kind(driver), driver.to_string()),
        mysql::Error::UrlError(u) => (ErrorKind::Connection, u.to_string()),
        other => (ErrorKind::Other, other.to_string()),
    };
    Error::new(kind, message).with_source(e)
}

pub(crate) fn server_kind(code: u16) -> ErrorKind {
    match code {
        // ER_DUP_ENTRY, ER_DUP_KEY
        1062 | 1022 => ErrorKind::UniqueViolation,
        // ER_ROW_IS_REFERENCED(_2), ER_NO_REFERENCED_ROW(_2)
        1216 | 1217 | 1451 | 1452 => ErrorKind::ForeignKeyViolation,
        // ER_BAD_NULL_ERROR, ER_NO_DEFAULT_FOR_FIELD
        1048 | 1364 => ErrorKind::NotNullViolation,
        // MySQL ER_CHECK_CONSTRAINT_VIOLATED, MariaDB ER_CONSTRAINT_FAILED
        3819 | 4025 => ErrorKind::CheckViolation,
        // ER_LOCK_DEADLOCK: InnoDB has rolled back the whole transaction.
        1213 => ErrorKind::Deadlock,
        // ER_LOCK_WAIT_TIMEOUT (also MariaDB's NOWAIT), MySQL's ER_LOCK_NOWAIT
        1205 | 3572 => ErrorKind::LockNotAvailable,
        // MariaDB ER_STATEMENT_TIMEOUT (max_statement_time), MySQL ER_QUERY_TIMEOUT
        // (max_execution_time)
        1969 | 3024 => ErrorKind::Timeout,
        // ER_QUERY_INTERRUPTED: KILL QUERY from another session
        1317 => ErrorKind::Cancelled,
        // ER_NEED_REPREPARE
        1615 => ErrorKind::StaleStatement,
        // ER_PS_MANY_PARAM
        1390 => ErrorKind::InvalidQuery,
        // Access denied, unknown database, too many connections, server gone or lost, the
        // session killed (MariaDB ER_CONNECTION_KILLED), the server shutting down, MySQL 8's
        // disconnect of an idle client.
        1044 | 1045 | 1049 | 1040 | 2006 | 2013 | 1927 | 1053 | 4031 => ErrorKind::Connection,
        _ => ErrorKind::Other,
    }
}

/// A read or write that ran out of its socket timeout is a timeout; every other I/O failure
/// is a lost connection.
pub(crate) fn io_kind(kind: std::io::ErrorKind) -> ErrorKind {
    match kind {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => ErrorKind::Timeout,
        _ => ErrorKind::Connection,
    }
}

pub(crate) fn io_message(io: &std::io::Error) -> String {
    match io_kind(io.kind()) {
        ErrorKind::Timeout => {
            "no answer from the server within the read timeout; the connection can no longer be used"
                .to_owned()
        }
        _ => io.to_string(),
    }
}

fn driver_kind(e: &DriverError) -> ErrorKind {
    match e {
        DriverError::ConnectTimeout | DriverError::Timeout => ErrorKind::Timeout,
        DriverError::CouldNotConnect(_)
        | DriverError::UnsupportedProtocol(_)
        | DriverError::PacketOutOfSync
        | DriverError::Protocol41NotSet
        | DriverError::UnexpectedPacket
        | DriverError::SetupError
        | DriverError::TlsNotSupported
        | DriverError::CouldNotParseVersion
        | DriverError::UnknownAuthPlugin(_)
        | DriverError::OldMysqlPasswordDisabled
        | DriverError::CleartextPluginDisabled
        | DriverError::InvalidParsecSalt => ErrorKind::Connection,
        DriverError::PacketTooLarge
        | DriverError::MismatchedStmtParams(..)
        | DriverError::Params(_)
        | DriverError::MixedParams => ErrorKind::InvalidQuery,
        _ => ErrorKind::Other,
    }
}

/// Whether an error means the session is over: the server ended it or the link broke. After
/// one, every call fails the same way (see [`crate::MysqlConnection`]).
pub(crate) fn ends_session(e: &mysql::Error) -> bool {
    match e {
        mysql::Error::MySqlError(server) => matches!(server.code, 2006 | 2013 | 1927 | 1053 | 4031),
        mysql::Error::IoError(_) | mysql::Error::CodecError(_) => true,
        mysql::Error::DriverError(driver) => matches!(
            driver,
            DriverError::PacketOutOfSync | DriverError::UnexpectedPacket | DriverError::Timeout
        ),
        _ => false,
    }
}

/// Maps an error of the async driver as [`from_mysql`] maps the blocking one's.
#[cfg(feature = "async")]
pub(crate) fn from_mysql_async(e: mysql_async::Error) -> Error {
    use mysql_async::DriverError as D;
    let (kind, message) = match &e {
        mysql_async::Error::Server(server) => (server_kind(server.code), server.message.clone()),
        mysql_async::Error::Io(mysql_async::IoError::Io(io)) => {
            (io_kind(io.kind()), io_message(io))
        }
        // TLS errors, with the `tls` feature.
        #[allow(unreachable_patterns)]
        mysql_async::Error::Io(other) => (ErrorKind::Connection, other.to_string()),
        mysql_async::Error::Driver(driver) => (
            match driver {
                D::StmtParamsMismatch { .. }
                | D::StmtParamsNumberExceedsLimit { .. }
                | D::Params(_)
                | D::MixedParams
                | D::PacketTooLarge => ErrorKind::InvalidQuery,
                D::FromValue { .. } | D::FromRow { .. } | D::NestedTransaction => ErrorKind::Other,
                _ => ErrorKind::Connection,
            },
            driver.to_string(),
        ),
        mysql_async::Error::Url(u) => (ErrorKind::Connection, u.to_string()),
        mysql_async::Error::Other(other) => (ErrorKind::Other, other.to_string()),
    };
    Error::new(kind, message).with_source(e)
}

/// Whether an error of the async driver means the session is over.
#[cfg(feature = "async")]
pub(crate) fn ends_session_async(e: &mysql_async::Error) -> bool {
    match e {
        mysql_async::Error::Server(server) => {
            matches!(server.code, 2006 | 2013 | 1927 | 1053 | 4031)
        }
        mysql_async::Error::Io(_) => true,
        mysql_async::Error::Driver(driver) => !matches!(
            driver,
            mysql_async::DriverError::StmtParamsMismatch { .. }
                | mysql_async::DriverError::StmtParamsNumberExceedsLimit { .. }
                | mysql_async::DriverError::Params(_)
                | mysql_async::DriverError::MixedParams
                | mysql_async::DriverError::FromValue { .. }
                | mysql_async::DriverError::FromRow { .. }
                | mysql_async::DriverError::NestedTransaction
        ),
        mysql_async::Error::Url(_) | mysql_async::Error::Other(_) => false,
    }
}
