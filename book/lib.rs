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

#[doc = include_str!("src/compile-errors.md")]
pub mod compile_errors {}

#[doc = include_str!("../README.md")]
pub mod readme {}
