//! The four workloads on SQLite (in memory), PostgreSQL and MySQL, for every contender in the
//! same run. `PHILTRE_BENCH_MODE=quick` (the default) takes a few minutes; `full` uses
//! criterion's defaults. PostgreSQL and MySQL run when `PHILTRE_POSTGRES_URL` and
//! `PHILTRE_MYSQL_URL` are set (a `philtre_bench` database is created beside the one named).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion};
use philtre_bench::diesel_contender::{DieselMysql, DieselPg};
use philtre_bench::mysql_raw::MysqlRaw;
use philtre_bench::philtre_contender::{Philtre, PhiltreBoxed};
use philtre_bench::postgres_raw::PostgresRaw;
use philtre_bench::sea_orm_contender::SeaOrm;
use philtre_bench::sqlite_raw::SqliteRaw;
use philtre_bench::sqlx_contender::{SqlxMysql, SqlxPg};
use philtre_bench::{Contender, associations_sql, bench_database_url, ddl, new_users, users_sql};

const SELECT_SIZES: [usize; 5] = [1, 10, 100, 1_000, 10_000];
const INSERT_SIZES: [usize; 5] = [1, 10, 25, 50, 100];

struct Database {
    name: &'static str,
    serial: &'static str,
    /// Whether all contenders share one database (servers) or each has its own (SQLite).
    shared: bool,
    association_users: usize,
    contenders: Vec<(&'static str, Box<dyn Contender>)>,
}

impl Database {
    /// Recreates the tables and fills them with `seed`.
    fn reset(&mut self, seed: &str) {
        let sql = format!("{}{seed}", ddl(self.serial));
        for (_, contender) in &mut self.contenders {
            contender.run_sql(&sql);
            if self.shared {
                break;
            }
        }
    }
}

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
        ],
    }
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

fn bench_database(c: &mut Criterion, db: &mut Database) {
    let mut group = c.benchmark_group(format!("{}/trivial", db.name));
    for size in SELECT_SIZES {
        db.reset(&users_sql(size));
        for (name, contender) in &mut db.contenders {
            assert_eq!(contender.trivial().len(), size, "{name} trivial");
            group.bench_function(BenchmarkId::new(*name, size), |b| {
                b.iter(|| black_box(contender.trivial()))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group(format!("{}/medium", db.name));
    for size in SELECT_SIZES {
        db.reset(&users_sql(size));
        for (name, contender) in &mut db.contenders {
            assert_eq!(contender.medium().len(), size.div_ceil(2), "{name} medium");
            group.bench_function(BenchmarkId::new(*name, size), |b| {
                b.iter(|| black_box(contender.medium()))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group(format!("{}/insert", db.name));
    for size in INSERT_SIZES {
        let rows = new_users(size);
        for (name, contender) in &mut db.contenders {
            if *name == "philtre_boxed" {
                continue; // an INSERT has no boxed form: it would time the same code twice
            }
            db_reset_one(db.serial, contender.as_mut());
            assert_eq!(contender.insert(&rows), size, "{name} insert");
            group.bench_function(BenchmarkId::new(*name, size), |b| {
                b.iter(|| black_box(contender.insert(&rows)))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group(format!("{}/associations", db.name));
    let users = db.association_users;
    db.reset(&associations_sql(users, 10));
    for (name, contender) in &mut db.contenders {
        let tree = contender.associations();
        assert_eq!(tree.len(), users, "{name} associations");
        assert!(
            tree.iter()
                .all(|(_, posts)| posts.len() == 10 && posts.iter().all(|(_, c)| c.len() == 10))
        );
        group.bench_function(BenchmarkId::new(*name, users), |b| {
            b.iter(|| black_box(contender.associations()))
        });
    }
    group.finish();
}

/// Empties `users` before an insert series, so its growth does not differ between contenders.
fn db_reset_one(serial: &str, contender: &mut dyn Contender) {
    contender.run_sql(&ddl(serial));
}

fn main() {
    let quick = std::env::var("PHILTRE_BENCH_MODE").map_or(true, |m| m != "full");
    let mut criterion = if quick {
        Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1))
    } else {
        Criterion::default()
    }
    .configure_from_args();
    for mut db in databases() {
        bench_database(&mut criterion, &mut db);
    }
    criterion.final_summary();
}
