//! # philtre-postgres
//!
//! The PostgreSQL backend for philtre, on the synchronous `postgres` crate. Connections are
//! plain TCP (`NoTls`); TLS is not compiled in.
//!
//! ```no_run
//! use philtre::prelude::*;
//! use philtre_postgres::PgConnection;
//!
//! # fn main() -> Result<(), philtre::Error> {
//! let mut conn = PgConnection::open("postgres://postgres@127.0.0.1:5432/test")?;
//! conn.batch_execute("SELECT 1")?;
//! # Ok(())
//! # }
//! ```

mod backend;
mod connection;
mod ddl;
mod error;
mod values;

pub use backend::{Pg, PgBind, PgValue};
pub use connection::{PgConnection, PgCursor, PgRows};

/// Re-exported so that advanced users can reach the driver (`PgConnection::raw`).
pub use postgres;
