//! Nothing waits forever: connect, statement, read and lock timeouts, each with an error kind
//! of its own, on loopback only.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use philtre::connection::ConnectOptions;
use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_sqlite::SqliteConnection;
use philtre_tests::harness::{open_mysql, open_postgres};
use philtre_tests::*;

/// A loopback port that accepts connections (the kernel completes the handshake) and never
/// says a word: a hung server, a wrong port behind a proxy.
fn silent_listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("bound").port();
    (listener, port)
}

/// Runs `f`, and checks it failed with `kind` after at least `at_least` and within `bound`.
fn fails_within<T: std::fmt::Debug>(
    kind: ErrorKind,
    at_least: Duration,
    bound: Duration,
    f: impl FnOnce() -> QueryResult<T>,
) -> Error {
    let start = Instant::now();
    let err = f().expect_err("the limit was reached");
    let took = start.elapsed();
    // Shown with `--nocapture`: the measured bound of each limit.
    eprintln!("{kind:?} after {took:?}: {err}");
    assert_eq!(err.kind(), kind, "{err}");
    assert!(took >= at_least, "gave up after {took:?}, before the limit");
    assert!(took < bound, "took {took:?}, more than {bound:?}: {err}");
    err
}

fn server_tests_enabled(var: &str) -> bool {
    std::env::var_os(var).is_some()
}

#[test]
fn postgres_connect_to_a_silent_server_times_out() {
    if !server_tests_enabled("PHILTRE_POSTGRES_URL") {
        return;
    }
    let (_listener, port) = silent_listener();
    let url = format!("postgres://u@127.0.0.1:{port}/db?connect_timeout=1");
    let err = fails_within(
        ErrorKind::Timeout,
        Duration::from_millis(900),
        Duration::from_secs(3),
        || PgConnection::open(&url),
    );
    assert!(err.to_string().contains("connect timeout"), "{err}");
    // Code wins over the URL.
    fails_within(
        ErrorKind::Timeout,
        Duration::from_millis(250),
        Duration::from_millis(1500),
        || {
            PgConnection::open_with(
                &url,
                &ConnectOptions::new().connect_timeout(Duration::from_millis(300)),
            )
        },
    );
}

#[test]
fn mysql_connect_to_a_silent_server_times_out() {
    if !server_tests_enabled("PHILTRE_MYSQL_URL") {
        return;
    }
    let (_listener, port) = silent_listener();
    let url = format!("mysql://u@127.0.0.1:{port}/db?connect_timeout=1");
    let err = fails_within(
        ErrorKind::Timeout,
        Duration::from_millis(900),
        Duration::from_secs(3),
        || MysqlConnection::open(&url),
    );
    assert!(err.to_string().contains("connect timeout"), "{err}");
}

#[test]
fn the_default_connect_timeout_is_ten_seconds() {
    if !server_tests_enabled("PHILTRE_POSTGRES_URL") || !server_tests_enabled("PHILTRE_MYSQL_URL") {
        return;
    }
    let (_listener, port) = silent_listener();
    let pg = std::thread::spawn(move || {
        fails_within(
            ErrorKind::Timeout,
            Duration::from_secs(9),
            Duration::from_secs(13),
            || PgConnection::open(&format!("postgres://u@127.0.0.1:{port}/db")),
        )
    });
    fails_within(
        ErrorKind::Timeout,
        Duration::from_secs(9),
        Duration::from_secs(13),
        || MysqlConnection::open(&format!("mysql://u@127.0.0.1:{port}/db")),
    );
    pg.join().expect("the PostgreSQL attempt");
}

#[test]
fn a_bad_timeout_in_the_url_is_an_error_naming_it() {
    let err =
        SqliteConnection::open("sqlite://?statement_timeout=soon").expect_err("not a duration");
    assert_eq!(err.kind(), ErrorKind::Connection);
    assert!(err.to_string().contains("statement_timeout=soon"), "{err}");
}

/// A statement that runs for about `seconds` on each backend.
fn slow_sql(dialect: philtre_tests::harness::Dialect, seconds: u32) -> String {
    use philtre_tests::harness::Dialect;
    match dialect {
        Dialect::Postgres => format!("SELECT pg_sleep({seconds})"),
        Dialect::Mysql => format!("SELECT SLEEP({seconds})"),
        // Counting to a few hundred million takes seconds in SQLite's virtual machine.
        Dialect::Sqlite => format!(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {}) \
             SELECT count(*) FROM c",
            u64::from(seconds) * 300_000_000
        ),
    }
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn a_statement_past_its_timeout_is_stopped_and_the_connection_goes_on(conn) {
    set_statement_timeout(conn, Duration::from_millis(300))?;
    let sql = slow_sql(DIALECT, 5);
    let err = fails_within(
        ErrorKind::Timeout,
        Duration::from_millis(250),
        Duration::from_secs(3),
        || conn.batch_execute(&sql),
    );
    assert!(!err.is_retryable());
    assert!(!conn.is_broken(), "a statement timeout leaves the connection usable");
    conn.ping()?;
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 0);
    Ok(())
}
}

