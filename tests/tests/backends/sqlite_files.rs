//! SQLite databases in files, opened the ways users open them, written by many threads.

use std::path::PathBuf;
use std::sync::Barrier;

use philtre::prelude::*;
use philtre_sqlite::{SqliteConnection, TransactionBehavior};

/// A directory of the test's own, removed when it ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("philtre-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        TempDir(dir)
    }
    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn io(e: std::io::Error) -> Error {
    Error::new(ErrorKind::Other, e.to_string())
}

fn count(conn: &mut SqliteConnection, table: &str) -> QueryResult<i64> {
    conn.raw()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .map_err(|e| Error::new(ErrorKind::Other, e.to_string()))
}

#[test]
fn sqlalchemy_urls_open_the_files_they_name() -> QueryResult<()> {
    let dir = TempDir::new("urls");
    let absolute = dir.file("absolute.db");
    // Four slashes: an absolute path.
    let mut conn = SqliteConnection::open(&format!("sqlite:///{}", absolute.display()))?;
    conn.batch_execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)")?;
    drop(conn);
    assert!(absolute.exists());
    // Three slashes: relative to the working directory.
    let relative = PathBuf::from(format!("philtre-relative-{}.db", std::process::id()));
    let mut conn = SqliteConnection::open(&format!("sqlite:///{}", relative.display()))?;
    conn.batch_execute("CREATE TABLE t (x INTEGER)")?;
    drop(conn);
    assert!(relative.exists(), "{} was created", relative.display());
    std::fs::remove_file(&relative).map_err(io)?;
    // A URL's parameters are parameters, not part of the file's name.
    let mut ro = SqliteConnection::open(&format!("sqlite:///{}?mode=ro", absolute.display()))?;
    assert_eq!(count(&mut ro, "t")?, 1, "reads");
    let refused = ro
        .batch_execute("INSERT INTO t VALUES (2)")
        .expect_err("read-only");
    assert!(refused.to_string().contains("readonly"), "{refused}");
    assert!(
        !dir.file("absolute.db?mode=ro").exists(),
        "no file named after the URL"
    );
    // mode=rw does not create a missing file; the default (rwc) does.
    let missing = dir.file("missing.db");
    let err = SqliteConnection::open(&format!("sqlite:///{}?mode=rw", missing.display()))
        .expect_err("no such file");
    assert_eq!(err.kind(), ErrorKind::Connection);
    assert!(!missing.exists());
    // A plain path is taken as written, even with a `?` in it.
    let odd = dir.file("odd?name.db");
    SqliteConnection::open(odd.to_str().expect("UTF-8 path"))?
        .batch_execute("CREATE TABLE t (x INTEGER)")?;
    assert!(odd.exists());
    Ok(())
}

#[test]
fn in_memory_databases_private_or_shared() -> QueryResult<()> {
    for url in [
        "sqlite://",
        "sqlite:///:memory:",
        ":memory:",
        "sqlite::memory:",
    ] {
        let mut a = SqliteConnection::open(url)?;
        a.batch_execute("CREATE TABLE t (x INTEGER)")?;
        let mut b = SqliteConnection::open(url)?;
        assert!(
            b.batch_execute("SELECT * FROM t").is_err(),
            "{url} is private"
        );
    }
    let name = format!(
        "sqlite:///philtre_shared_{}?mode=memory&cache=shared",
        std::process::id()
    );
    let mut a = SqliteConnection::open(&name)?;
    a.batch_execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7)")?;
    let mut b = SqliteConnection::open(&name)?;
    assert_eq!(
        count(&mut b, "t")?,
        1,
        "a named in-memory database is shared"
    );
    Ok(())
}

