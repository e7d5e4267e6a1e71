//! Runs one SQLite workload for diesel, sqlx, sea-orm or their rusqlite, for counting instructions
//! under `valgrind --tool=callgrind` (see `../../instructions.py`).
//!
//! `instructions <raw|diesel|sqlx|sea_orm> <workload> <size> <runs>`

use philtre_bench_sqlite_peers::Contender;
use philtre_bench_sqlite_peers::diesel_contender::DieselSqlite;
use philtre_bench_sqlite_peers::harness::run_for_count;
use philtre_bench_sqlite_peers::sea_orm_contender::SeaOrmSqlite;
use philtre_bench_sqlite_peers::sqlite_raw::SqliteRaw;
use philtre_bench_sqlite_peers::sqlx_contender::SqlxSqlite;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: instructions <raw|diesel|sqlx|sea_orm> <workload> <size> <runs>");
        std::process::exit(2);
    }
    let size: usize = args[3].parse().expect("size");
    let runs: usize = args[4].parse().expect("runs");
    let mut contender: Box<dyn Contender> = match args[1].as_str() {
        "raw" => Box::new(SqliteRaw(
            rusqlite::Connection::open_in_memory().expect("sqlite"),
        )),
        "diesel" => Box::new(DieselSqlite::open(":memory:")),
        "sqlx" => Box::new(SqlxSqlite::open("sqlite::memory:")),
        "sea_orm" => Box::new(SeaOrmSqlite::open("sqlite::memory:")),
        other => panic!("unknown contender {other}"),
    };
    println!(
        "{}",
        run_for_count(
            contender.as_mut(),
            "INTEGER PRIMARY KEY",
            &args[2],
            size,
            runs
        )
    );
}
