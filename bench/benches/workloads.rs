//! The four workloads on SQLite (in memory), PostgreSQL and MySQL, for every contender in the
//! same run. `PHILTRE_BENCH_MODE=quick` (the default) takes a few minutes; `full` uses
//! criterion's defaults. PostgreSQL and MySQL run when `PHILTRE_POSTGRES_URL` and
//! `PHILTRE_MYSQL_URL` are set (a `philtre_bench` database is created beside the one named).

use philtre_bench::async_raw::{MysqlAsyncRaw, TokioPostgresRaw};
use philtre_bench::bench_database_url;
use philtre_bench::diesel_contender::{DieselMysql, DieselPg};
use philtre_bench::harness::{Database, bench_database, criterion_from_env};
use philtre_bench::mysql_raw::MysqlRaw;
use philtre_bench::philtre_async::PhiltreAsync;
use philtre_bench::philtre_contender::{Philtre, PhiltreBoxed};
use philtre_bench::postgres_raw::PostgresRaw;
use philtre_bench::sea_orm_contender::SeaOrm;
use philtre_bench::sqlite_raw::SqliteRaw;
use philtre_bench::sqlx_contender::{SqlxMysql, SqlxPg};

fn sqlite() -> Database {
    let open = || philtre_sqlite::SqliteConnection::open(":memory:").expect("sqlite");
    let raw = rusqlite::Connection::open_in_memory().expect("sqlite");
    Database {
        name: "sqlite",
        serial: "INTEGER PRIMARY KEY",
        shared: false,
        association_users: 9,
        contenders: vec![
            ("raw", Box::new(SqliteRaw(raw))),
            ("philtre", Box::new(Philtre(open()))),
            ("philtre_boxed", Box::new(PhiltreBoxed(open()))),
            ("philtre_any", Box::new(Philtre(any("sqlite://")))),
        ],
    }
}

/// A connection whose backend the URL chooses at run time.
fn any(url: &str) -> philtre_engine::AnyConnection {
    philtre_engine::AnyConnection::open(url).expect("any-backend connection")
}

fn postgres(url: &str) -> Database {
    let mut admin = postgres::Client::connect(url, postgres::NoTls).expect("postgres");
    let exists = admin
        .query(
            "SELECT 1 FROM pg_database WHERE datname = 'philtre_bench'",
            &[],
        )
        .expect("pg_database");
    if exists.is_empty() {
        admin
            .batch_execute("CREATE DATABASE philtre_bench")
            .expect("create database");
    }
    let url = bench_database_url(url);
    let raw = postgres::Client::connect(&url, postgres::NoTls).expect("postgres");
    let open = || philtre_postgres::PgConnection::open(&url).expect("postgres");
    Database {
        name: "postgres",
        serial: "SERIAL PRIMARY KEY",
        shared: true,
        association_users: 100,
        contenders: vec![
            ("raw", Box::new(PostgresRaw::new(raw))),
            ("philtre", Box::new(Philtre(open()))),
            ("philtre_boxed", Box::new(PhiltreBoxed(open()))),
            ("philtre_any", Box::new(Philtre(any(&url)))),
            ("raw_async", Box::new(TokioPostgresRaw::open(&url))),
            ("philtre_async", Box::new(PhiltreAsync::postgres(&url))),
            ("diesel", Box::new(DieselPg::open(&url))),
            ("sqlx", Box::new(SqlxPg::open(&url))),
            ("sea_orm", Box::new(SeaOrm::open(&url))),
        ],
    }
}

fn mysql(url: &str) -> Database {
    use mysql::prelude::Queryable;
    let mut admin = mysql::Conn::new(mysql::Opts::from_url(url).expect("url")).expect("mysql");
    admin
        .query_drop("CREATE DATABASE IF NOT EXISTS philtre_bench")
        .expect("create database");
    let url = bench_database_url(url);
    let raw = mysql::Conn::new(mysql::Opts::from_url(&url).expect("url")).expect("mysql");
    let open = || philtre_mysql::MysqlConnection::open(&url).expect("mysql");
    Database {
        name: "mysql",
        serial: "INTEGER PRIMARY KEY AUTO_INCREMENT",
        shared: true,
        association_users: 100,
        contenders: vec![
            ("raw", Box::new(MysqlRaw::new(raw))),
            ("philtre", Box::new(Philtre(open()))),
            ("philtre_boxed", Box::new(PhiltreBoxed(open()))),
            ("philtre_any", Box::new(Philtre(any(&url)))),
            ("raw_async", Box::new(MysqlAsyncRaw::open(&url))),
            ("philtre_async", Box::new(PhiltreAsync::mysql(&url))),
            ("diesel", Box::new(DieselMysql::open(&url))),
            ("sqlx", Box::new(SqlxMysql::open(&url))),
            ("sea_orm", Box::new(SeaOrm::open(&url))),
        ],
    }
}

fn databases() -> Vec<Database> {
    let mut all = vec![sqlite()];
    match std::env::var("PHILTRE_POSTGRES_URL") {
        Ok(url) => all.push(postgres(&url)),
        Err(_) => eprintln!("skipped: PostgreSQL, because PHILTRE_POSTGRES_URL is not set"),
    }
    match std::env::var("PHILTRE_MYSQL_URL") {
        Ok(url) => all.push(mysql(&url)),
        Err(_) => eprintln!("skipped: MySQL, because PHILTRE_MYSQL_URL is not set"),
    }
    all
}

fn main() {
    let mut criterion = criterion_from_env();
    for mut db in databases() {
        bench_database(&mut criterion, &mut db);
    }
    criterion.final_summary();
}
