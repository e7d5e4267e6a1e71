//! The timing loop shared by this crate's bench and `sqlite-peers/` (which includes this file).
//!
//! For each workload and size, every contender's result is checked, then timed twice:
//! - by criterion, one contender after another (medians in `target/criterion`);
//! - by a paired pass that interleaves the contenders in rotating order, round after round, and
//!   takes each one's time relative to the raw driver's *in the same round*. Drift of the machine
//!   (other processes, the database servers' own work, disk flushes) hits both sides of each
//!   ratio alike, so the median of these ratios moves far less between runs than a ratio of two
//!   medians taken minutes apart. Written to `target/paired/<database>.tsv`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};

use crate::{Contender, NewUser, associations_sql, ddl, new_users, users_sql};

const SELECT_SIZES: &[usize] = &[1, 10, 100, 1_000, 10_000];
const INSERT_SIZES: &[usize] = &[1, 10, 25, 50, 100];

/// One database and the contenders that run on it; the first contender is the raw driver.
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

#[derive(Clone, Copy, PartialEq)]
enum Workload {
    Trivial,
    Medium,
    Insert,
    Associations,
}

impl Workload {
    fn name(self) -> &'static str {
        match self {
            Workload::Trivial => "trivial",
            Workload::Medium => "medium",
            Workload::Insert => "insert",
            Workload::Associations => "associations",
        }
    }

    /// Runs the workload once; returns its size in rows (users, for the associations).
    fn run(self, contender: &mut dyn Contender, new: &[NewUser]) -> usize {
        match self {
            Workload::Trivial => black_box(contender.trivial()).len(),
            Workload::Medium => black_box(contender.medium()).len(),
            Workload::Insert => black_box(contender.insert(new)),
            Workload::Associations => black_box(contender.associations()).len(),
        }
    }

    /// Whether `contender` takes part: an INSERT has no boxed form, so boxing it would time
    /// the same code twice.
    fn runs(self, contender: &str) -> bool {
        !(self == Workload::Insert && contender == "philtre_boxed")
    }
}

/// How the bench runs: `PHILTRE_BENCH_MODE` is `quick` (the default), `full` (criterion's
/// defaults and more paired rounds) or `paired` (the paired pass only).
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Quick,
    Full,
    PairedOnly,
}

fn mode() -> Mode {
    match std::env::var("PHILTRE_BENCH_MODE").as_deref() {
        Ok("full") => Mode::Full,
        Ok("paired") => Mode::PairedOnly,
        _ => Mode::Quick,
    }
}

/// Criterion configured by `PHILTRE_BENCH_MODE`.
pub fn criterion_from_env() -> Criterion {
    match mode() {
        Mode::Full => Criterion::default(),
        Mode::Quick | Mode::PairedOnly => Criterion::default()
            .sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1)),
    }
    .configure_from_args()
}

/// Times every workload of `db`, both ways.
pub fn bench_database(c: &mut Criterion, db: &mut Database) {
    assert_eq!(db.contenders[0].0, "raw", "the raw driver comes first");
    let mut paired = String::from("workload\tsize\tcontender\tratio\tmedian_ns\n");
    let workloads = [
        (Workload::Trivial, SELECT_SIZES),
        (Workload::Medium, SELECT_SIZES),
        (Workload::Insert, INSERT_SIZES),
        (Workload::Associations, &[db.association_users][..]),
    ];
    for (workload, sizes) in workloads {
        let mut group = c.benchmark_group(format!("{}/{}", db.name, workload.name()));
        for &size in sizes {
            let new = new_users(size);
            match workload {
                Workload::Trivial | Workload::Medium => db.reset(&users_sql(size)),
                Workload::Insert => db.reset(""),
                Workload::Associations => db.reset(&associations_sql(size, 10)),
            }
            check(db, workload, size, &new);
            if mode() != Mode::PairedOnly {
                for (name, contender) in &mut db.contenders {
                    if workload.runs(name) {
                        // Empty `users` before each insert series, so that its growth does not
                        // differ between contenders.
                        if workload == Workload::Insert {
                            contender.run_sql(&ddl(db.serial));
                        }
                        group.bench_function(BenchmarkId::new(*name, size), |b| {
                            b.iter(|| workload.run(contender.as_mut(), &new))
                        });
                    }
                }
            }
            for (name, ratio, median) in paired_pass(db, workload, &new) {
                let _ = writeln!(
                    paired,
                    "{}\t{size}\t{name}\t{ratio:.4}\t{}",
                    workload.name(),
                    median.as_nanos()
                );
            }
        }
        group.finish();
    }
    let dir = std::path::Path::new("target/paired");
    std::fs::create_dir_all(dir).expect("target/paired");
    std::fs::write(dir.join(format!("{}.tsv", db.name)), paired).expect("paired results");
}

