//! One test body, three databases.
//!
//! [`backend_tests!`](crate::backend_tests) turns each test body into one `#[test]` per backend.
//! SQLite always runs (in memory). PostgreSQL and MySQL run when `PHILTRE_POSTGRES_URL` and
//! `PHILTRE_MYSQL_URL` are set; otherwise their tests print one line saying they were skipped,
//! unless `PHILTRE_REQUIRE_ALL_BACKENDS` is set, which makes a missing server a failure.
//!
//! Each test gets a database of its own — a fresh in-memory SQLite, a PostgreSQL schema, a
//! MySQL database — dropped afterwards, so tests run in parallel without meeting.

use std::io::Write;
use std::ops::{Deref, DerefMut};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use philtre::connection::Connection;

/// Which database a test body runs on, for the few statements that must differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL / MariaDB.
    Mysql,
}

impl Dialect {
    /// The dialect's name in SQLAlchemy and in the conformance data.
    pub fn sqlalchemy_name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgresql",
            Dialect::Mysql => "mysql",
        }
    }

    /// Column definition of an auto-incrementing integer primary key.
    pub fn auto_key(self) -> &'static str {
        match self {
            Dialect::Sqlite => "INTEGER PRIMARY KEY",
            Dialect::Postgres => "SERIAL PRIMARY KEY",
            Dialect::Mysql => "INTEGER AUTO_INCREMENT PRIMARY KEY",
        }
    }
}

/// A test's own database; dropped (schema or database removed) when the test ends.
pub struct TestDb<C: Connection> {
    conn: C,
    cleanup: Option<String>,
    /// Server URL and schema/database name, to open more connections to the same tables.
    server: Option<(String, String)>,
}

impl TestDb<postgres::Conn> {
    /// Another connection to the same schema, for tests of concurrent transactions.
    pub fn second_connection(&self) -> postgres::Conn {
        let (url, name) = self
            .server
            .as_ref()
            .expect("a PostgreSQL test database has a server");
        let mut conn = philtre_postgres::PgConnection::open(url).expect("the server still answers");
        conn.batch_execute(&format!("SET search_path TO {name}"))
            .expect("the schema exists");
        conn
    }
}

impl TestDb<mysql::Conn> {
    /// Another connection to the same database, for tests of concurrent transactions.
    pub fn second_connection(&self) -> mysql::Conn {
        let (url, name) = self
            .server
            .as_ref()
            .expect("a MySQL test database has a server");
        let mut conn = philtre_mysql::MysqlConnection::open(url).expect("the server still answers");
        conn.batch_execute(&format!("USE {name}"))
            .expect("the database exists");
        conn
    }
}

impl<C: Connection> TestDb<C> {
    /// The server URL and the test's schema (PostgreSQL) or database (MySQL) name; `None` for
    /// SQLite.
    pub fn server(&self) -> Option<(&str, &str)> {
        self.server
            .as_ref()
            .map(|(url, name)| (url.as_str(), name.as_str()))
    }
}

impl<C: Connection> Deref for TestDb<C> {
    type Target = C;
    fn deref(&self) -> &C {
        &self.conn
    }
}

impl<C: Connection> DerefMut for TestDb<C> {
    fn deref_mut(&mut self) -> &mut C {
        &mut self.conn
    }
}

impl<C: Connection> Drop for TestDb<C> {
    fn drop(&mut self) {
        if let Some(sql) = self.cleanup.take() {
            // A failed cleanup leaves a uniquely named schema behind; it cannot affect other
            // tests, and failing here would hide the test's own result.
            let _ = self.conn.batch_execute(&sql);
        }
    }
}

/// A schema or database name no other test uses.
pub fn unique_name() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "philtre_t{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The server URL from `var`, or `None` after one "skipped" line (or a panic when all
/// backends are required).
pub fn server_url(var: &str, name: &str, once: &Once) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var_os("PHILTRE_REQUIRE_ALL_BACKENDS").is_some() {
                panic!(
                    "{name} tests are required (PHILTRE_REQUIRE_ALL_BACKENDS) but {var} is not set"
                );
            }
            // Written to the process's stderr directly: the test harness captures `eprintln!`
            // of passing tests, and this line must be seen.
            once.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "skipped: {name} tests, because {var} is not set"
                );
            });
            None
        }
    }
}

