//! Databases of a test's own for the engine tests, reached by URL.

use std::sync::Once;

use philtre::connection::Connection;
use philtre_engine::BackendKind;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_tests::harness::{server_url, unique_name};

#[allow(dead_code)]
/// A database of this test's own, dropped at the end, and the URL that reaches it.
pub struct Target {
    pub kind: BackendKind,
    pub url: String,
    /// The schema or database name.
    pub name: String,
    cleanup: Option<(String, String)>,
    file: Option<std::path::PathBuf>,
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some((admin_url, sql)) = &self.cleanup {
            let done = match self.kind {
                BackendKind::Postgres => {
                    PgConnection::open(admin_url).and_then(|mut c| c.batch_execute(sql))
                }
                BackendKind::Mysql => {
                    MysqlConnection::open(admin_url).and_then(|mut c| c.batch_execute(sql))
                }
                BackendKind::Sqlite => Ok(()),
            };
            if let Err(e) = done {
                eprintln!("cleanup failed: {e}");
            }
        }
        if let Some(file) = &self.file {
            let _ = std::fs::remove_file(file);
        }
    }
}

pub fn sqlite_target() -> Target {
    let file = std::env::temp_dir().join(format!("{}.db", unique_name()));
    Target {
        kind: BackendKind::Sqlite,
        url: format!("sqlite:///{}", file.display()),
        name: String::new(),
        cleanup: None,
        file: Some(file),
    }
}

/// A PostgreSQL schema, reached through `options=-c search_path=…` in the URL.
pub fn postgres_target() -> Option<Target> {
    static SKIP: Once = Once::new();
    let base = server_url("PHILTRE_POSTGRES_URL", "PostgreSQL", &SKIP)?;
    let name = unique_name();
    PgConnection::open(&base)
        .and_then(|mut c| c.batch_execute(&format!("CREATE SCHEMA {name}")))
        .expect("a test schema can be created");
    let separator = if base.contains('?') { '&' } else { '?' };
    Some(Target {
        kind: BackendKind::Postgres,
        url: format!("{base}{separator}options=-c%20search_path%3D{name}&application_name={name}"),
        name: name.clone(),
        cleanup: Some((base, format!("DROP SCHEMA IF EXISTS {name} CASCADE"))),
        file: None,
    })
}

/// A MySQL database, named in the URL's path.
pub fn mysql_target() -> Option<Target> {
    static SKIP: Once = Once::new();
    let base = server_url("PHILTRE_MYSQL_URL", "MySQL", &SKIP)?;
    let name = unique_name();
    MysqlConnection::open(&base)
        .and_then(|mut c| c.batch_execute(&format!("CREATE DATABASE {name}")))
        .expect("a test database can be created");
    let (server, query) = match base.split_once('?') {
        Some((server, query)) => (server.to_owned(), format!("?{query}")),
        None => (base.clone(), String::new()),
    };
    let server = server.rsplit_once('/').map_or(server.as_str(), |(s, _)| s);
    Some(Target {
        kind: BackendKind::Mysql,
        url: format!("{server}/{name}{query}"),
        name: name.clone(),
        cleanup: Some((base, format!("DROP DATABASE IF EXISTS {name}"))),
        file: None,
    })
}
