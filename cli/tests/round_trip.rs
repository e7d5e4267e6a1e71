//! The command line against real databases, on SQLite, PostgreSQL and MySQL:
//!
//! - a rich schema made by `create_all` → `print-schema` → the output compiles → its schema
//!   file diffs empty against the database;
//! - a database made by hand-written DDL (types and objects `table!` does not declare, a table
//!   without a primary key, a view) → `print-schema` → compiles → runs queries;
//! - migrations generated from the diff, run, reported, reverted and run again.
//!
//! PostgreSQL and MySQL read their servers from `PHILTRE_POSTGRES_URL` / `PHILTRE_MYSQL_URL`
//! (one "skipped" line without them, a failure under `PHILTRE_REQUIRE_ALL_BACKENDS`).

#![allow(missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, Once};

use philtre::prelude::*;
use philtre::reflection::Inspect;
use philtre_cli::commands::{
    TableFilter, diff_command, diff_options, generate_command, print_schema_command,
    revert_command, run_command, status_command,
};
use philtre_engine::{AnyConnection, BackendKind, SchemaFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, SqlEnum)]
#[philtre(sql_name = "rt_mood")]
pub enum Mood {
    Happy,
    #[philtre(label = "so so")]
    SoSo,
}

philtre::table! {
    #[comment = "teams"]
    rt_teams (id) {
        #[auto_increment]
        id -> Integer,
        #[unique]
        #[max_length = 50]
        name -> Text,
    }
    #[unique(team_id, handle)]
    #[index(created_at)]
    #[check(rt_members_score_range: "score >= 0 AND score <= 100")]
    rt_members (id) {
        #[auto_increment]
        id -> BigInt,
        team_id -> Integer references rt_teams(id) on delete cascade,
        manager_id -> Nullable<BigInt> references rt_members(id) on delete set null,
        #[max_length = 40]
        handle -> Text,
        #[default = 0]
        score -> Integer,
        #[default = true]
        active -> Bool,
        #[default = "new"]
        #[max_length = 10]
        status -> Text,
        #[default = current_timestamp]
        created_at -> Timestamp,
        #[precision(10, 2)]
        salary -> Nullable<Numeric>,
        mood -> Nullable<Enum<Mood>>,
        #[comment = "free text"]
        bio -> Nullable<Text>,
        #[generated = "score * 2"]
        double_score -> Nullable<Integer>,
        ratio -> Double,
        avatar -> Nullable<Binary>,
        born -> Nullable<Date>,
        wake -> Nullable<Time>,
    }
    rt_projects (team_id, code) {
        team_id -> Integer references rt_teams(id),
        #[max_length = 20]
        code -> Text,
        title -> Text,
    }
    #[foreign_key(rt_tasks_project: (team_id, project_code) references rt_projects (team_id, code) on delete cascade)]
    rt_tasks (id) {
        #[auto_increment]
        id -> Integer,
        team_id -> Integer,
        #[max_length = 20]
        project_code -> Text,
        #[max_length = 100]
        title -> Text,
    }
    rt_tags (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 30]
        label -> Text,
    }
    rt_member_tags (member_id, tag_id) {
        member_id -> BigInt references rt_members(id) on delete cascade,
        tag_id -> Integer references rt_tags(id),
    }
}

fn rich_schema() -> Schema {
    Schema::new()
        .table(rt_member_tags::table)
        .table(rt_tags::table)
        .table(rt_tasks::table)
        .table(rt_projects::table)
        .table(rt_members::table)
        .table(rt_teams::table)
}

