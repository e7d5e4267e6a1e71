//! Integration tests on a real SQLite database (in memory, one per test).

#![allow(missing_docs)]

mod sqlite {
    mod connection;
    mod errors;
    mod schema;
    mod select;
    mod types;
    mod write;
}
