//! The async engine: the blocking engine's pool semantics on deadpool — size, overflow and
//! checkout timeout, reset on return, a connection cut off mid-statement never handed on,
//! pre-ping after a lost session — and many concurrent tasks on a small pool.

use std::time::Duration;

use philtre::async_prelude::*;
use philtre_engine::{AsyncEngine, EngineBuilder};
use philtre_mysql::AsyncMysqlConnection;
use philtre_postgres::AsyncPgConnection;
use philtre_sqlite::AsyncSqliteConnection;
use philtre_tests::harness;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime starts")
}

/// A PostgreSQL URL whose connections use a fresh schema (dropped with the returned guard),
/// with a table `items (id INTEGER)`.
fn postgres_url() -> Option<(harness::TestDb<philtre_postgres::PgConnection>, String)> {
    let mut db = harness::open_postgres()?;
    philtre::connection::Connection::batch_execute(&mut *db, "CREATE TABLE items (id INTEGER)")
        .expect("creates");
    let (url, schema) = db.server().map(|(u, s)| (u.to_owned(), s.to_owned()))?;
    let separator = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    Some((db, url))
}

/// An engine of `size` connections and no overflow.
fn pool_of<C: philtre_engine::AsyncEngineConnection>(url: &str, size: u32) -> AsyncEngine<C> {
    EngineBuilder::new(url)
        .pool_size(size)
        .max_overflow(0)
        .build_async()
        .expect("builds")
}

#[test]
fn postgres_pool_hands_out_size_plus_overflow_then_times_out() {
    let Some((_db, url)) = postgres_url() else {
        return;
    };
    runtime().block_on(async {
        let engine: AsyncEngine<AsyncPgConnection> = EngineBuilder::new(&url)
            .pool_size(2)
            .max_overflow(1)
            .pool_timeout(Duration::from_millis(200))
            .build_async()
            .expect("builds");
        let a = engine.connect().await.expect("first");
        let b = engine.connect().await.expect("second");
        let c = engine.connect().await.expect("overflow");
        let status = engine.status();
        assert_eq!((status.checked_out, status.overflow), (3, 1));
        let started = std::time::Instant::now();
        let refused = engine.connect().await.expect_err("the pool is exhausted");
        assert_eq!(refused.kind(), ErrorKind::PoolTimeout);
        assert!(started.elapsed() >= Duration::from_millis(150));
        assert!(
            refused.message().contains("pool_size 2 + max_overflow 1"),
            "{refused}"
        );
        drop((a, b, c));
        // The third connection back finds two idle: it is an overflow connection, closed.
        let status = engine.status();
        assert_eq!(
            (status.checked_out, status.idle, status.overflow),
            (0, 2, 0)
        );
    });
}

#[test]
fn postgres_pool_rolls_back_what_a_connection_left_open_before_reuse() {
    let Some((_db, url)) = postgres_url() else {
        return;
    };
    runtime().block_on(async {
        let engine: AsyncEngine<AsyncPgConnection> = pool_of(&url, 1);
        {
            let mut conn = engine.connect().await.expect("checks out");
            conn.batch_execute("BEGIN; INSERT INTO items VALUES (1)")
                .await
                .expect("runs");
        } // returned with a transaction open
        // A transaction future dropped between statements (a timeout around the handler).
        let dropped = tokio::time::timeout(
            Duration::from_millis(100),
            engine.begin(async |conn| {
                conn.batch_execute("INSERT INTO items VALUES (2)").await?;
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok::<_, philtre::Error>(())
            }),
        )
        .await;
        assert!(dropped.is_err());
        let mut conn = engine.connect().await.expect("the same connection, reset");
        let rows = conn
            .simple_query("SELECT count(*) FROM items")
            .await
            .expect("reads");
        assert_eq!(
            first_value(&rows).as_deref(),
            Some("0"),
            "nothing uncommitted survived"
        );
        assert_eq!(conn.transactions().depth(), 0);
    });
}