/// A database of its own for one test: a file (SQLite), a schema (PostgreSQL), a database
/// (MySQL); dropped afterwards.
struct Target {
    url: String,
    dir: PathBuf,
    cleanup: Option<(String, String)>,
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some((server, sql)) = &self.cleanup {
            if let Ok(mut conn) = AnyConnection::open(server) {
                let _ = conn.batch_execute(sql);
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

fn target(kind: BackendKind) -> Option<Target> {
    static SKIP_PG: Once = Once::new();
    static SKIP_MY: Once = Once::new();
    let name = philtre_tests::harness::unique_name().replace("philtre_t", "philtre_rt");
    let dir = scratch_dir(&name);
    match kind {
        BackendKind::Sqlite => Some(Target {
            // `sqlite:///` and the absolute path.
            url: format!("sqlite:///{}", dir.join("db.sqlite").display()),
            dir,
            cleanup: None,
        }),
        BackendKind::Postgres => {
            let server =
                philtre_tests::harness::server_url("PHILTRE_POSTGRES_URL", "PostgreSQL", &SKIP_PG)?;
            let mut conn =
                AnyConnection::open(&server).expect("the PostgreSQL server is reachable");
            conn.batch_execute(&format!("CREATE SCHEMA {name}"))
                .expect("a schema");
            let separator = if server.contains('?') { '&' } else { '?' };
            Some(Target {
                url: format!("{server}{separator}options=-csearch_path%3D{name}"),
                dir,
                cleanup: Some((server, format!("DROP SCHEMA {name} CASCADE"))),
            })
        }
        BackendKind::Mysql => {
            let server =
                philtre_tests::harness::server_url("PHILTRE_MYSQL_URL", "MySQL", &SKIP_MY)?;
            let mut conn = AnyConnection::open(&server).expect("the MySQL server is reachable");
            conn.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("a database");
            let base = server
                .rsplit_once('/')
                .map_or(server.as_str(), |(b, _)| b)
                .to_owned();
            Some(Target {
                url: format!("{base}/{name}"),
                dir,
                cleanup: Some((server, format!("DROP DATABASE {name}"))),
            })
        }
    }
}

/// Compiles `generated` with `queries` (a `run(conn)` returning `(table, count)` pairs) in the
/// check crate, runs it against `url`; returns its output. The schema file lands in `schema_file`.
fn compile_and_run(generated: &Path, queries: &str, url: &str, schema_file: &Path) -> String {
    // One build at a time: the check crate has one binary.
    static BUILD: Mutex<()> = Mutex::new(());
    let _one = BUILD.lock().unwrap_or_else(|e| e.into_inner());
    let queries_file = generated.with_extension("queries.rs");
    std::fs::write(&queries_file, queries).expect("queries written");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf();
    let target_dir = workspace.join("target").join("print-schema-check");
    let build = Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "--offline",
            "-p",
            "philtre-print-schema-check",
        ])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("PHILTRE_GENERATED_FILE", generated)
        .env("PHILTRE_QUERIES_FILE", &queries_file)
        .output()
        .expect("cargo runs");
    assert!(
        build.status.success(),
        "the printed schema does not compile ({}):\n{}",
        generated.display(),
        String::from_utf8_lossy(&build.stderr)
    );
    let run = Command::new(target_dir.join("debug").join("philtre-print-schema-check"))
        .args([url, &schema_file.display().to_string()])
        .output()
        .expect("the check binary runs");
    assert!(
        run.status.success(),
        "the printed schema's queries failed ({}):\n{}",
        generated.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8_lossy(&run.stdout).into_owned()
}

fn rt_tables() -> TableFilter {
    TableFilter::new(&["rt_.*".to_owned()], &[]).expect("a valid pattern")
}

fn create_all_then_print_schema_compiles_and_diffs_empty(kind: BackendKind) {
    let Some(t) = target(kind) else { return };
    let mut conn = AnyConnection::open(&t.url).expect("opens");
    conn.create_all(&rich_schema()).expect("create_all");
    let fresh = conn
        .diff_schema(
            &rich_schema(),
            &philtre::reflection::diff::DiffOptions::default(),
        )
        .expect("diff");
    assert!(fresh.is_empty(), "create_all then diff_schema: {fresh}");
    conn.batch_execute("INSERT INTO rt_teams (name) VALUES ('core')")
        .expect("a row");

    let generated = t.dir.join("schema.rs");
    let printed = print_schema_command(&t.url, None, &rt_tables(), false, &[], Some(&generated))
        .expect("print-schema");
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    let source = std::fs::read_to_string(&generated).expect("written");
    for expected in [
        "rt_members (id)",
        "references rt_members(id) on delete set null",
        "#[foreign_key(",
        "pub const RT_MEMBERS_RT_TAGS: ManyToMany<",
        "pub const RT_MEMBERS_MANAGER: Parent<rt_members::manager_id>",
        "#[default = \"new\"]",
        "#[default = true]",
        "#[default = current_timestamp]",
        "#[max_length = 40]",
        "#[precision(10, 2)]",
    ] {
        assert!(
            source.contains(expected),
            "{expected:?} is not in:\n{source}"
        );
    }

    let queries = "pub fn run(conn: &mut philtre_engine::AnyConnection) -> philtre::QueryResult<Vec<(String, i64)>> {\n\
        Ok(vec![\n\
            (\"rt_teams\".to_owned(), generated::rt_teams::table.count().get_result(conn)?),\n\
            (\"rt_members\".to_owned(), generated::rt_members::table.count().get_result(conn)?),\n\
        ])\n}\n";
    let schema_file = t.dir.join("philtre-schema.json");
    let output = compile_and_run(&generated, queries, &t.url, &schema_file);
    assert_eq!(output, "rt_teams 1\nrt_members 0\n");

    let options = diff_options(&[], &[]).expect("options");
    let diff = diff_command(&t.url, &schema_file, &rt_tables(), &options, true).expect("diff");
    assert_eq!(
        diff.code, 0,
        "the printed schema differs from the database:\n{}",
        diff.stdout
    );
    assert!(diff.stdout.contains("matches"), "{}", diff.stdout);

    // Printing again keeps what the user wrote between the markers.
    let edited = source.replace(
        "// philtre:keep-end",
        "pub const MY_OWN: i32 = 7;\n// philtre:keep-end",
    );
    std::fs::write(&generated, edited).expect("edited");
    print_schema_command(&t.url, None, &rt_tables(), false, &[], Some(&generated)).expect("again");
    let again = std::fs::read_to_string(&generated).expect("written");
    assert!(again.contains("pub const MY_OWN: i32 = 7;"), "{again}");
    assert_eq!(
        again.replace("pub const MY_OWN: i32 = 7;\n", ""),
        source,
        "stable output"
    );
}

#[test]
fn round_trip_sqlite() {
    create_all_then_print_schema_compiles_and_diffs_empty(BackendKind::Sqlite);
}

#[test]
fn round_trip_postgres() {
    create_all_then_print_schema_compiles_and_diffs_empty(BackendKind::Postgres);
}

#[test]
fn round_trip_mysql() {
    create_all_then_print_schema_compiles_and_diffs_empty(BackendKind::Mysql);
}

fn hand_written_ddl(kind: BackendKind) -> &'static str {
    match kind {
        BackendKind::Sqlite => {
            r#"CREATE TABLE rt_owners (id INTEGER PRIMARY KEY, "Full Name" VARCHAR(80) NOT NULL, email TEXT UNIQUE,
                 flags INT NOT NULL DEFAULT 0, created DATETIME DEFAULT CURRENT_TIMESTAMP, anything, CHECK (flags >= 0));
               CREATE TABLE rt_pets (owner_id INTEGER NOT NULL REFERENCES rt_owners(id) ON DELETE CASCADE,
                 name TEXT NOT NULL, weight NUMERIC(6,2), PRIMARY KEY (owner_id, name));
               CREATE TABLE rt_log (at TEXT NOT NULL, message TEXT);
               CREATE TABLE "rt_Type" (id INTEGER PRIMARY KEY AUTOINCREMENT, big UNSIGNED BIG INT,
                 doc JSON, "select" TEXT, seen DATETIME DEFAULT (datetime('now')), ok BOOLEAN DEFAULT FALSE,
                 "prénom" TEXT CHECK ("prénom" <> ''));
               CREATE INDEX rt_owners_lower_email ON rt_owners (lower(email)) WHERE email IS NOT NULL;
               CREATE VIEW rt_owner_names AS SELECT id, "Full Name" FROM rt_owners;
               INSERT INTO rt_owners ("Full Name", email) VALUES ('Ann Lee', 'ann@example.com');"#
        }
        BackendKind::Postgres => {
            r#"CREATE TYPE rt_color AS ENUM ('red', 'dark green');
               CREATE TABLE rt_owners (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                 "Full Name" varchar(80) NOT NULL, email text UNIQUE, color rt_color, doc tsvector,
                 tags text[], created timestamptz DEFAULT now(),
                 CONSTRAINT rt_owners_email_at CHECK (email LIKE '%@%'));
               CREATE TABLE rt_pets (owner_id integer NOT NULL REFERENCES rt_owners(id) ON DELETE CASCADE,
                 name varchar(40) NOT NULL, weight numeric(6,2), PRIMARY KEY (owner_id, name));
               CREATE TABLE rt_log (at timestamp NOT NULL, message text);
               CREATE TABLE "rt_Type" (id bigserial PRIMARY KEY, "Name" text, name text, "order" int DEFAULT -1,
                 "2fa" boolean DEFAULT false, "café" varchar(10) DEFAULT 'it''s', price money, docs xml[],
                 t3 timestamp(3) DEFAULT CURRENT_TIMESTAMP, d date DEFAULT CURRENT_DATE, j jsonb DEFAULT '{}'::jsonb);
               CREATE INDEX rt_owners_lower_email ON rt_owners (lower(email)) WHERE email IS NOT NULL;
               CREATE VIEW rt_owner_names AS SELECT id, "Full Name" FROM rt_owners;
               COMMENT ON TABLE rt_owners IS 'who owns pets';
               INSERT INTO rt_owners ("Full Name", email) VALUES ('Ann Lee', 'ann@example.com');"#
        }
        BackendKind::Mysql => {
            r#"CREATE TABLE rt_owners (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                 `Full Name` VARCHAR(80) NOT NULL, email VARCHAR(120) UNIQUE, color ENUM('red', 'dark green'),
                 flags TINYINT NOT NULL DEFAULT 0, doc JSON, created DATETIME DEFAULT CURRENT_TIMESTAMP,
                 spot POINT, CHECK (flags >= 0)) COMMENT 'who owns pets';
               CREATE TABLE rt_pets (owner_id INT UNSIGNED NOT NULL, name VARCHAR(40) NOT NULL, weight DECIMAL(6,2),
                 PRIMARY KEY (owner_id, name), FOREIGN KEY (owner_id) REFERENCES rt_owners(id) ON DELETE CASCADE);
               CREATE TABLE rt_log (at DATETIME NOT NULL, message TEXT);
               CREATE TABLE `rt_Type` (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, `year` YEAR,
                 flags SET('a','b'), tiny TINYINT UNSIGNED DEFAULT 3, ts TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
                 e ENUM('x-y', 'x_y', ''), gen INT AS (tiny * 2) VIRTUAL, `select` INT DEFAULT 0,
                 note VARCHAR(10) DEFAULT 'it''s');
               CREATE VIEW rt_owner_names AS SELECT id, `Full Name` FROM rt_owners;
               INSERT INTO rt_owners (`Full Name`, email) VALUES ('Ann Lee', 'ann@example.com');"#
        }
    }
}

