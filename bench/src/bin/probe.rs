use philtre_bench::*;
use std::time::Instant;
fn main() {
    let url = bench_database_url(&std::env::var("PHILTRE_POSTGRES_URL").unwrap());
    let mut raw = postgres_raw::PostgresRaw::new(postgres::Client::connect(&url, postgres::NoTls).unwrap());
    let mut ph = postgres_raw::PostgresRaw::new(postgres::Client::connect(&url, postgres::NoTls).unwrap());
    let size: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let medium = std::env::args().nth(2).is_some();
    let mut admin = postgres_raw::PostgresRaw::new(postgres::Client::connect(&url, postgres::NoTls).unwrap());
    if std::env::var("VIA_RAW").is_ok() { raw.run_sql("SELECT 1"); }
    admin.run_sql(&format!("{}{}", ddl("SERIAL PRIMARY KEY"), users_sql(size)));
    for round in 0..6 {
        for (name, c) in [("raw", &mut raw as &mut dyn Contender), ("philtre", &mut ph)] {
            let t = Instant::now();
            for _ in 0..20 { if medium { std::hint::black_box(c.medium()); } else { std::hint::black_box(c.trivial()); } }
            println!("{round} {name} {:?}", t.elapsed() / 20);
        }
    }
}
