//! What a checkout costs: an engine's pool (checkout + return, with its rules) next to bare
//! r2d2 (a manager that checks nothing) and to opening a connection, on SQLite (a file),
//! PostgreSQL and MySQL. Interleaved rounds, as the paired pass of the workloads; writes
//! `target/pool.md`.

use std::time::Duration;

use philtre::connection::Connection;
use philtre_bench::{Step, bench_database_url, median_rounds};
use philtre_engine::{EngineBuilder, EngineConnection};

/// r2d2 with nothing added: connect, and answer "fine" to both of r2d2's questions.
struct Bare<C>(String, fn(&str) -> philtre::QueryResult<C>);

impl<C: Send + 'static> r2d2::ManageConnection for Bare<C> {
    type Connection = C;
    type Error = philtre::Error;
    fn connect(&self) -> Result<C, philtre::Error> {
        (self.1)(&self.0)
    }
    fn is_valid(&self, _: &mut C) -> Result<(), philtre::Error> {
        Ok(())
    }
    fn has_broken(&self, _: &mut C) -> bool {
        false
    }
}

fn measure<C: EngineConnection + Connection>(
    name: &str,
    url: &str,
    open: fn(&str) -> philtre::QueryResult<C>,
    out: &mut String,
) {
    let engine = EngineBuilder::<C>::new(url).build().expect("engine");
    let pre_ping = EngineBuilder::<C>::new(url)
        .pool_pre_ping(true)
        .pool_pre_ping_window(Duration::ZERO)
        .build()
        .expect("engine");
    let bare = r2d2::Pool::builder()
        .max_size(5)
        .min_idle(Some(0))
        .build_unchecked(Bare(url.to_owned(), open));
    // Warm each pool with one connection.
    drop(engine.connect().expect("connect"));
    drop(pre_ping.connect().expect("connect"));
    drop(bare.get().expect("connect"));
    let mut steps: Vec<Step<'_>> = vec![
        (
            "bare r2d2",
            Box::new(|| drop(bare.get().expect("checkout"))),
        ),
        (
            "engine",
            Box::new(|| drop(engine.connect().expect("checkout"))),
        ),
        (
            "engine, pre-ping every checkout",
            Box::new(|| drop(pre_ping.connect().expect("checkout"))),
        ),
    ];
    let pooled = median_rounds(&mut steps, 41, 2000);
    let mut open_step: Vec<Step<'_>> =
        vec![("open + close", Box::new(|| drop(open(url).expect("open"))))];
    let opened = median_rounds(&mut open_step, 11, 5);
    let base = pooled[0].1.as_secs_f64();
    for (what, time) in pooled.iter().chain(&opened) {
        out.push_str(&format!(
            "| {name} | {what} | {:.2} µs | {:.2} |\n",
            time.as_secs_f64() * 1e6,
            time.as_secs_f64() / base
        ));
    }
}

fn main() {
    let mut out = String::from(
        "Command: `cargo bench --bench pool` (in `bench/`). Checkout + return of one connection, \
         median of 41 interleaved rounds; ratio to bare r2d2 (a manager that checks nothing). \
         The engine adds reset on return, recycle / invalidation checks and the overflow rule; \
         pre-ping adds a round trip.\n\n\
         | database | checkout + return | time | ratio to bare r2d2 |\n| --- | --- | ---: | ---: |\n",
    );
    let file = std::env::temp_dir().join("philtre-bench-pool.db");
    let sqlite_url = format!("sqlite:///{}", file.display());
    measure::<philtre_sqlite::SqliteConnection>(
        "sqlite (file)",
        &sqlite_url,
        philtre_sqlite::SqliteConnection::open,
        &mut out,
    );
    let _ = std::fs::remove_file(&file);
    match std::env::var("PHILTRE_POSTGRES_URL") {
        Ok(url) => {
            let mut admin = philtre_postgres::PgConnection::open(&url).expect("postgres");
            // CREATE DATABASE has no IF NOT EXISTS on PostgreSQL: an existing one is fine.
            let _ = admin.batch_execute("CREATE DATABASE philtre_bench");
            measure::<philtre_postgres::PgConnection>(
                "postgres",
                &bench_database_url(&url),
                philtre_postgres::PgConnection::open,
                &mut out,
            )
        }
        Err(_) => eprintln!("skipped: PostgreSQL, because PHILTRE_POSTGRES_URL is not set"),
    }
    match std::env::var("PHILTRE_MYSQL_URL") {
        Ok(url) => {
            philtre_mysql::MysqlConnection::open(&url)
                .and_then(|mut c| c.batch_execute("CREATE DATABASE IF NOT EXISTS philtre_bench"))
                .expect("mysql");
            measure::<philtre_mysql::MysqlConnection>(
                "mysql",
                &bench_database_url(&url),
                philtre_mysql::MysqlConnection::open,
                &mut out,
            )
        }
        Err(_) => eprintln!("skipped: MySQL, because PHILTRE_MYSQL_URL is not set"),
    }
    print!("{out}");
    std::fs::create_dir_all("target").expect("target");
    std::fs::write("target/pool.md", out).expect("target/pool.md");
}
