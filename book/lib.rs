//! The philtre book. Each chapter is included here as documentation so that `cargo test`
//! compiles and runs every code sample in it.

#[doc = include_str!("src/introduction.md")]
pub mod introduction {}

#[doc = include_str!("src/getting-started.md")]
pub mod getting_started {}

#[doc = include_str!("src/defining-a-schema.md")]
pub mod defining_a_schema {}

#[doc = include_str!("src/choosing-a-database.md")]
pub mod choosing_a_database {}

#[doc = include_str!("src/errors-and-failures.md")]
pub mod errors_and_failures {}

#[doc = include_str!("src/existing-databases-and-migrations.md")]
pub mod existing_databases_and_migrations {}

#[doc = include_str!("src/engines-pools-and-events.md")]
pub mod engines_pools_and_events {}

#[doc = include_str!("src/joins.md")]
pub mod joins {}

#[doc = include_str!("src/relationships-and-loading.md")]
pub mod relationships_and_loading {}

#[doc = include_str!("src/the-session.md")]
pub mod the_session {}

#[doc = include_str!("src/async.md")]
pub mod r#async {}

#[doc = include_str!("src/grouping.md")]
pub mod grouping {}

#[doc = include_str!("src/subqueries-and-ctes.md")]
pub mod subqueries_and_ctes {}

#[doc = include_str!("src/functions-and-operators.md")]
pub mod functions_and_operators {}

#[doc = include_str!("src/window-functions.md")]
pub mod window_functions {}

#[doc = include_str!("src/dynamic-queries.md")]
pub mod dynamic_queries {}

#[doc = include_str!("src/compile-errors.md")]
pub mod compile_errors {}

#[doc = include_str!("../README.md")]
pub mod readme {}