#[test]
fn postgres_connection_cut_off_mid_statement_is_discarded_not_reused() {
    let Some((_db, url)) = postgres_url() else {
        return;
    };
    runtime().block_on(async {
        let engine: AsyncEngine<AsyncPgConnection> = pool_of(&url, 1);
        let first_pid = {
            let mut conn = engine.connect().await.expect("checks out");
            backend_pid(&mut conn).await
        };
        let cut = tokio::time::timeout(Duration::from_millis(150), async {
            let mut conn = engine.connect().await.expect("checks out");
            conn.batch_execute("SELECT pg_sleep(5)").await
        })
        .await;
        assert!(cut.is_err(), "the timeout fired mid-statement");
        let mut conn = engine.connect().await.expect("a working connection");
        let next_pid = backend_pid(&mut conn).await;
        assert_ne!(
            first_pid, next_pid,
            "the interrupted connection was closed, not reused"
        );
        let rows = conn.simple_query("SELECT 41 + 1").await.expect("answers");
        assert_eq!(
            first_value(&rows).as_deref(),
            Some("42"),
            "its own answer, nothing left over"
        );
    });
}

#[test]
fn postgres_pre_ping_replaces_a_connection_whose_session_was_killed() {
    let Some((db, url)) = postgres_url() else {
        return;
    };
    runtime().block_on(async {
        let engine: AsyncEngine<AsyncPgConnection> = EngineBuilder::new(&url)
            .pool_size(1)
            .max_overflow(0)
            .pool_pre_ping(true)
            .pool_pre_ping_window(Duration::ZERO)
            .build_async()
            .expect("builds");
        let pid = {
            let mut conn = engine.connect().await.expect("checks out");
            backend_pid(&mut conn).await
        };
        let (server_url, _) = db
            .server()
            .map(|(u, s)| (u.to_owned(), s.to_owned()))
            .expect("server");
        let mut killer = AsyncPgConnection::open(&server_url).await.expect("opens");
        killer
            .simple_query(&format!("SELECT pg_terminate_backend({pid})"))
            .await
            .expect("kills its own test's session");
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut conn = engine
            .connect()
            .await
            .expect("pre-ping found the dead one and opened anew");
        assert_ne!(backend_pid(&mut conn).await, pid);
    });
}

#[test]
fn postgres_sixty_four_concurrent_tasks_share_a_pool_of_five() {
    let Some((_db, url)) = postgres_url() else {
        return;
    };
    runtime().block_on(async {
        let engine: AsyncEngine<AsyncPgConnection> = pool_of(&url, 5);
        let mut tasks = Vec::new();
        for i in 0..64 {
            let engine = engine.clone();
            tasks.push(tokio::spawn(async move {
                engine
                    .begin(async |conn| {
                        conn.batch_execute(&format!("INSERT INTO items VALUES ({i})"))
                            .await?;
                        Ok::<_, philtre::Error>(())
                    })
                    .await
            }));
        }
        for task in tasks {
            task.await.expect("no panic").expect("every insert is kept");
        }
        let mut conn = engine.connect().await.expect("checks out");
        let rows = conn
            .simple_query("SELECT count(DISTINCT id) FROM items")
            .await
            .expect("reads");
        assert_eq!(first_value(&rows).as_deref(), Some("64"));
        assert!(engine.status().idle <= 5);
    });
}

