//! The ORM's loading next to the hand-written loads it replaces, the peers' loaders, and
//! SQLAlchemy 1.3 in the same run, on the data of `shared/anchors/sqlalchemy13_orm_bench.py`:
//! 500 users × 10 posts × 2 comments. Interleaved rounds, as the pool bench; writes
//! `target/orm.md`.
//!
//! The selectin and joined loads run on connections of their own, and the selectin loads are
//! timed a second time as a pair with the hand-written load (see [`paired_rounds`]): the
//! ≤ 1.05× target compares those two.
//!
//! `PHILTRE_ORM_PROFILE=orm` (or `=hand`) with `PHILTRE_POSTGRES_URL` instead runs one of the
//! two three-level loads on PostgreSQL in a loop (`PHILTRE_ORM_PROFILE_LOADS` times, 300 by
//! default) and prints its time per load, for a profiler (`perf`, `valgrind`) or an A/B run;
//! `=orm-sqlite` / `=hand-sqlite` does the same with users + posts on SQLite.
//!
//! SQLAlchemy runs when `PHILTRE_SQLALCHEMY_PYTHON` names a Python with SQLAlchemy 1.3
//! installed (`python3 -m venv v && v/bin/pip install SQLAlchemy==1.3.24`).

use std::collections::HashMap;
use std::time::Duration;

use philtre::prelude::*;
use philtre_bench::diesel_contender::{DieselMysql, DieselPg};
use philtre_bench::mysql_raw::MysqlRaw;
use philtre_bench::philtre_contender::Philtre;
use philtre_bench::philtre_orm::{OrmLoads, PhiltreOrm};
use philtre_bench::postgres_raw::PostgresRaw;
use philtre_bench::sea_orm_contender::SeaOrm;
use philtre_bench::sqlite_raw::SqliteRaw;
use philtre_bench::{
    Contender, Post, Step, User, anchor_data_sql, bench_database_url, ddl, median_rounds, posts,
    users,
};

const USERS: usize = 500;
const POSTS_PER_USER: usize = 10;
const COMMENTS_PER_POST: usize = 2;

/// The anchor's data.
fn data_sql() -> String {
    anchor_data_sql(USERS, POSTS_PER_USER, COMMENTS_PER_POST)
}

/// Users with their posts, written by hand: two queries and a hash map.
trait LoadsBoth {
    fn load_both(&mut self) -> Vec<(User, Vec<Post>)>;
}