#[test]
fn url_options_and_mistakes() -> QueryResult<()> {
    let dir = TempDir::new("options");
    let file = dir.file("wal.db");
    let conn = SqliteConnection::open(&format!(
        "sqlite:///{}?journal_mode=wal&synchronous=normal&begin=immediate&lock_timeout=2s",
        file.display()
    ))?;
    let mode: String = conn
        .raw()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
    assert_eq!(mode, "wal");
    let foreign_keys: i64 = conn
        .raw()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
    assert_eq!(foreign_keys, 1, "on unless the URL says otherwise");
    for bad in [
        "sqlite:///x.db?jurnal_mode=wal",
        "sqlite://host/x.db",
        "sqlite:///x.db?begin=whenever",
        "sqlite:///x.db?journal_mode=wal%3Bdrop",
    ] {
        let err = SqliteConnection::open(bad).expect_err(bad);
        assert_eq!(err.kind(), ErrorKind::Connection, "{bad}");
        assert!(
            err.to_string()
                .contains(bad.split('?').next().unwrap_or(bad)),
            "{err}"
        );
    }
    let err = SqliteConnection::open("sqlite://?journal_mode=wal").expect_err("memory has no WAL");
    assert!(err.to_string().contains("journal_mode"), "{err}");
    Ok(())
}

fn writers(url: &str, threads: usize, rows_each: usize, read_first: bool) -> Vec<QueryResult<()>> {
    let barrier = Barrier::new(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let barrier = &barrier;
                s.spawn(move || -> QueryResult<()> {
                    let mut conn = SqliteConnection::open(url)?;
                    barrier.wait();
                    for i in 0..rows_each {
                        conn.transaction(|conn| {
                            if read_first {
                                conn.batch_execute("SELECT count(*) FROM log")?;
                            }
                            conn.batch_execute(&format!(
                                "INSERT INTO log (thread, n) VALUES ({t}, {i})"
                            ))
                        })?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("writer thread"))
            .collect()
    })
}

#[test]
fn eight_threads_write_one_file_with_immediate_transactions() -> QueryResult<()> {
    let dir = TempDir::new("writers");
    for journal in ["wal", "delete"] {
        let file = dir.file(&format!("{journal}.db"));
        let url = format!(
            "sqlite:///{}?journal_mode={journal}&begin=immediate&lock_timeout=10s",
            file.display()
        );
        SqliteConnection::open(&url)?
            .batch_execute("CREATE TABLE log (thread INTEGER, n INTEGER)")?;
        let outcomes = writers(&url, 8, 50, true);
        for outcome in outcomes {
            outcome?;
        }
        let mut check = SqliteConnection::open(&url)?;
        assert_eq!(
            count(&mut check, "log")?,
            8 * 50,
            "{journal}: every row kept"
        );
    }
    Ok(())
}

#[test]
fn deferred_writers_that_read_first_fail_at_once_with_a_retryable_kind() -> QueryResult<()> {
    // Why immediate transactions exist: two deferred transactions that both read and then
    // write cannot both go on, and SQLite fails one at once rather than wait.
    let dir = TempDir::new("deferred");
    let file = dir.file("deferred.db");
    let url = format!("sqlite:///{}?lock_timeout=5s", file.display());
    let mut a = SqliteConnection::open(&url)?;
    a.batch_execute("CREATE TABLE log (thread INTEGER, n INTEGER)")?;
    let mut b = SqliteConnection::open(&url)?;
    a.batch_execute("BEGIN; SELECT count(*) FROM log")?;
    b.batch_execute("BEGIN; SELECT count(*) FROM log")?;
    a.batch_execute("INSERT INTO log VALUES (1, 1)")?;
    let start = std::time::Instant::now();
    let err = b
        .batch_execute("INSERT INTO log VALUES (2, 1)")
        .expect_err("b cannot upgrade");
    assert!(
        start.elapsed() < std::time::Duration::from_secs(2),
        "without waiting the busy timeout"
    );
    assert_eq!(err.kind(), ErrorKind::LockNotAvailable, "{err}");
    assert!(err.is_retryable());
    b.batch_execute("ROLLBACK")?;
    a.batch_execute("COMMIT")?;
    // The same work in an immediate transaction waits its turn instead.
    b.transaction_with_behavior(TransactionBehavior::Immediate, |b| {
        b.batch_execute("SELECT count(*) FROM log")?;
        b.batch_execute("INSERT INTO log VALUES (2, 1)")
    })?;
    assert_eq!(count(&mut a, "log")?, 2);
    Ok(())
}