/// Checks that every contender returns the expected rows before any of them is timed.
fn check(db: &mut Database, workload: Workload, size: usize, new: &[NewUser]) {
    for (name, contender) in &mut db.contenders {
        if !workload.runs(name) {
            continue;
        }
        match workload {
            Workload::Trivial => assert_eq!(contender.trivial().len(), size, "{name} trivial"),
            Workload::Medium => {
                assert_eq!(contender.medium().len(), size.div_ceil(2), "{name} medium")
            }
            Workload::Insert => assert_eq!(contender.insert(new), size, "{name} insert"),
            Workload::Associations => {
                let tree = contender.associations();
                assert_eq!(tree.len(), size, "{name} associations");
                assert!(
                    tree.iter()
                        .all(|(_, posts)| posts.len() == 10
                            && posts.iter().all(|(_, c)| c.len() == 10)),
                    "{name} associations"
                );
            }
        }
    }
}

/// The paired pass: rounds of every contender in rotating order, each running a batch long
/// enough to time well; returns each contender's median ratio to the raw driver's time in the
/// same round, and its median time per run.
fn paired_pass(
    db: &mut Database,
    workload: Workload,
    new: &[NewUser],
) -> Vec<(&'static str, f64, Duration)> {
    let (rounds, batch_time) = match mode() {
        Mode::Full => (201, Duration::from_millis(5)),
        Mode::Quick | Mode::PairedOnly => (41, Duration::from_millis(2)),
    };
    let active: Vec<usize> = (0..db.contenders.len())
        .filter(|&i| workload.runs(db.contenders[i].0))
        .collect();
    // The batch size comes from the raw driver's time: every contender runs as many times.
    let raw = db.contenders[0].1.as_mut();
    let start = Instant::now();
    workload.run(raw, new);
    let once = start.elapsed().max(Duration::from_micros(1));
    let batch = (batch_time.as_nanos() / once.as_nanos()).clamp(1, 1000) as u32;

    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); active.len()];
    for round in 0..rounds {
        for turn in 0..active.len() {
            let slot = (round + turn) % active.len();
            let contender = db.contenders[active[slot]].1.as_mut();
            let start = Instant::now();
            for _ in 0..batch {
                workload.run(contender, new);
            }
            times[slot].push(start.elapsed() / batch);
        }
    }
    active
        .iter()
        .enumerate()
        .map(|(slot, &i)| {
            let mut ratios: Vec<f64> = (0..rounds)
                .map(|r| times[slot][r].as_secs_f64() / times[0][r].as_secs_f64())
                .collect();
            let mut own = times[slot].clone();
            (db.contenders[i].0, median(&mut ratios), median(&mut own))
        })
        .collect()
}

fn median<T: PartialOrd + Copy>(values: &mut [T]) -> T {
    values.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    values[values.len() / 2]
}

/// Sets up `workload` at `size` on `contender` and runs it `runs` times, for counting
/// instructions under callgrind (`src/bin/instructions.rs`); returns the rows seen, so that the
/// work cannot be optimised away. With `runs = 0` only the set-up runs, which a count
/// subtracts.
pub fn run_for_count(
    contender: &mut dyn Contender,
    serial: &str,
    workload: &str,
    size: usize,
    runs: usize,
) -> usize {
    let (workload, seed) = match workload {
        "trivial" => (Workload::Trivial, users_sql(size)),
        "medium" => (Workload::Medium, users_sql(size)),
        "insert" => (Workload::Insert, String::new()),
        "associations" => (Workload::Associations, associations_sql(size, 10)),
        other => panic!("unknown workload {other}"),
    };
    contender.run_sql(&format!("{}{seed}", ddl(serial)));
    let new = new_users(size);
    (0..runs).map(|_| workload.run(contender, &new)).sum()
}

/// The `main` of an `instructions` binary: reads `<contender> <workload> <size> <runs>`,
/// opens the contender with `open` (given its name and the dialect's key column, `None` for an
/// unknown name), runs [`run_for_count`] and prints the rows seen.
pub fn instructions_main(
    usage: &str,
    open: impl FnOnce(&str) -> Option<(Box<dyn Contender>, &'static str)>,
) {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: instructions {usage} <workload> <size> <runs>");
        std::process::exit(2);
    }
    let size: usize = args[3].parse().expect("size");
    let runs: usize = args[4].parse().expect("runs");
    let Some((mut contender, serial)) = open(&args[1]) else {
        eprintln!("unknown contender {}; expected one of {usage}", args[1]);
        std::process::exit(2);
    };
    println!(
        "{}",
        run_for_count(contender.as_mut(), serial, &args[2], size, runs)
    );
}