macro_rules! loads_both {
    ($conn:ty) => {
        impl LoadsBoth for $conn {
            fn load_both(&mut self) -> Vec<(User, Vec<Post>)> {
                let users: Vec<User> = users::table
                    .select(User::as_select())
                    .load(self)
                    .expect("users");
                let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
                let posts: Vec<Post> = posts::table
                    .filter(posts::user_id.eq_any(ids))
                    .select(Post::as_select())
                    .load(self)
                    .expect("posts");
                let mut by_user: HashMap<i32, Vec<Post>> = HashMap::new();
                for post in posts {
                    by_user.entry(post.user_id).or_default().push(post);
                }
                users
                    .into_iter()
                    .map(|user| {
                        let posts = by_user.remove(&user.id).unwrap_or_default();
                        (user, posts)
                    })
                    .collect()
            }
        }
    };
}
loads_both!(philtre_sqlite::SqliteConnection);
loads_both!(philtre_postgres::PgConnection);
loads_both!(philtre_mysql::MysqlConnection);

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// One database: checks every contender returns the same tree, then times them.
fn measure<C>(
    db: &'static str,
    orm: &mut PhiltreOrm<C>,
    joined: &mut PhiltreOrm<C>,
    by_hand: &mut Philtre<C>,
    peers: &mut Vec<(&'static str, Box<dyn Contender>)>,
    out: &mut String,
) -> Vec<(&'static str, Duration)>
where
    PhiltreOrm<C>: OrmLoads,
    Philtre<C>: Contender,
    C: LoadsBoth,
{
    let expected = by_hand.associations();
    assert_eq!(expected.len(), USERS);
    assert_eq!(
        orm.associations(),
        expected,
        "{db}: selectin tree = hand-written tree"
    );
    for (name, peer) in peers.iter_mut() {
        assert_eq!(peer.associations().len(), USERS, "{db}: {name}");
    }
    assert_eq!(orm.users_with_posts(), by_hand.0.load_both());
    assert_eq!(
        orm.associations_joined(),
        expected,
        "{db}: joined tree = hand-written tree"
    );
    assert_eq!(orm.users_with_posts_joined(), by_hand.0.load_both());
    assert_eq!(
        orm.associations_joined_twice(),
        expected,
        "{db}: joined ×2 tree = hand-written tree"
    );

    let orm = std::cell::RefCell::new(orm);
    let joined = std::cell::RefCell::new(joined);
    let by_hand = std::cell::RefCell::new(by_hand);
    let mut two: Vec<Step<'_>> = vec![
        (
            "selectin",
            Box::new(|| {
                std::hint::black_box(orm.borrow_mut().load_users_with_posts());
            }),
        ),
        (
            "by hand",
            Box::new(|| drop(by_hand.borrow_mut().0.load_both())),
        ),
        (
            "joined",
            Box::new(|| {
                std::hint::black_box(joined.borrow_mut().load_users_with_posts_joined());
            }),
        ),
    ];
    let two = median_rounds(&mut two, 41, 1);
    let mut three: Vec<Step<'_>> = vec![
        (
            "selectin ×2",
            Box::new(|| {
                std::hint::black_box(orm.borrow_mut().load_associations());
            }),
        ),
        (
            "by hand",
            Box::new(|| drop(by_hand.borrow_mut().associations())),
        ),
        (
            "joined + selectin",
            Box::new(|| {
                std::hint::black_box(joined.borrow_mut().load_associations_joined());
            }),
        ),
        (
            "joined ×2",
            Box::new(|| {
                std::hint::black_box(joined.borrow_mut().load_associations_joined_twice());
            }),
        ),
    ];
    for (name, peer) in peers.iter_mut() {
        three.push((name, Box::new(move || drop(peer.associations()))));
    }
    let three = median_rounds(&mut three, 41, 1);

    let base2 = two[1].1.as_secs_f64();
    let base3 = three[1].1.as_secs_f64();
    for (name, time) in &two {
        if *name == "by hand" {
            continue;
        }
        out.push_str(&format!(
            "| {db} | users + posts | {name} {} ms | by hand {} ms | **{:.2}×** |\n",
            ms(*time),
            ms(two[1].1),
            time.as_secs_f64() / base2
        ));
    }
    for (name, time) in &three {
        if *name == "by hand" {
            continue;
        }
        out.push_str(&format!(
            "| {db} | users + posts + comments | {name} {} ms | by hand {} ms | **{:.2}×** |\n",
            ms(*time),
            ms(three[1].1),
            time.as_secs_f64() / base3
        ));
    }
    // The target (≤ 1.05× of by hand) compares two loads only: timed again as a pair,
    // alternating, away from the heavy joined loads, as the median of each round's ratio.
    let pairs: [TimedPair<'_>; 2] = [
        (
            "users + posts",
            Box::new(|| {
                std::hint::black_box(orm.borrow_mut().load_users_with_posts());
            }),
            Box::new(|| drop(by_hand.borrow_mut().0.load_both())),
        ),
        (
            "users + posts + comments",
            Box::new(|| {
                std::hint::black_box(orm.borrow_mut().load_associations());
            }),
            Box::new(|| drop(by_hand.borrow_mut().associations())),
        ),
    ];
    let mut paired = Vec::with_capacity(pairs.len());
    for (load, mut selectin, mut hand) in pairs {
        let (orm_time, hand_time, ratio) = paired_rounds(&mut selectin, &mut hand, 101);
        out.push_str(&format!(
            "| {db} | {load} | selectin, paired rounds {} ms | by hand {} ms | **{ratio:.2}×** |\n",
            ms(orm_time),
            ms(hand_time),
        ));
        paired.push(("selectin", orm_time));
    }
    // The selectin times given to the SQLAlchemy comparison are the paired ones, which the
    // heavy joined loads in the same rounds do not disturb.
    vec![paired[0], paired[1], two[2], three[2]]
}

