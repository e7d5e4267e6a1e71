//! The four workloads on SQLite (in memory) for diesel, sqlx and sea-orm, beside rusqlite 0.38.
//! Criterion groups are named `sqlite_peers/…`, apart from `../`'s `sqlite/…`, because the
//! baseline here is another rusqlite build.

use philtre_bench_sqlite_peers::diesel_contender::DieselSqlite;
use philtre_bench_sqlite_peers::harness::{Database, bench_database, criterion_from_env};
use philtre_bench_sqlite_peers::sea_orm_contender::SeaOrmSqlite;
use philtre_bench_sqlite_peers::sqlite_raw::SqliteRaw;
use philtre_bench_sqlite_peers::sqlx_contender::SqlxSqlite;

fn main() {
    let mut criterion = criterion_from_env();
    let mut db = Database {
        name: "sqlite_peers",
        serial: "INTEGER PRIMARY KEY",
        shared: false,
        association_users: 9,
        contenders: vec![
            (
                "raw",
                Box::new(SqliteRaw(
                    rusqlite::Connection::open_in_memory().expect("sqlite"),
                )),
            ),
            ("diesel", Box::new(DieselSqlite::open(":memory:"))),
            ("sqlx", Box::new(SqlxSqlite::open("sqlite::memory:"))),
            ("sea_orm", Box::new(SeaOrmSqlite::open("sqlite::memory:"))),
        ],
    };
    bench_database(&mut criterion, &mut db);
    criterion.final_summary();
}
