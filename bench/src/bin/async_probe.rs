//! Times philtre's async PostgreSQL connection against raw tokio-postgres on `SELECT` of n
//! users, alternating, to look into one size of the workloads bench.

use std::time::Instant;

use philtre_bench::async_raw::TokioPostgresRaw;
use philtre_bench::philtre_async::PhiltreAsync;
use philtre_bench::{Contender, bench_database_url};

fn main() {
    let url = bench_database_url(&std::env::var("PHILTRE_POSTGRES_URL").expect("url"));
    let mut raw = TokioPostgresRaw::open(&url);
    let mut ours = PhiltreAsync::postgres(&url);
    for n in [50, 100, 150, 200] {
        raw.run_sql("DROP TABLE IF EXISTS comments; DROP TABLE IF EXISTS posts; DROP TABLE IF EXISTS users; CREATE TABLE users (id SERIAL PRIMARY KEY, name TEXT NOT NULL, hair_color TEXT)");
        raw.run_sql(&format!("INSERT INTO users (name, hair_color) SELECT 'User ' || i, CASE WHEN i % 2 = 0 THEN 'black' ELSE NULL END FROM generate_series(1, {n}) i"));
        ours.run_sql("SELECT 1");
        let mut t_raw = Vec::new();
        let mut t_ours = Vec::new();
        for _ in 0..2000 {
            let s = Instant::now();
            assert_eq!(raw.trivial().len(), n);
            t_raw.push(s.elapsed());
            let s = Instant::now();
            assert_eq!(ours.trivial().len(), n);
            t_ours.push(s.elapsed());
        }
        t_raw.sort();
        t_ours.sort();
        println!(
            "n={n}: raw {:?} philtre_async {:?}",
            t_raw[1000], t_ours[1000]
        );
    }
}
