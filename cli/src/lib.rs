//! The `philtre` command line as a library: what the binary runs, for tests and tools.
//!
//! - [`print_schema`]: a database as `table!` source.
//! - [`commands`]: each subcommand, reading and writing through a connection opened from a URL.

pub mod commands;
pub mod print_schema;