fn hand_written_database_prints_compiles_and_answers(kind: BackendKind) {
    let Some(t) = target(kind) else { return };
    let mut conn = AnyConnection::open(&t.url).expect("opens");
    conn.batch_execute(hand_written_ddl(kind))
        .expect("hand-written DDL");

    // Without a key, the table without a primary key is reported, not silently dropped.
    let first =
        print_schema_command(&t.url, None, &rt_tables(), true, &[], None).expect("print-schema");
    assert!(
        first.stderr.contains("`rt_log`: skipped"),
        "{}",
        first.stderr
    );
    assert!(!first.stdout.contains("rt_log ("), "{}", first.stdout);

    let generated = t.dir.join("schema.rs");
    let keys = ["rt_log=at".to_owned(), "rt_owner_names=id".to_owned()];
    let printed = print_schema_command(&t.url, None, &rt_tables(), true, &keys, Some(&generated))
        .expect("print-schema with keys");
    let source = std::fs::read_to_string(&generated).expect("written");
    assert!(source.contains("#[logical_key]"), "{source}");
    assert!(source.contains("#[sql_name = \"Full Name\"]"), "{source}");
    let custom = match kind {
        BackendKind::Sqlite => Some("pub struct Untyped;"),
        BackendKind::Postgres => Some("pub struct Tsvector;"),
        BackendKind::Mysql => Some("pub struct Point;"),
    };
    if let Some(custom) = custom {
        assert!(
            source.contains(custom),
            "an unknown type is a marked custom type:\n{source}"
        );
        assert!(source.contains("UNKNOWN TYPE"), "{source}");
        assert!(
            printed.stderr.contains("custom SQL type"),
            "{}",
            printed.stderr
        );
    }

    let queries = "pub fn run(conn: &mut philtre_engine::AnyConnection) -> philtre::QueryResult<Vec<(String, i64)>> {\n\
        let names: Vec<String> = generated::rt_owners::table.select(generated::rt_owners::full_name).load(conn)?;\n\
        assert_eq!(names, [\"Ann Lee\"]);\n\
        Ok(vec![\n\
            (\"rt_owners\".to_owned(), generated::rt_owners::table.count().get_result(conn)?),\n\
            (\"rt_pets\".to_owned(), generated::rt_pets::table.count().get_result(conn)?),\n\
            (\"rt_log\".to_owned(), generated::rt_log::table.count().get_result(conn)?),\n\
            (\"rt_owner_names\".to_owned(), generated::rt_owner_names::table.count().get_result(conn)?),\n\
        ])\n}\n";
    let schema_file = t.dir.join("philtre-schema.json");
    let output = compile_and_run(&generated, queries, &t.url, &schema_file);
    assert_eq!(
        output,
        "rt_owners 1\nrt_pets 0\nrt_log 0\nrt_owner_names 1\n"
    );

    // What was printed from a database philtre did not make diffs empty against it.
    let options = diff_options(&[], &[]).expect("options");
    let diff = diff_command(&t.url, &schema_file, &rt_tables(), &options, true).expect("diff");
    assert_eq!(
        diff.code, 0,
        "the printed schema differs from the database:\n{}",
        diff.stdout
    );
}

