//! Shared test schema.
