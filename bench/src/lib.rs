//! The benchmark workloads, once per database and contender.
//!
//! Every contender implements [`Contender`] over the same tables and data, so the criterion
//! groups in `benches/workloads.rs` time the same work side by side. The raw drivers are the
//! baseline: a statement prepared once, columns read by index.

#![allow(missing_docs)]

pub mod async_raw;
pub mod diesel_contender;
mod diesel_schema;
pub mod harness;
pub mod mysql_raw;
pub mod philtre_async;
pub mod philtre_contender;
pub mod philtre_orm;
pub mod postgres_raw;
pub mod sea_orm_contender;
mod sea_orm_entities;
pub mod sqlite_raw;
mod sqlx_common;
pub mod sqlx_contender;
mod workload;

pub use workload::*;
