//! # philtre-postgres
//!
//! The PostgreSQL backend for philtre, on `tokio-postgres` driven by a small runtime of the
//! connection's own, so every call blocks like the `postgres` crate's and every wait has a
//! bound (connect timeout, read timeout). TLS comes with the `tls` feature, on rustls: libpq's
//! `sslmode` (`disable` … `verify-full`) and `sslrootcert` in the URL (see [`SslMode`]).
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

mod async_connection;
mod backend;
mod cancel;
mod config;
mod connection;
mod ddl;
mod driver;
mod error;
mod params;
mod reflect;
mod statements;
mod tls;
mod values;

pub use async_connection::{AsyncPgConnection, PgRowStream};
pub use backend::{Pg, PgBind, PgValue};
pub use cancel::PgCancelHandle;
pub use connection::{PgConnection, PgCursor, PgRows};
pub use tls::SslMode;

/// The driver, re-exported for [`PgConnection::run_async`] and for types of your own
/// (`tokio_postgres::types::ToSql` / `FromSql`).
pub use tokio_postgres;
