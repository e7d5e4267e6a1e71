//! The ORM benchmark's SQLite peers: diesel's `belonging_to` + `grouped_by` and sea-orm's loader
//! on the data of `shared/anchors/sqlalchemy13_orm_bench.py`, beside rusqlite 0.38 doing the
//! same three queries by hand (this build's baseline; philtre's own run in `../benches/orm.rs`
//! has rusqlite 0.43 as "raw"). Writes `../target/orm-sqlite-peers.md`.

use philtre_bench_sqlite_peers::diesel_contender::DieselSqlite;
use philtre_bench_sqlite_peers::sea_orm_contender::SeaOrmSqlite;
use philtre_bench_sqlite_peers::sqlite_raw::SqliteRaw;
use philtre_bench_sqlite_peers::{Contender, Step, anchor_data_sql, ddl, median_rounds};

fn main() {
    let data = format!("{}{}", ddl("INTEGER PRIMARY KEY"), anchor_data_sql(500, 10, 2));
    let mut contenders: Vec<(&'static str, Box<dyn Contender>)> = vec![
        (
            "raw (rusqlite 0.38)",
            Box::new(SqliteRaw(rusqlite::Connection::open_in_memory().expect("sqlite"))),
        ),
        ("diesel", Box::new(DieselSqlite::open(":memory:"))),
        ("sea_orm", Box::new(SeaOrmSqlite::open("sqlite::memory:"))),
    ];
    for (name, contender) in &mut contenders {
        contender.run_sql(&data);
        assert_eq!(contender.associations().len(), 500, "{name}");
    }
    let mut steps: Vec<Step<'_>> = contenders
        .iter_mut()
        .map(|(name, contender)| -> Step<'_> { (*name, Box::new(move || drop(contender.associations()))) })
        .collect();
    let times = median_rounds(&mut steps, 41, 1);
    let base = times[0].1.as_secs_f64();
    let mut out = String::from(
        "Command: `cargo bench --bench orm` (in `bench/sqlite-peers/`): users + posts + comments on \
         the anchor's data, SQLite in memory, median of 41 interleaved rounds. diesel and sea-orm \
         cannot share a build with philtre's rusqlite (see `sqlite-peers/Cargo.toml`), so their \
         ratio is to rusqlite 0.38 doing the three queries by hand in this run; compare with \
         philtre's ratio to its own rusqlite (\"raw\") above.\n\n| contender | time | ratio to raw (0.38) |\n|---|---|---|\n",
    );
    for (name, time) in &times {
        out.push_str(&format!(
            "| {name} | {:.2} ms | **{:.2}×** |\n",
            time.as_secs_f64() * 1000.0,
            time.as_secs_f64() / base
        ));
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../target");
    std::fs::create_dir_all(dir).expect("target/");
    std::fs::write(format!("{dir}/orm-sqlite-peers.md"), &out).expect("orm-sqlite-peers.md");
    println!("{out}");
}
