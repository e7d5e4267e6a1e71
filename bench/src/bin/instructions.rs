//! Runs one SQLite workload for one contender, for counting instructions under
//! `valgrind --tool=callgrind` (repeatable where wall-clock timings are noisy).
//!
//! `instructions <raw|philtre|philtre_boxed|pg_raw|pg_philtre> <workload> <size> <runs>`

use philtre_bench::Contender;
use philtre_bench::harness::run_for_count;
use philtre_bench::philtre_contender::{Philtre, PhiltreBoxed};
use philtre_bench::sqlite_raw::SqliteRaw;

fn pg_url() -> String {
    philtre_bench::bench_database_url(
        &std::env::var("PHILTRE_POSTGRES_URL").expect("PHILTRE_POSTGRES_URL"),
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: instructions <raw|philtre|philtre_boxed> <workload> <size> <runs>");
        std::process::exit(2);
    }
    let size: usize = args[3].parse().expect("size");
    let runs: usize = args[4].parse().expect("runs");
    let mut contender: Box<dyn Contender> = match args[1].as_str() {
        "raw" => Box::new(SqliteRaw(
            rusqlite::Connection::open_in_memory().expect("sqlite"),
        )),
        "philtre" => Box::new(Philtre(
            philtre_sqlite::SqliteConnection::open(":memory:").expect("sqlite"),
        )),
        "philtre_boxed" => Box::new(PhiltreBoxed(
            philtre_sqlite::SqliteConnection::open(":memory:").expect("sqlite"),
        )),
        // PostgreSQL contenders count only the client's instructions (the server is another
        // process); for locating costs in the client, not for the report.
        "pg_raw" => Box::new(philtre_bench::postgres_raw::PostgresRaw::new(
            postgres::Client::connect(&pg_url(), postgres::NoTls).expect("postgres"),
        )),
        "pg_philtre" => Box::new(Philtre(
            philtre_postgres::PgConnection::open(&pg_url()).expect("postgres"),
        )),
        other => panic!("unknown contender {other}"),
    };
    let serial = if args[1].starts_with("pg_") {
        "SERIAL PRIMARY KEY"
    } else {
        "INTEGER PRIMARY KEY"
    };
    println!(
        "{}",
        run_for_count(contender.as_mut(), serial, &args[2], size, runs)
    );
}