/// A load's name, the ORM's load and the same load by hand.
type TimedPair<'a> = (&'static str, Box<dyn FnMut() + 'a>, Box<dyn FnMut() + 'a>);

/// Times `a` and `b` alternately (`a` first in even rounds, `b` in odd ones) after a warm-up:
/// their median times and the median of the rounds' ratios `a / b`, which drift on the
/// machine or the server moves less than it moves either time.
fn paired_rounds(
    a: &mut dyn FnMut(),
    b: &mut dyn FnMut(),
    rounds: usize,
) -> (Duration, Duration, f64) {
    let time = |step: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        step();
        start.elapsed()
    };
    a();
    b();
    let mut a_times = Vec::with_capacity(rounds);
    let mut b_times = Vec::with_capacity(rounds);
    let mut ratios = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (ta, tb) = if round % 2 == 0 {
            let ta = time(a);
            (ta, time(b))
        } else {
            let tb = time(b);
            (time(a), tb)
        };
        ratios.push(ta.as_secs_f64() / tb.as_secs_f64());
        a_times.push(ta);
        b_times.push(tb);
    }
    a_times.sort();
    b_times.sort();
    ratios.sort_by(f64::total_cmp);
    (a_times[rounds / 2], b_times[rounds / 2], ratios[rounds / 2])
}

/// SQLAlchemy 1.3's times for the same two loads, from the anchor script.
fn sqlalchemy() -> Option<(f64, f64, Option<f64>)> {
    let python = std::env::var("PHILTRE_SQLALCHEMY_PYTHON").ok()?;
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/anchors/sqlalchemy13_orm_bench.py"
    );
    let output = std::process::Command::new(python)
        .arg(script)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let find = |needle: &str| {
        text.lines()
            .find(|line| line.contains(needle))
            .and_then(|line| line.rsplit(": ").next())
            .and_then(|t| t.trim_end_matches(" ms").parse::<f64>().ok())
    };
    Some((
        find("5,000 posts, selectinload")?,
        find("10,000 comments, selectin x2")?,
        find("5,000 posts, joinedload"),
    ))
}

/// The foreign-key indexes a real schema would have (the anchor's schema has none).
const INDEXES: &str = "CREATE INDEX posts_user_id ON posts (user_id); CREATE INDEX comments_post_id ON comments (post_id);";

