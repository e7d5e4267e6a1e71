//! Runs one SQLite workload for diesel, sqlx, sea-orm or their rusqlite, for counting instructions
//! under `valgrind --tool=callgrind` (see `../../instructions.py`).
//!
//! `instructions <raw|diesel|sqlx|sea_orm> <workload> <size> <runs>`

use philtre_bench_sqlite_peers::Contender;
use philtre_bench_sqlite_peers::diesel_contender::DieselSqlite;
use philtre_bench_sqlite_peers::harness::instructions_main;
use philtre_bench_sqlite_peers::sea_orm_contender::SeaOrmSqlite;
use philtre_bench_sqlite_peers::sqlite_raw::SqliteRaw;
use philtre_bench_sqlite_peers::sqlx_contender::SqlxSqlite;

fn main() {
    instructions_main("<raw|diesel|sqlx|sea_orm>", |name| {
        let contender: Box<dyn Contender> = match name {
            "raw" => Box::new(SqliteRaw(
                rusqlite::Connection::open_in_memory().expect("sqlite"),
            )),
            "diesel" => Box::new(DieselSqlite::open(":memory:")),
            "sqlx" => Box::new(SqlxSqlite::open("sqlite::memory:")),
            "sea_orm" => Box::new(SeaOrmSqlite::open("sqlite::memory:")),
            _ => return None,
        };
        Some((contender, "INTEGER PRIMARY KEY"))
    });
}