#[test]
fn hand_written_sqlite() {
    hand_written_database_prints_compiles_and_answers(BackendKind::Sqlite);
}

#[test]
fn hand_written_postgres() {
    hand_written_database_prints_compiles_and_answers(BackendKind::Postgres);
}

#[test]
fn hand_written_mysql() {
    hand_written_database_prints_compiles_and_answers(BackendKind::Mysql);
}

fn migrations_generate_run_revert(kind: BackendKind) {
    let Some(t) = target(kind) else { return };
    let schema_file = t.dir.join("philtre-schema.json");
    SchemaFile::write(&rich_schema(), &schema_file).expect("schema file");
    // `generate` makes the directory.
    let dir = t.dir.join("migrations");
    let options = diff_options(&[], &[]).expect("options");

    let generated = generate_command(&t.url, &schema_file, &dir, "init", &rt_tables(), &options)
        .expect("generate");
    assert!(
        generated.stdout.contains("V1__init.sql"),
        "{}",
        generated.stdout
    );
    assert!(dir.join("V1__init.down.sql").exists());
    let up = std::fs::read_to_string(dir.join("V1__init.sql")).expect("written");
    assert!(up.contains("-- [safe] rt_teams: table to create"), "{up}");

    let status = status_command(&t.url, &dir).expect("status");
    assert!(
        status.stdout.contains("V1__init\tpending"),
        "{}",
        status.stdout
    );
    let ran = run_command(&t.url, &dir).expect("run");
    assert_eq!(ran.stdout, "applied V1__init\n");
    let diff = diff_command(&t.url, &schema_file, &rt_tables(), &options, true).expect("diff");
    assert_eq!(diff.code, 0, "after the migration:\n{}", diff.stdout);
    let status = status_command(&t.url, &dir).expect("status");
    assert!(
        status.stdout.contains("V1__init\tapplied"),
        "{}",
        status.stdout
    );
    assert_eq!(status.code, 0);

    // Nothing new: no migration is written.
    let none = generate_command(&t.url, &schema_file, &dir, "again", &rt_tables(), &options)
        .expect("generate");
    assert!(
        none.stderr.contains("no migration written"),
        "{}",
        none.stderr
    );

    // A changed migration file is refused, not run again or ignored.
    std::fs::write(dir.join("V1__init.sql"), format!("{up}\n-- edited\n")).expect("edit");
    let changed = status_command(&t.url, &dir).expect("status");
    assert!(changed.stdout.contains("CHANGED"), "{}", changed.stdout);
    assert_eq!(changed.code, 1);
    assert!(
        run_command(&t.url, &dir).is_err(),
        "a changed migration is refused"
    );
    std::fs::write(dir.join("V1__init.sql"), &up).expect("restore");

    let reverted = revert_command(&t.url, &dir).expect("revert");
    assert_eq!(reverted.stdout, "reverted V1__init\n");
    let mut conn = AnyConnection::open(&t.url).expect("opens");
    let left: Vec<String> = conn
        .table_names(None)
        .expect("tables")
        .into_iter()
        .filter(|n| n.starts_with("rt_"))
        .collect();
    assert!(
        left.is_empty(),
        "the down migration drops the tables: {left:?}"
    );
    let again = run_command(&t.url, &dir).expect("run again");
    assert_eq!(again.stdout, "applied V1__init\n");

    // A migration that fails leaves nothing behind where DDL is transactional.
    std::fs::write(
        dir.join("V2__broken.sql"),
        "CREATE TABLE rt_extra (id INTEGER PRIMARY KEY);\nCREATE TABLE rt_teams (id INTEGER PRIMARY KEY);\n",
    )
    .expect("broken migration");
    assert!(run_command(&t.url, &dir).is_err());
    let extra = conn
        .table_names(None)
        .expect("tables")
        .contains(&"rt_extra".to_owned());
    assert_eq!(
        extra,
        kind == BackendKind::Mysql,
        "MySQL commits each DDL statement"
    );
}

