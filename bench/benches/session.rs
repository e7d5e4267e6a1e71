//! The ORM's session next to the same work written with philtre's Core, on SQLite (in
//! memory), PostgreSQL and MySQL when their URLs are set (`PHILTRE_POSTGRES_URL`,
//! `PHILTRE_MYSQL_URL`): the workloads of `shared/anchors/sqlalchemy13_orm_bench.py`'s session
//! section. Median of interleaved rounds; writes `target/session.md`.

use std::time::{Duration, Instant};

use philtre::connection::Connection;
use philtre::orm::{Cascade, Registry, Session};
use philtre::prelude::*;
use philtre::schema::SchemaDialect;
use philtre_bench::bench_database_url;

philtre::table! {
    s_users (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 100]
        name -> Text,
        #[max_length = 100]
        hair_color -> Nullable<Text>,
    }
    s_posts (id) {
        #[auto_increment]
        id -> Integer,
        user_id -> Integer references s_users(id),
        #[max_length = 200]
        title -> Text,
        body -> Nullable<Text>,
    }
    s_comments (id) {
        #[auto_increment]
        id -> Integer,
        post_id -> Integer references s_posts(id),
        text -> Text,
    }
}

#[derive(Debug, Clone, PartialEq, Entity, Queryable, Insertable)]
#[philtre(table = s_users)]
struct User {
    id: i32,
    name: String,
    hair_color: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = s_posts)]
struct Post {
    id: i32,
    user_id: i32,
    title: String,
    body: Option<String>,
}

#[derive(Insertable)]
#[philtre(table = s_users)]
struct NewUser {
    name: String,
    hair_color: Option<String>,
}

#[derive(Insertable)]
#[philtre(table = s_posts)]
struct NewPost {
    user_id: i32,
    title: String,
    body: Option<String>,
}

fn schema() -> Schema {
    Schema::new()
        .table(s_users::table)
        .table(s_posts::table)
        .table(s_comments::table)
}

const ROUNDS: usize = 15;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// A result row with the Core time and the ratio.
fn compared(database: &str, workload: &str, session: Duration, core: Duration) -> String {
    format!(
        "| {database} | {workload} | {} | {} | {:.2} |\n",
        ms(session),
        ms(core),
        session.as_secs_f64() / core.as_secs_f64()
    )
}

/// A result row of the session alone.
fn alone(database: &str, workload: &str, session: Duration) -> String {
    format!("| {database} | {workload} | {} | | |\n", ms(session))
}

/// Empties the tables (untimed, between rounds).
fn reset<C: Connection>(conn: &mut C)
where
    C::Backend: SchemaDialect,
{
    schema().drop_all_if_exists(conn).expect("drop");
    schema().create_all(conn).expect("create");
}

fn seed<C: Connection>(conn: &mut C, users: usize, posts: usize, comments: usize)
where
    C::Backend: SchemaDialect,
{
    reset(conn);
    let mut sql = String::new();
    let u: Vec<String> = (0..users).map(|i| format!("('u{i}', 'e{i}')")).collect();
    sql.push_str(&format!(
        "INSERT INTO s_users (name, hair_color) VALUES {};",
        u.join(", ")
    ));
    if posts > 0 {
        let p: Vec<String> = (0..users * posts)
            .map(|i| format!("({}, 't{i}', 'b')", i / posts + 1))
            .collect();
        sql.push_str(&format!(
            "INSERT INTO s_posts (user_id, title, body) VALUES {};",
            p.join(", ")
        ));
    }
    if comments > 0 {
        let c: Vec<String> = (0..users * posts * comments)
            .map(|i| format!("({}, 'c')", i / comments + 1))
            .collect();
        sql.push_str(&format!(
            "INSERT INTO s_comments (post_id, text) VALUES {};",
            c.join(", ")
        ));
    }
    for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
        conn.batch_execute(statement).expect("seed");
    }
}

fn insert_graph_session<C: Connection>(conn: &mut C, registry: &Registry)
where
    User: philtre::orm::EntityRow<C::Backend>,
    Post: philtre::orm::EntityRow<C::Backend>,
{
    let mut session = Session::new(registry, conn);
    for u in 0..1000 {
        let user = session
            .add(User {
                id: 0,
                name: format!("u{u}"),
                hair_color: None,
            })
            .expect("add");
        for p in 0..10 {
            session
                .add_child(
                    user,
                    s_posts::user_id,
                    Post {
                        id: 0,
                        user_id: 0,
                        title: format!("t{p}"),
                        body: None,
                    },
                )
                .expect("add child");
        }
    }
    session.commit().expect("commit");
}