fn label(db: &'static str, indexed: bool) -> &'static str {
    match (db, indexed) {
        ("sqlite", true) => "sqlite, FK indexes",
        ("postgres", true) => "postgres, FK indexes",
        ("mysql", true) => "mysql, FK indexes",
        (db, _) => db,
    }
}

/// Every database, with or without indexes on the foreign keys; SQLite's times.
fn databases(indexed: bool, out: &mut String) -> Vec<(&'static str, Duration)> {
    let sqlite = || {
        let mut c = philtre_sqlite::SqliteConnection::open(":memory:").expect("sqlite");
        c.batch_execute(&ddl("INTEGER PRIMARY KEY")).expect("ddl");
        c.batch_execute(&data_sql()).expect("data");
        if indexed {
            c.batch_execute(INDEXES).expect("indexes");
        }
        c
    };
    let raw = rusqlite::Connection::open_in_memory().expect("sqlite");
    raw.execute_batch(&ddl("INTEGER PRIMARY KEY")).expect("ddl");
    raw.execute_batch(&data_sql()).expect("data");
    if indexed {
        raw.execute_batch(INDEXES).expect("indexes");
    }
    let mut peers: Vec<(&'static str, Box<dyn Contender>)> =
        vec![("raw", Box::new(SqliteRaw(raw)))];
    let sqlite_times = measure(
        label("sqlite", indexed),
        &mut PhiltreOrm(sqlite()),
        &mut PhiltreOrm(sqlite()),
        &mut Philtre(sqlite()),
        &mut peers,
        out,
    );

    if let Ok(url) = std::env::var("PHILTRE_POSTGRES_URL") {
        let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("postgres");
        if admin
            .query(
                "SELECT 1 FROM pg_database WHERE datname = 'philtre_bench'",
                &[],
            )
            .expect("pg_database")
            .is_empty()
        {
            admin
                .batch_execute("CREATE DATABASE philtre_bench")
                .expect("create database");
        }
        let url = bench_database_url(&url);
        let mut setup = philtre_postgres::PgConnection::open(&url).expect("postgres");
        setup
            .batch_execute(&ddl("SERIAL PRIMARY KEY"))
            .expect("ddl");
        setup.batch_execute(&data_sql()).expect("data");
        if indexed {
            setup.batch_execute(INDEXES).expect("indexes");
        }
        let open = || philtre_postgres::PgConnection::open(&url).expect("postgres");
        let raw = postgres::Client::connect(&url, postgres::NoTls).expect("postgres");
        let mut peers: Vec<(&'static str, Box<dyn Contender>)> = vec![
            ("raw", Box::new(PostgresRaw::new(raw))),
            ("diesel", Box::new(DieselPg::open(&url))),
            ("sea_orm", Box::new(SeaOrm::open(&url))),
        ];
        measure(
            label("postgres", indexed),
            &mut PhiltreOrm(open()),
            &mut PhiltreOrm(open()),
            &mut Philtre(open()),
            &mut peers,
            out,
        );
    }
    if let Ok(url) = std::env::var("PHILTRE_MYSQL_URL") {
        use mysql::prelude::Queryable;
        let mut admin = mysql::Conn::new(mysql::Opts::from_url(&url).expect("url")).expect("mysql");
        admin
            .query_drop("CREATE DATABASE IF NOT EXISTS philtre_bench")
            .expect("create database");
        let url = bench_database_url(&url);
        let mut setup = philtre_mysql::MysqlConnection::open(&url).expect("mysql");
        setup
            .batch_execute(&ddl("INTEGER PRIMARY KEY AUTO_INCREMENT"))
            .expect("ddl");
        setup.batch_execute(&data_sql()).expect("data");
        if indexed {
            setup.batch_execute(INDEXES).expect("indexes");
        }
        let open = || philtre_mysql::MysqlConnection::open(&url).expect("mysql");
        let raw = mysql::Conn::new(mysql::Opts::from_url(&url).expect("url")).expect("mysql");
        let mut peers: Vec<(&'static str, Box<dyn Contender>)> = vec![
            ("raw", Box::new(MysqlRaw::new(raw))),
            ("diesel", Box::new(DieselMysql::open(&url))),
            ("sea_orm", Box::new(SeaOrm::open(&url))),
        ];
        measure(
            label("mysql", indexed),
            &mut PhiltreOrm(open()),
            &mut PhiltreOrm(open()),
            &mut Philtre(open()),
            &mut peers,
            out,
        );
    }

    sqlite_times
}

/// One load in a loop, for a profiler: `which` is `orm` or `hand` (users → posts → comments on
/// PostgreSQL), or `orm-sqlite` / `hand-sqlite` (users → posts on SQLite in memory).
fn profile_loop(which: &str) {
    let loads: u32 =
        std::env::var("PHILTRE_ORM_PROFILE_LOADS").map_or(300, |n| n.parse().expect("a count"));
    let start = std::time::Instant::now();
    if which.ends_with("-sqlite") {
        let sqlite = || {
            let mut c = philtre_sqlite::SqliteConnection::open(":memory:").expect("sqlite");
            c.batch_execute(&ddl("INTEGER PRIMARY KEY")).expect("ddl");
            c.batch_execute(&data_sql()).expect("data");
            c
        };
        let (mut orm, mut by_hand) = (PhiltreOrm(sqlite()), Philtre(sqlite()));
        for _ in 0..loads {
            match which {
                "orm-sqlite" => {
                    std::hint::black_box(orm.load_users_with_posts());
                }
                _ => drop(by_hand.0.load_both()),
            }
        }
    } else {
        let url = bench_database_url(&std::env::var("PHILTRE_POSTGRES_URL").expect("url"));
        let open = || philtre_postgres::PgConnection::open(&url).expect("postgres");
        let (mut orm, mut by_hand) = (PhiltreOrm(open()), Philtre(open()));
        for _ in 0..loads {
            match which {
                "orm" => {
                    std::hint::black_box(orm.load_associations());
                }
                _ => drop(by_hand.associations()),
            }
        }
    }
    eprintln!("{which}: {:?} per load", start.elapsed() / loads);
}

fn main() {
    if let Ok(which) = std::env::var("PHILTRE_ORM_PROFILE") {
        profile_loop(&which);
        return;
    }
    let mut out = String::from(
        "Command: `cargo bench --bench orm` (in `bench/`). 500 users × 10 posts × 2 comments \
         (the data of `shared/anchors/sqlalchemy13_orm_bench.py`); median of 41 interleaved \
         rounds after a warm-up. *by hand* is philtre's query builder with the ids collected \
         and the rows grouped in a `HashMap` by hand (what the ORM replaces); ratios are to it, \
         in the same rounds. The ORM's loads are timed in the shape they load (`Loaded` rows), \
         and its selectin and joined loads use connections of their own; \
         the *paired rounds* rows time the selectin load and by hand alone, alternating, for \
         101 rounds, and give the median of the rounds' ratios (the target compares those \
         two). Run once on the anchor's schema (no index on the foreign keys) and \
         once with them indexed, as a real schema would be: a join (joined loading) without the \
         index is a nested loop on MySQL.\n\n| database | load | contender | baseline | ratio |\n|---|---|---|---|---|\n",
    );
    let sqlite_times = databases(false, &mut out);
    databases(true, &mut out);

    out.push_str(
        "\n**Against SQLAlchemy 1.3.24** (same machine, same run, in-memory SQLite both; \
         philtre's selectin times are the paired rounds' medians):\n\n",
    );
    match sqlalchemy() {
        Some((two, three, joined)) => {
            let p2 = sqlite_times[0].1.as_secs_f64() * 1000.0;
            let p3 = sqlite_times[1].1.as_secs_f64() * 1000.0;
            out.push_str("| load | philtre selectin | SQLAlchemy selectinload | philtre / SQLAlchemy | target |\n|---|---|---|---|---|\n");
            out.push_str(&format!(
                "| 500 users + 5,000 posts | {p2:.2} ms | {two:.1} ms | {:.3} | ≤ 2.5 ms |\n",
                p2 / two
            ));
            out.push_str(&format!(
                "| + 10,000 comments (two levels) | {p3:.2} ms | {three:.1} ms | {:.3} | ≤ 6 ms |\n",
                p3 / three
            ));
            if let Some(sqlalchemy_joined) = joined {
                let ours = sqlite_times[2].1.as_secs_f64() * 1000.0;
                out.push_str(&format!(
                    "| 500 users + 5,000 posts, joined (`joinedload`) | {ours:.2} ms | {sqlalchemy_joined:.1} ms | {:.3} | |\n",
                    ours / sqlalchemy_joined
                ));
            }
        }
        None => out
            .push_str("not run: set PHILTRE_SQLALCHEMY_PYTHON to a Python with SQLAlchemy 1.3.\n"),
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
    std::fs::create_dir_all(dir).expect("target/");
    std::fs::write(format!("{dir}/orm.md"), &out).expect("orm.md");
    println!("{out}");
}