/// Sets the statement timeout on an open test connection (the harness opened it without one).
fn set_statement_timeout<C: Connection + std::any::Any>(
    conn: &mut C,
    limit: Duration,
) -> QueryResult<()> {
    let any = conn as &mut dyn std::any::Any;
    if let Some(sqlite) = any.downcast_mut::<SqliteConnection>() {
        return sqlite.set_statement_timeout(limit);
    }
    if any.is::<PgConnection>() {
        return conn.batch_execute(&format!("SET statement_timeout = {}", limit.as_millis()));
    }
    let Some(my) = any.downcast_mut::<MysqlConnection>() else {
        unreachable!("the three test backends");
    };
    let version = philtre_tests::harness::mysql::raw_rows(my, "SELECT VERSION()")?;
    if version[0][0].contains("MariaDB") {
        my.batch_execute(&format!(
            "SET SESSION max_statement_time = {}",
            limit.as_secs_f64()
        ))
    } else {
        my.batch_execute(&format!(
            "SET SESSION max_execution_time = {}",
            limit.as_millis()
        ))
    }
}

#[test]
fn statement_timeout_from_the_url() -> QueryResult<()> {
    let mut sqlite = SqliteConnection::open("sqlite://?statement_timeout=200ms")?;
    fails_within(
        ErrorKind::Timeout,
        Duration::from_millis(150),
        Duration::from_secs(3),
        || sqlite.batch_execute(&slow_sql(philtre_tests::harness::Dialect::Sqlite, 5)),
    );
    if let Ok(url) = std::env::var("PHILTRE_POSTGRES_URL") {
        let mut pg = PgConnection::open(&format!("{url}?statement_timeout=200ms"))?;
        fails_within(
            ErrorKind::Timeout,
            Duration::from_millis(150),
            Duration::from_secs(3),
            || pg.batch_execute("SELECT pg_sleep(5)"),
        );
        pg.ping()?;
    }
    if let Ok(url) = std::env::var("PHILTRE_MYSQL_URL") {
        let mut my = MysqlConnection::open(&format!("{url}?statement_timeout=200ms"))?;
        fails_within(
            ErrorKind::Timeout,
            Duration::from_millis(150),
            Duration::from_secs(3),
            || my.batch_execute("SELECT SLEEP(5)"),
        );
        my.ping()?;
    }
    Ok(())
}

#[test]
fn postgres_read_timeout_gives_up_cancels_and_closes() -> QueryResult<()> {
    let Ok(url) = std::env::var("PHILTRE_POSTGRES_URL") else {
        return Ok(());
    };
    let mut conn = PgConnection::open_with(
        &url,
        &ConnectOptions::new().read_timeout(Duration::from_millis(300)),
    )?;
    let pid: i32 = conn.run_async(async |c| {
        c.query_one("SELECT pg_backend_pid()", &[])
            .await?
            .try_get(0)
    })?;
    let err = fails_within(
        ErrorKind::Timeout,
        Duration::from_millis(250),
        Duration::from_secs(3),
        || conn.batch_execute("SELECT pg_sleep(5)"),
    );
    assert!(err.to_string().contains("read timeout"), "{err}");
    assert!(conn.is_broken());
    let next = fails_within(
        ErrorKind::Connection,
        Duration::ZERO,
        Duration::from_millis(100),
        || conn.ping(),
    );
    assert!(next.to_string().contains("broken"), "{next}");
    // The server was asked to cancel: the session no longer sleeps.
    let mut observer = PgConnection::open(&url)?;
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let rows = observer.simple_query(&format!(
            "SELECT 1 FROM pg_stat_activity WHERE pid = {pid} AND query LIKE '%pg_sleep%' AND state = 'active'"
        ))?;
        let active = rows.iter().any(|m| {
            matches!(
                m,
                philtre_postgres::tokio_postgres::SimpleQueryMessage::Row(_)
            )
        });
        if !active {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the statement still runs on the server"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

#[test]
fn mysql_read_timeout_gives_up_and_closes() -> QueryResult<()> {
    let Ok(url) = std::env::var("PHILTRE_MYSQL_URL") else {
        return Ok(());
    };
    let mut conn = MysqlConnection::open(&format!("{url}?read_timeout=300ms"))?;
    fails_within(
        ErrorKind::Timeout,
        Duration::from_millis(250),
        Duration::from_secs(3),
        || conn.batch_execute("SELECT SLEEP(5)"),
    );
    assert!(conn.is_broken());
    fails_within(
        ErrorKind::Connection,
        Duration::ZERO,
        Duration::from_millis(100),
        || conn.ping(),
    );
    // The read timeout applies after the handshake too, and long enough statements still run.
    let mut patient = MysqlConnection::open(&format!("{url}?read_timeout=3s&connect_timeout=1"))?;
    patient.batch_execute("SELECT SLEEP(1.5)")?;
    Ok(())
}

/// Runs `slow` on `conn` while another thread calls `cancel` after 200 ms: the statement
/// fails with `Cancelled` then, and the connection still answers.
fn cancelled_from_another_thread<C: Connection>(
    conn: &mut C,
    slow: &str,
    cancel: impl FnOnce() -> QueryResult<()> + Send + 'static,
) -> QueryResult<()> {
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        cancel()
    });
    fails_within(
        ErrorKind::Cancelled,
        Duration::from_millis(150),
        Duration::from_secs(3),
        || conn.batch_execute(slow),
    );
    canceller.join().expect("canceller")?;
    conn.ping()
}