/// Users Ann (score 3), Bob (1, bob@x) and Cy (2, cy@x), and three posts.
/// The standard rows as SQL for `dialect` (what `seed` runs).
pub fn seed_sql(dialect: Dialect) -> String {
    let mut sql = String::from(
        "INSERT INTO users (id, name, email, score) VALUES (1, 'Ann', NULL, 3), (2, 'Bob', 'bob@x', 1), (3, 'Cy', 'cy@x', 2);
         INSERT INTO posts (id, user_id, title, body) VALUES (1, 1, 'Hello', NULL), (2, 1, 'Again', 'more'), (3, 2, 'Bobs', 'b');",
    );
    if dialect == Dialect::Postgres {
        // Explicit ids do not advance a SERIAL's sequence.
        sql.push_str(
            "SELECT setval(pg_get_serial_sequence('users', 'id'), 3);
             SELECT setval(pg_get_serial_sequence('posts', 'id'), 3);",
        );
    }
    sql
}

/// The rows of SQLAlchemy 1.3's conformance corpus, from `shared/conformance/` beside the
/// repository when it is there (developers, CI), else from the copy in `tests/conformance/` (a
/// fresh clone).
fn corpus() -> &'static [serde_json::Value] {
    use std::sync::OnceLock;
    static ROWS: OnceLock<Vec<serde_json::Value>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let shared = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/conformance/sqlalchemy-1.3.jsonl"
        );
        let copy = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/conformance/sqlalchemy-1.3.jsonl"
        );
        let path = if std::path::Path::new(shared).exists() {
            shared
        } else {
            copy
        };
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read the conformance data at {path}: {e}"));
        text.lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .collect()
    })
}

fn corpus_row(id: &str, dialect: Dialect) -> &'static serde_json::Value {
    let name = dialect.sqlalchemy_name();
    corpus()
        .iter()
        .find(|row| row["id"] == id && row["dialect"] == name)
        .unwrap_or_else(|| panic!("no SQLAlchemy statement `{id}` for {name}"))
}

/// SQLAlchemy 1.3's literal SQL for conformance statement `id` on `dialect`. `%%` is unescaped
/// for the dialects whose Python drivers double it.
pub fn sqlalchemy_literal(id: &str, dialect: Dialect) -> String {
    let row = corpus_row(id, dialect);
    let sql = row["sql_literal"].as_str().unwrap_or_else(|| {
        panic!("SQLAlchemy renders `{id}` for {dialect:?} only with bound parameters")
    });
    if dialect == Dialect::Sqlite {
        sql.to_owned()
    } else {
        sql.replace("%%", "%")
    }
}

