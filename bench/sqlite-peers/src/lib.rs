//! The workloads of `../` for diesel, sqlx and sea-orm on SQLite, with rusqlite 0.38 as the baseline.
//! The workload, the raw contender, diesel's schema, sqlx's rows and sea-orm's entities are the same files
//! as in `../src`, so both builds run the same code.

#![allow(missing_docs)]

pub mod diesel_contender;
#[path = "../../src/diesel_schema.rs"]
mod diesel_schema;
#[path = "../../src/harness.rs"]
pub mod harness;
pub mod sea_orm_contender;
#[path = "../../src/sea_orm_entities.rs"]
mod sea_orm_entities;
#[path = "../../src/sqlite_raw.rs"]
pub mod sqlite_raw;
#[path = "../../src/sqlx_common.rs"]
mod sqlx_common;
pub mod sqlx_contender;
#[path = "../../src/workload.rs"]
mod workload;

pub use workload::*;