#[test]
fn a_cancelled_statement_has_its_own_kind() -> QueryResult<()> {
    let mut sqlite = SqliteConnection::open(":memory:")?;
    let handle = sqlite.interrupt_handle();
    let slow = slow_sql(philtre_tests::harness::Dialect::Sqlite, 5);
    cancelled_from_another_thread(&mut sqlite, &slow, move || {
        handle.interrupt();
        Ok(())
    })?;
    if let Some(mut pg) = open_postgres() {
        let handle = pg.cancel_handle();
        cancelled_from_another_thread(&mut *pg, "SELECT pg_sleep(5)", move || handle.cancel())?;
    }
    if let Some(mut my) = open_mysql() {
        let handle = my.cancel_handle();
        cancelled_from_another_thread(&mut *my, "SELECT SLEEP(5)", move || handle.cancel())?;
    }
    Ok(())
}

/// On a server test database: a row another transaction holds is `LockNotAvailable` both for
/// `NOWAIT` and for a wait that runs out (set by `set_wait`, taking at least `waited`).
macro_rules! row_lock_is_not_available {
    ($db:expr, $set_wait:expr, $waited:expr) => {{
        let mut db = $db;
        db.batch_execute("INSERT INTO users (id, name) VALUES (1, 'Ann')")?;
        let mut other = db.second_connection();
        other.batch_execute($set_wait)?;
        db.transaction(|holder| {
            update(users::table.find(1))
                .set(users::score.eq(1))
                .execute(holder)?;
            let nowait = users::table
                .find(1)
                .select(users::id)
                .for_update()
                .no_wait()
                .first::<i32>(&mut other);
            assert_eq!(
                nowait.map_err(|e| e.kind()).err(),
                Some(ErrorKind::LockNotAvailable)
            );
            fails_within(
                ErrorKind::LockNotAvailable,
                $waited,
                Duration::from_secs(3),
                || {
                    update(users::table.find(1))
                        .set(users::score.eq(2))
                        .execute(&mut other)
                },
            );
            Ok::<_, Error>(())
        })?;
    }};
}

#[test]
fn a_lock_held_elsewhere_is_lock_not_available_on_every_backend() -> QueryResult<()> {
    // SQLite: a second connection to the file waits its busy timeout for the write lock.
    let dir = std::env::temp_dir().join(format!("philtre-locks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
    let file = dir.join("locks.db");
    let url = format!("sqlite:///{}?lock_timeout=200ms", file.display());
    let mut holder = SqliteConnection::open(&url)?;
    holder.batch_execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")?;
    let mut waiter = SqliteConnection::open(&url)?;
    holder.batch_execute("BEGIN IMMEDIATE")?;
    let err = fails_within(
        ErrorKind::LockNotAvailable,
        Duration::from_millis(150),
        Duration::from_secs(2),
        || waiter.batch_execute("INSERT INTO t VALUES (1)"),
    );
    assert!(err.is_retryable());
    holder.batch_execute("ROLLBACK")?;
    waiter.batch_execute("INSERT INTO t VALUES (1)")?;
    drop((holder, waiter));
    let _ = std::fs::remove_dir_all(&dir);

    if let Some(pg) = open_postgres() {
        row_lock_is_not_available!(pg, "SET lock_timeout = 200", Duration::from_millis(150));
    }
    if let Some(my) = open_mysql() {
        row_lock_is_not_available!(
            my,
            "SET SESSION innodb_lock_wait_timeout = 1",
            Duration::from_millis(900)
        );
    }
    Ok(())
}
