//! # philtre-sqlite
//!
//! The SQLite backend for philtre, on `rusqlite` with SQLite compiled in (no system library
//! needed).
//!
//! ```
//! use philtre::prelude::*;
//! use philtre_sqlite::SqliteConnection;
//!
//! # fn main() -> Result<(), philtre::Error> {
//! let mut conn = SqliteConnection::open(":memory:")?;
//! conn.batch_execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")?;
//! # Ok(())
//! # }
//! ```

#[cfg(feature = "async")]
mod async_connection;
mod backend;
mod connection;
mod ddl;
mod error;
mod math;
mod open;
mod reflect;
mod values;

#[cfg(feature = "async")]
pub use async_connection::{AsyncSqliteConnection, STREAM_BUFFER, SqliteRowStream};
pub use backend::Sqlite;
pub use connection::{CacheStats, SqliteConnection, SqliteCursor, SqliteRows};
pub use open::{TransactionBehavior, is_in_memory};

/// Re-exported so that advanced users can reach the driver (`SqliteConnection::raw`).
pub use rusqlite;
