//! # philtre-engine
//!
//! Where a program gets its database connections, as SQLAlchemy's `create_engine` gives them:
//!
//! * [`create_engine`] / [`Engine::builder`]: the database chosen by the URL's scheme at run
//!   time ([`AnyConnection`]), or fixed at compile time (`EngineBuilder::<PgConnection>`);
//! * a pool with SQLAlchemy's QueuePool semantics on `r2d2` (`pool_size`, `max_overflow`,
//!   checkout timeout, pre-ping, recycle, reset on return, invalidation after a disconnect,
//!   [`Engine::dispose`], [`Engine::status`]), NullPool, and one shared connection for a
//!   private SQLite `:memory:` database;
//! * events as typed closures ([`EngineBuilder::on_connect`], `on_checkout`, `on_checkin`,
//!   `on_before_execute`, `on_after_execute`, `on_handle_error`, `on_begin`, `on_commit`,
//!   `on_rollback`), and SQL logging through `tracing` ([`EngineBuilder::echo`]);
//! * with the `async` feature, `AsyncEngine`: the same URLs and settings, a pool on
//!   `deadpool`, and the backends' async connections (`EngineBuilder::build_async`).
//!
//! ```
//! use philtre::prelude::*;
//! # philtre::table! { users (id) { id -> Integer, name -> Text, } }
//!
//! # fn main() -> Result<(), philtre::Error> {
//! let engine = philtre_engine::create_engine("sqlite://")?;
//! engine.begin(|conn| {
//!     conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")?;
//!     insert_into(users::table).values(users::name.eq("ada")).execute(conn)
//! })?;
//! let count: i64 = users::table.count().get_result(&mut *engine.connect()?)?;
//! assert_eq!(count, 1);
//! # Ok(())
//! # }
//! ```

mod any;
#[cfg(feature = "async")]
mod async_connect;
#[cfg(feature = "async")]
mod async_engine;
#[cfg(feature = "async")]
mod async_pool;
mod builder;
mod connect;
mod engine;
mod events;
mod guard;
#[cfg(feature = "migrations")]
pub mod migrations;
mod pool;
mod reflect;
#[cfg(feature = "schema-file")]
mod schema_file;
mod url;

pub use any::AnyConnection;
#[cfg(feature = "async")]
pub use async_connect::AsyncEngineConnection;
#[cfg(feature = "async")]
pub use async_engine::{AsyncEngine, AsyncPooledConnection};
pub use builder::{EngineBuilder, create_engine};
pub use connect::EngineConnection;
pub use engine::{Engine, PooledConnection};
pub use events::{ExecutedStatement, HookFuture};
pub use pool::PoolStatus;
pub use reflect::{declared_for, diff_for};
#[cfg(feature = "schema-file")]
pub use schema_file::{SCHEMA_FILE_FORMAT, SchemaFile};
pub use url::BackendKind;
