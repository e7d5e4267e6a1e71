//! The timing loop shared by this crate's bench and `sqlite-peers/` (which includes this file):
//! each workload and size for each contender of a database, row counts checked before timing.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion};

use crate::{Contender, associations_sql, ddl, new_users, users_sql};

const SELECT_SIZES: [usize; 5] = [1, 10, 100, 1_000, 10_000];
const INSERT_SIZES: [usize; 5] = [1, 10, 25, 50, 100];

/// One database and the contenders that run on it.
pub struct Database {
    pub name: &'static str,
    pub serial: &'static str,
    /// Whether all contenders share one database (servers) or each has its own (SQLite).
    pub shared: bool,
    pub association_users: usize,
    pub contenders: Vec<(&'static str, Box<dyn Contender>)>,
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

/// Times every workload of `db`.
pub fn bench_database(c: &mut Criterion, db: &mut Database) {
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

/// Criterion configured by `PHILTRE_BENCH_MODE`: `quick` (the default) or `full`.
pub fn criterion_from_env() -> Criterion {
    let quick = std::env::var("PHILTRE_BENCH_MODE").map_or(true, |m| m != "full");
    if quick {
        Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1))
    } else {
        Criterion::default()
    }
    .configure_from_args()
}