#[test]
fn unreachable_server_fails_the_checkout_at_once() {
    runtime().block_on(async {
        let engine: AsyncEngine<AsyncPgConnection> =
            EngineBuilder::new("postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
                .build_async()
                .expect("builds without connecting");
        let started = std::time::Instant::now();
        let err = engine.connect().await.expect_err("nothing listens");
        assert_eq!(err.kind(), ErrorKind::Connection);
        assert!(started.elapsed() < Duration::from_secs(2));
        let wrong = EngineBuilder::<AsyncPgConnection>::new("mysql://root@127.0.0.1/test")
            .build_async()
            .expect_err("a MySQL URL for PostgreSQL connections");
        assert_eq!(wrong.kind(), ErrorKind::InvalidQuery);
    });
}

#[test]
fn mysql_and_sqlite_engines_reset_on_return() {
    runtime().block_on(async {
        let sqlite: AsyncEngine<AsyncSqliteConnection> = EngineBuilder::new("sqlite://")
            .build_async()
            .expect("builds");
        {
            let mut conn = sqlite.connect().await.expect("checks out");
            conn.batch_execute("CREATE TABLE items (id INTEGER)")
                .await
                .expect("creates");
            conn.batch_execute("BEGIN; INSERT INTO items VALUES (1)")
                .await
                .expect("runs");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut conn = sqlite
            .connect()
            .await
            .expect("the shared in-memory connection");
        let n: i64 = conn
            .interact(|c| {
                c.raw()
                    .query_row("SELECT count(*) FROM items", [], |r| r.get(0))
            })
            .await
            .expect("the thread runs it")
            .expect("reads");
        assert_eq!(n, 0, "the open transaction was rolled back on return");
    });
    let Some(mut db) = harness::open_mysql() else {
        return;
    };
    philtre::connection::Connection::batch_execute(&mut *db, "CREATE TABLE items (id INTEGER)")
        .expect("creates");
    let (url, name) = db
        .server()
        .map(|(u, s)| (u.to_owned(), s.to_owned()))
        .expect("server");
    let url = format!(
        "{}/{name}",
        url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base)
    );
    runtime().block_on(async {
        let engine: AsyncEngine<AsyncMysqlConnection> = pool_of(&url, 1);
        {
            let mut conn = engine.connect().await.expect("checks out");
            conn.batch_execute("BEGIN").await.expect("begins");
            conn.batch_execute("INSERT INTO items VALUES (1)")
                .await
                .expect("inserts");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let mut conn = engine.connect().await.expect("the same connection, reset");
        use philtre_mysql::mysql_async::prelude::Queryable;
        let rows: Vec<Option<i64>> = conn
            .raw()
            .query("SELECT count(*) FROM items")
            .await
            .map_err(|e| e.to_string())
            .expect("reads");
        assert_eq!(rows, [Some(0)]);
    });
}

async fn backend_pid(conn: &mut AsyncPgConnection) -> String {
    let rows = conn
        .simple_query("SELECT pg_backend_pid()")
        .await
        .expect("answers");
    first_value(&rows).expect("one row")
}

fn first_value(rows: &[philtre_postgres::tokio_postgres::SimpleQueryMessage]) -> Option<String> {
    rows.iter().find_map(|m| match m {
        philtre_postgres::tokio_postgres::SimpleQueryMessage::Row(row) => {
            row.get(0).map(str::to_owned)
        }
        _ => None,
    })
}

#[test]
fn connection_listeners_run_on_connect_checkout_and_checkin() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let Some((_db, url)) = postgres_url() else {
        return;
    };
    let checkouts = Arc::new(AtomicUsize::new(0));
    let checkins = Arc::new(AtomicUsize::new(0));
    let refuse = Arc::new(std::sync::atomic::AtomicBool::new(false));
    runtime().block_on(async {
        let (out, back, no) = (checkouts.clone(), checkins.clone(), refuse.clone());
        let engine = EngineBuilder::<AsyncPgConnection>::new(&url)
            .pool_size(1)
            .max_overflow(0)
            .on_connect_async(|conn| {
                Box::pin(async move {
                    conn.batch_execute("SET application_name = 'philtre_hook'")
                        .await
                })
            })
            .on_checkout_async(move |_conn| {
                out.fetch_add(1, Ordering::SeqCst);
                let refused = no.load(Ordering::SeqCst);
                Box::pin(async move {
                    if refused {
                        Err(philtre::Error::new(ErrorKind::Other, "refused by the hook"))
                    } else {
                        Ok(())
                    }
                })
            })
            .on_checkin_async(move |_conn| {
                back.fetch_add(1, Ordering::SeqCst);
            })
            .build_async()
            .expect("builds");
        let pid = {
            let mut conn = engine.connect().await.expect("checks out");
            let rows = conn
                .simple_query("SHOW application_name")
                .await
                .expect("answers");
            assert_eq!(
                first_value(&rows).as_deref(),
                Some("philtre_hook"),
                "connect hook ran"
            );
            backend_pid(&mut conn).await
        };
        assert_eq!(
            (
                checkouts.load(Ordering::SeqCst),
                checkins.load(Ordering::SeqCst)
            ),
            (1, 1)
        );
        refuse.store(true, Ordering::SeqCst);
        let err = engine.connect().await.expect_err("the hook refuses");
        assert_eq!(err.message(), "refused by the hook");
        refuse.store(false, Ordering::SeqCst);
        let mut conn = engine.connect().await.expect("a new connection");
        assert_ne!(
            backend_pid(&mut conn).await,
            pid,
            "the refused connection was closed"
        );
    });
}
