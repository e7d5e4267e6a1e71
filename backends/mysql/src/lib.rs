//! # philtre-mysql
//!
//! The MySQL and MariaDB backend for philtre, on the `mysql` crate (plain TCP; no TLS
//! compiled in). It renders SQL valid for MySQL 8 and MariaDB 10.5+.
//!
//! With the `async` feature, [`AsyncMysqlConnection`] runs the same statements on
//! `mysql_async`, awaited.
//!
//! What MySQL lacks does not compile here: `RETURNING` is not implemented for [`Mysql`].
//!
//! ```no_run
//! use philtre::prelude::*;
//! use philtre_mysql::MysqlConnection;
//!
//! # fn main() -> Result<(), philtre::Error> {
//! let mut conn = MysqlConnection::open("mysql://root@127.0.0.1:3306/test")?;
//! conn.batch_execute("SELECT 1")?;
//! # Ok(())
//! # }
//! ```

#[cfg(feature = "async")]
mod async_connection;
mod backend;
mod connection;
mod ddl;
mod error;
mod reflect;
mod tls;
mod values;

#[cfg(feature = "async")]
pub use async_connection::{AsyncMysqlConnection, MysqlRowStream};
pub use backend::Mysql;
pub use connection::{MysqlCancelHandle, MysqlConnection, MysqlCursor, MysqlRows};

/// Re-exported so that advanced users can reach the driver (`MysqlConnection::raw`).
pub use mysql;
/// The async driver, re-exported for `AsyncMysqlConnection::raw` (the `async` feature).
#[cfg(feature = "async")]
pub use mysql_async;