#[test]
fn migrations_sqlite() {
    migrations_generate_run_revert(BackendKind::Sqlite);
}

#[test]
fn migrations_postgres() {
    migrations_generate_run_revert(BackendKind::Postgres);
}

#[test]
fn migrations_mysql() {
    migrations_generate_run_revert(BackendKind::Mysql);
}

/// Two migration runs at once take turns: the second waits, then fails with a matchable kind
/// instead of running the same migrations twice (or waiting forever).
fn migration_runs_take_turns(kind: BackendKind) {
    let Some(t) = target(kind) else { return };
    let wait = std::time::Duration::from_secs(1);
    let mut first = AnyConnection::open(&t.url).expect("opens");
    let mut second = AnyConnection::open(&t.url).expect("opens");
    first.migration_lock(true, wait).expect("the lock is free");
    let waited = second.migration_lock(true, wait);
    if kind == BackendKind::Sqlite {
        // SQLite's writers queue on the file; there is no lock to take.
        assert!(waited.is_ok());
    } else {
        assert_eq!(
            waited.map_err(|e| e.kind()),
            Err(philtre::ErrorKind::LockNotAvailable)
        );
    }
    first.migration_lock(false, wait).expect("given back");
    second.migration_lock(true, wait).expect("free again");
    second.migration_lock(false, wait).expect("given back");
}

#[test]
fn migration_lock_sqlite() {
    migration_runs_take_turns(BackendKind::Sqlite);
}

#[test]
fn migration_lock_postgres() {
    migration_runs_take_turns(BackendKind::Postgres);
}

#[test]
fn migration_lock_mysql() {
    migration_runs_take_turns(BackendKind::Mysql);
}
