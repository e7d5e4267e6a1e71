//! Integration tests: each body runs on SQLite, PostgreSQL and MySQL (see
//! `philtre_tests::harness`).

#![allow(missing_docs)]

mod backends {
    mod async_connections;
    mod async_engine;
    mod async_loading;
    mod async_session;
    mod big_decimals;
    mod bound_values;
    mod capabilities;
    mod chrono_values;
    mod concurrency;
    mod conformance;
    mod connection;
    mod constants;
    mod ctes;
    mod date_arithmetic;
    mod ddl;
    mod ddl_conformance;
    mod ddl_literals;
    mod dml_with_queries;
    mod dynamic_queries;
    mod engine;
    mod enums;
    mod errors;
    mod extra_types;
    mod function_reference;
    mod functions;
    mod grouping;
    mod instrumentation;
    mod joins;
    mod json_and_arrays;
    mod lateral_joins;
    mod loading;
    mod lost_connections;
    mod null_ordering;
    mod numeric_promotion;
    mod pool_faults;
    mod relationships;
    mod row_values;
    mod rows_taken;
    mod scalar_expressions;
    mod schema;
    mod schema_objects;
    mod schema_qualified;
    mod schema_translate;
    mod select;
    mod select_without_from;
    mod session;
    mod set_operations;
    mod sqlite_files;
    mod stale_statements;
    mod subqueries;
    mod targets;
    mod text_matching;
    mod text_queries;
    mod timeouts;
    mod tls;
    mod transaction_outcome;
    mod transfers;
    mod types;
    mod value_fidelity;
    mod window_functions;
    mod write;
}