/// SQLAlchemy 1.3's statement `id` with bound parameters (for the statements it cannot render
/// with literals: a `None` value, an executemany placeholder), each parameter written in as an
/// SQL literal — `given` (name, SQL text) for those the corpus leaves open — and an
/// `[EXPANDING_name]` list written out, as SQLAlchemy does at execution.
pub fn sqlalchemy_bound(id: &str, dialect: Dialect, given: &[(&str, &str)]) -> String {
    let row = corpus_row(id, dialect);
    let mut sql = row["sql_params"].as_str().expect("sql_params").to_owned();
    let literal = |value: &serde_json::Value| -> String {
        match value {
            serde_json::Value::Null => "NULL".into(),
            serde_json::Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => format!("'{}'", s.replace('\'', "''")),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|v| match v {
                    serde_json::Value::String(s) => format!("'{}'", s.replace('\'', "''")),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            other => panic!("no SQL literal for {other}"),
        }
    };
    let params = row["params"].as_array().expect("params");
    let values: Vec<(String, String)> = params
        .iter()
        .map(|p| {
            let name = p["name"].as_str().expect("a name").to_owned();
            let value = match given.iter().find(|(n, _)| *n == name) {
                Some((_, sql)) => (*sql).to_owned(),
                None if p["value"].is_array() => literal(&p["value"]),
                None => literal(p.get("dbapi_value").unwrap_or(&p["value"])),
            };
            (name, value)
        })
        .collect();
    for (name, value) in &values {
        sql = sql.replace(&format!("[EXPANDING_{name}]"), value);
    }
    match row["paramstyle"].as_str() {
        Some("pyformat") => {
            for (name, value) in &values {
                sql = sql.replace(&format!("%({name})s"), value);
            }
            sql.replace("%%", "%")
        }
        Some("format") => {
            let mut out = String::new();
            let mut rest = sql.as_str();
            let mut next = values.iter();
            while let Some(at) = rest.find("%s") {
                out.push_str(&rest[..at]);
                out.push_str(&next.next().expect("a value per %s").1);
                rest = &rest[at + 2..];
            }
            out.push_str(rest);
            out.replace("%%", "%")
        }
        Some("qmark") => {
            let mut next = values.iter();
            sql.chars()
                .map(|c| {
                    if c == '?' {
                        next.next().expect("a value per ?").1.clone()
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        }
        other => panic!("paramstyle {other:?}"),
    }
}

/// Rows of a raw SQL query as text (`NULL` for NULL), for comparisons with other tools' SQL.
pub type RawRows = Vec<Vec<String>>;

fn sqlite_raw(
    conn: &mut philtre_sqlite::SqliteConnection,
    sql: &str,
) -> philtre::QueryResult<RawRows> {
    use philtre_sqlite::rusqlite::types::ValueRef;
    let err = |e: philtre_sqlite::rusqlite::Error| {
        philtre::Error::new(philtre::ErrorKind::Other, e.to_string())
    };
    let mut stmt = conn.raw().prepare(sql).map_err(err)?;
    let n = stmt.column_count();
    let mut rows = stmt.query([]).map_err(err)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(err)? {
        let mut cells = Vec::with_capacity(n);
        for i in 0..n {
            cells.push(match row.get_ref(i).map_err(err)? {
                ValueRef::Null => "NULL".to_owned(),
                ValueRef::Integer(v) => v.to_string(),
                ValueRef::Real(v) => v.to_string(),
                ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
            });
        }
        out.push(cells);
    }
    Ok(out)
}

fn postgres_raw(
    conn: &mut philtre_postgres::PgConnection,
    sql: &str,
) -> philtre::QueryResult<RawRows> {
    use philtre_postgres::tokio_postgres::SimpleQueryMessage;
    let messages = conn.simple_query(sql)?;
    Ok(messages
        .iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(row) => Some(
                (0..row.len())
                    .map(|i| row.get(i).unwrap_or("NULL").to_owned())
                    .collect(),
            ),
            _ => None,
        })
        .collect())
}

fn mysql_raw(
    conn: &mut philtre_mysql::MysqlConnection,
    sql: &str,
) -> philtre::QueryResult<RawRows> {
    use philtre_mysql::mysql::Value;
    use philtre_mysql::mysql::prelude::Queryable;
    let rows: Vec<philtre_mysql::mysql::Row> = conn
        .raw()
        .query(sql)
        .map_err(|e| philtre::Error::new(philtre::ErrorKind::Other, e.to_string()))?;
    Ok(rows
        .iter()
        .map(|row| {
            (0..row.len())
                .map(|i| match row.as_ref(i) {
                    None | Some(Value::NULL) => "NULL".to_owned(),
                    Some(Value::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
                    Some(Value::Int(v)) => v.to_string(),
                    Some(Value::UInt(v)) => v.to_string(),
                    Some(other) => other.as_sql(true),
                })
                .collect()
        })
        .collect())
}

macro_rules! backend_module {
    ($module:ident, $conn:ty, $dialect:expr, $raw:ident, $open:ident) => {
        /// Opening test databases on this backend.
        pub mod $module {
            use super::*;

            /// The connection type.
            pub type Conn = $conn;
            /// The dialect.
            pub const DIALECT: Dialect = $dialect;

            /// Inserts the standard rows.
            pub fn seed(conn: &mut Conn) -> philtre::QueryResult<()> {
                conn.batch_execute(&seed_sql(DIALECT))
            }

            /// Runs raw SQL and returns its rows as text.
            pub fn raw_rows(conn: &mut Conn, sql: &str) -> philtre::QueryResult<RawRows> {
                $raw(conn, sql)
            }

            /// Another fresh test database on this backend.
            pub fn open() -> Option<TestDb<Conn>> {
                $open()
            }
        }
    };
}

backend_module!(
    sqlite,
    philtre_sqlite::SqliteConnection,
    Dialect::Sqlite,
    sqlite_raw,
    open_sqlite
);
backend_module!(
    postgres,
    philtre_postgres::PgConnection,
    Dialect::Postgres,
    postgres_raw,
    open_postgres
);
backend_module!(
    mysql,
    philtre_mysql::MysqlConnection,
    Dialect::Mysql,
    mysql_raw,
    open_mysql
);

/// A fresh in-memory SQLite database with the test schema.
pub fn open_sqlite() -> Option<TestDb<sqlite::Conn>> {
    let mut conn =
        philtre_sqlite::SqliteConnection::open(":memory:").expect("in-memory SQLite opens");
    crate::schema()
        .create_all(&mut conn)
        .expect("test schema is valid on SQLite");
    Some(TestDb {
        conn,
        cleanup: None,
        server: None,
    })
}

/// A fresh PostgreSQL schema with the test tables, or `None` when no server is configured.
pub fn open_postgres() -> Option<TestDb<postgres::Conn>> {
    static SKIP: Once = Once::new();
    let url = server_url("PHILTRE_POSTGRES_URL", "PostgreSQL", &SKIP)?;
    let mut conn = philtre_postgres::PgConnection::open(&url).unwrap_or_else(|e| {
        panic!("PHILTRE_POSTGRES_URL is set but the server is unreachable: {e}")
    });
    let name = unique_name();
    conn.batch_execute(&format!("CREATE SCHEMA {name}; SET search_path TO {name};"))
        .expect("a test schema can be created");
    let mut db = TestDb {
        conn,
        cleanup: Some(format!("DROP SCHEMA IF EXISTS {name} CASCADE")),
        server: Some((url, name)),
    };
    crate::schema()
        .create_all(&mut *db)
        .expect("test schema is valid on PostgreSQL");
    Some(db)
}

/// A fresh MySQL database with the test tables, or `None` when no server is configured.
pub fn open_mysql() -> Option<TestDb<mysql::Conn>> {
    static SKIP: Once = Once::new();
    let url = server_url("PHILTRE_MYSQL_URL", "MySQL", &SKIP)?;
    let mut conn = philtre_mysql::MysqlConnection::open(&url)
        .unwrap_or_else(|e| panic!("PHILTRE_MYSQL_URL is set but the server is unreachable: {e}"));
    let name = unique_name();
    conn.batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("a test database can be created");
    conn.batch_execute(&format!("USE {name}"))
        .expect("the test database can be used");
    let mut db = TestDb {
        conn,
        cleanup: Some(format!("DROP DATABASE IF EXISTS {name}")),
        server: Some((url, name)),
    };
    crate::schema()
        .create_all(&mut *db)
        .expect("test schema is valid on MySQL");
    Some(db)
}

/// Writes each test body once per backend: `backend_tests! { backends: [sqlite, postgres,
/// mysql]; fn name(conn) { … } }`. In a body, `conn: &mut Conn`, `Db` is the backend type,
/// `DIALECT` the dialect and `seed(conn)` inserts the standard rows.
#[macro_export]
macro_rules! backend_tests {
    (backends: []; $($body:tt)*) => {};
    (backends: [$first:ident $(, $rest:ident)*]; $($body:tt)*) => {
        $crate::backend_tests!(@module $first; $($body)*);
        $crate::backend_tests!(backends: [$($rest),*]; $($body)*);
    };
    (@module $backend:ident; $( $(#[$attr:meta])* fn $name:ident($conn:ident) $body:block )*) => {
        mod $backend {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use $crate::harness::$backend::{open, raw_rows, seed, Conn, DIALECT};
            #[allow(dead_code)]
            type Db = <Conn as philtre::connection::Connection>::Backend;
            $(
                $(#[$attr])*
                #[test]
                fn $name() -> philtre::QueryResult<()> {
                    let Some(mut db) = $crate::backend_tests!(@open $backend) else { return Ok(()) };
                    let $conn: &mut Conn = &mut db;
                    $body
                }
            )*
        }
    };
    (@open sqlite) => { $crate::harness::open_sqlite() };
    (@open postgres) => { $crate::harness::open_postgres() };
    (@open mysql) => { $crate::harness::open_mysql() };
}