macro_rules! core_insert_graph {
    ($conn:expr) => {{
        let conn = $conn;
        conn.transaction(|conn| {
            let users: Vec<NewUser> = (0..1000)
                .map(|u| NewUser {
                    name: format!("u{u}"),
                    hair_color: None,
                })
                .collect();
            insert_into(s_users::table).values(&users).execute(conn)?;
            let ids: Vec<i32> = s_users::table
                .select(s_users::id)
                .order(s_users::id)
                .load(conn)?;
            let posts: Vec<NewPost> = ids
                .iter()
                .flat_map(|&id| {
                    (0..10).map(move |p| NewPost {
                        user_id: id,
                        title: format!("t{p}"),
                        body: None,
                    })
                })
                .collect();
            for chunk in posts.chunks(1000) {
                insert_into(s_posts::table).values(chunk).execute(conn)?;
            }
            // The posts' keys too: the session gives every object its key.
            let post_ids: Vec<i32> = s_posts::table
                .select(s_posts::id)
                .order(s_posts::id)
                .load(conn)?;
            assert_eq!(post_ids.len(), 10_000);
            Ok::<_, philtre::Error>(())
        })
        .expect("core insert");
    }};
}

macro_rules! run_backend {
    ($name:expr, $conn:expr, $out:expr) => {{
        let conn = $conn;
        let out: &mut String = $out;
        let registry = Registry::new(&schema())
            .cascade(s_posts::user_id, Cascade::DELETE)
            .cascade(s_comments::post_id, Cascade::DELETE);
        // insert 1,000 users × 10 posts.
        let (mut session_t, mut core_t) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS + 1 {
            reset(conn);
            let start = Instant::now();
            insert_graph_session(conn, &registry);
            let s = start.elapsed();
            reset(conn);
            let start = Instant::now();
            core_insert_graph!(&mut *conn);
            let c = start.elapsed();
            if round > 0 {
                session_t.push(s);
                core_t.push(c);
            }
        }
        let (s, c) = (median(session_t), median(core_t));
        out.push_str(&compared(
            $name,
            "insert 1,000 users × 10 posts, keys generated",
            s,
            c,
        ));
        // load 5,000 rows, change one column each, flush.
        seed(conn, 500, 10, 0);
        let mut times = Vec::new();
        for round in 0..ROUNDS + 1 {
            let start = Instant::now();
            let mut session = Session::new(&registry, conn);
            let posts = session
                .load(s_posts::table.select(Post::as_select()))
                .expect("load");
            assert_eq!(posts.len(), 5000);
            drop(session);
            if round > 0 {
                times.push(start.elapsed());
            }
        }
        out.push_str(&alone(
            $name,
            "load 5,000 posts as tracked objects",
            median(times),
        ));
        let mut times = Vec::new();
        for round in 0..ROUNDS + 1 {
            let start = Instant::now();
            let mut session = Session::new(&registry, conn);
            let posts = session
                .load(s_posts::table.select(Post::as_select()))
                .expect("load");
            for key in &posts {
                let post = session.get_mut(*key).expect("post");
                post.title = format!("r{round}-{}", post.id);
            }
            session.commit().expect("commit");
            drop(session);
            if round > 0 {
                times.push(start.elapsed());
            }
        }
        out.push_str(&alone(
            $name,
            "load 5,000 posts, change the title of each, flush",
            median(times),
        ));
        // identity-map hit.
        {
            let mut session = Session::new(&registry, conn);
            let users = session
                .load(s_users::table.select(User::as_select()))
                .expect("load");
            let ids: Vec<i32> = users
                .iter()
                .map(|k| session.get(*k).expect("user").id)
                .collect();
            let mut best = Duration::MAX;
            for _ in 0..5 {
                let start = Instant::now();
                let mut hits = 0usize;
                for _ in 0..200 {
                    for id in &ids {
                        hits +=
                            usize::from(std::hint::black_box(session.cached::<User>(id)).is_some());
                    }
                }
                best = best.min(start.elapsed() / (200 * ids.len() as u32));
                assert_eq!(hits, 200 * ids.len());
            }
            out.push_str(&format!(
                "| {} | identity-map hit `session.cached::<User>(&id)` | {:.0} ns | | |\n",
                $name,
                best.as_secs_f64() * 1e9
            ));
        }
        // load 10,000 rows through the session vs the plain Core load.
        seed(conn, 1000, 10, 0);
        let (mut session_t, mut core_t) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS + 1 {
            let start = Instant::now();
            let mut session = Session::new(&registry, conn);
            let keys = session
                .load(s_posts::table.select(Post::as_select()))
                .expect("load");
            assert_eq!(keys.len(), 10_000);
            drop(session);
            let s = start.elapsed();
            let start = Instant::now();
            let rows: Vec<Post> = s_posts::table
                .select(Post::as_select())
                .load(&mut *conn)
                .expect("load");
            assert_eq!(rows.len(), 10_000);
            let c = start.elapsed();
            if round > 0 {
                session_t.push(s);
                core_t.push(c);
            }
        }
        let (s, c) = (median(session_t), median(core_t));
        out.push_str(&compared($name, "load 10,000 posts", s, c));
        // cascade delete 50 users with their posts and comments (not loaded).
        let mut times = Vec::new();
        for round in 0..ROUNDS + 1 {
            seed(conn, 50, 10, 2);
            let start = Instant::now();
            let mut session = Session::new(&registry, conn);
            let users = session
                .load(s_users::table.select(User::as_select()))
                .expect("load");
            for key in users {
                session.delete(key).expect("delete");
            }
            session.commit().expect("commit");
            drop(session);
            if round > 0 {
                times.push(start.elapsed());
            }
            let left: i64 = s_comments::table
                .count()
                .get_result(&mut *conn)
                .expect("count");
            assert_eq!(left, 0);
        }
        out.push_str(&alone(
            $name,
            "cascade delete 50 users → 500 posts → 1,000 comments",
            median(times),
        ));
    }};
}

