//! Runs one SQLite workload for one contender, for counting instructions under
//! `valgrind --tool=callgrind` (repeatable where wall-clock timings are noisy).
//!
//! `instructions <raw|philtre|philtre_boxed|pg_raw|pg_philtre> <workload> <size> <runs>`

use philtre_bench::Contender;
use philtre_bench::harness::instructions_main;
use philtre_bench::philtre_contender::{Philtre, PhiltreBoxed};
use philtre_bench::sqlite_raw::SqliteRaw;

fn pg_url() -> String {
    philtre_bench::bench_database_url(
        &std::env::var("PHILTRE_POSTGRES_URL").expect("PHILTRE_POSTGRES_URL"),
    )
}

fn main() {
    instructions_main("<raw|philtre|philtre_boxed|pg_raw|pg_philtre>", |name| {
        const SQLITE: &str = "INTEGER PRIMARY KEY";
        let open_sqlite = || philtre_sqlite::SqliteConnection::open(":memory:").expect("sqlite");
        let contender: Box<dyn Contender> = match name {
            "raw" => Box::new(SqliteRaw(
                rusqlite::Connection::open_in_memory().expect("sqlite"),
            )),
            "philtre" => Box::new(Philtre(open_sqlite())),
            "philtre_boxed" => Box::new(PhiltreBoxed(open_sqlite())),
            // PostgreSQL contenders count only the client's instructions (the server is
            // another process); for locating costs in the client, not for the report.
            "pg_raw" => Box::new(philtre_bench::postgres_raw::PostgresRaw::new(
                postgres::Client::connect(&pg_url(), postgres::NoTls).expect("postgres"),
            )),
            "pg_philtre" => Box::new(Philtre(
                philtre_postgres::PgConnection::open(&pg_url()).expect("postgres"),
            )),
            _ => return None,
        };
        let serial = if name.starts_with("pg_") {
            "SERIAL PRIMARY KEY"
        } else {
            SQLITE
        };
        Some((contender, serial))
    });
}