/// SQLAlchemy 1.3's numbers from `shared/anchors/sqlalchemy13_orm_bench.py`, run now, when
/// `PHILTRE_SQLALCHEMY_PYTHON` names a Python with SQLAlchemy 1.3: `(line prefix, ms)`.
fn sqlalchemy() -> Option<Vec<(String, f64)>> {
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
    Some(
        text.lines()
            .filter_map(|line| {
                let (label, value) = line.rsplit_once(": ")?;
                let ms: f64 = value.trim_end_matches(" ms").parse().ok()?;
                Some((label.to_string(), ms))
            })
            .collect(),
    )
}

fn main() {
    let mut out = String::from(
        "Command: `cargo bench --bench session` (in `bench/`). Median of 15 rounds after a \
         warm-up; *Core* is the same work written with philtre's query builder by hand (multi-row \
         INSERTs of 1,000 rows, each table's new keys read back with one SELECT, as the session \
         gives every object its key), in the same rounds.\n\n\
         | database | workload | session | Core | session / Core |\n|---|---|---|---|---|\n",
    );
    let mut sqlite = philtre_sqlite::SqliteConnection::open(":memory:").expect("sqlite");
    // For profilers: only the session's insert of the graph, many times.
    if let Ok(which) = std::env::var("PHILTRE_SESSION_PROFILE") {
        let registry = Registry::new(&schema());
        for _ in 0..100 {
            reset(&mut sqlite);
            if which == "core" {
                core_insert_graph!(&mut sqlite);
            } else if which == "reset" {
                // The loop's own cost, to subtract.
            } else {
                insert_graph_session(&mut sqlite, &registry);
            }
        }
        return;
    }
    run_backend!("SQLite", &mut sqlite, &mut out);
    if let Ok(url) = std::env::var("PHILTRE_POSTGRES_URL") {
        let url = bench_database_url(&url);
        let mut pg = philtre_postgres::PgConnection::open(&url).expect("postgres");
        run_backend!("PostgreSQL", &mut pg, &mut out);
    }
    if let Ok(url) = std::env::var("PHILTRE_MYSQL_URL") {
        let url = bench_database_url(&url);
        let mut my = philtre_mysql::MysqlConnection::open(&url).expect("mysql");
        run_backend!("MariaDB", &mut my, &mut out);
    }
    match sqlalchemy() {
        Some(lines) => {
            out.push_str("\n**SQLAlchemy 1.3.24**, `shared/anchors/sqlalchemy13_orm_bench.py` run in the same process tree right after, in-memory SQLite:\n\n| SQLAlchemy workload | ms |\n|---|---|\n");
            for (label, ms) in lines {
                if label.starts_with("uow") || label.contains("tracked") || label.contains("flush") || label.contains("identity") {
                    out.push_str(&format!("| {label} | {ms:.1} |\n"));
                }
            }
        }
        None => out.push_str("\nSQLAlchemy not run: set PHILTRE_SQLALCHEMY_PYTHON to a Python with SQLAlchemy 1.3.\n"),
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
    std::fs::create_dir_all(dir).expect("target/");
    std::fs::write(format!("{dir}/session.md"), &out).expect("session.md");
    println!("{out}");
}
