//! The async connections: the same statements as the blocking ones, awaited; transactions that
//! roll back on error, on panic and when their future is dropped; what a dropped statement
//! future leaves behind. Each body runs in `tokio::spawn` on a multi-thread runtime, which also
//! proves its futures `Send`.

use std::time::Duration;

use philtre::async_prelude::*;
use philtre_tests::harness::{self, Dialect};
use philtre_tests::{posts, users};

/// A multi-thread runtime, as a service has.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime starts")
}

/// Runs `body` as a spawned task, so that its future must be `Send`.
pub(super) fn run<F>(body: F)
where
    F: Future<Output = philtre::QueryResult<()>> + Send + 'static,
{
    let outcome = runtime().block_on(async { tokio::spawn(body).await });
    match outcome {
        Ok(result) => result.expect("the test body succeeds"),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Drops a test database (a blocking connection's `DROP SCHEMA`) off the runtime's workers.
pub(super) async fn release<D: Send + 'static>(db: D) {
    tokio::task::spawn_blocking(move || drop(db))
        .await
        .expect("cleans up");
}

/// Test databases: the blocking harness creates and seeds a schema (and drops it at the end);
/// the async connection is opened onto it.
pub(super) mod open {
    use super::*;

    pub async fn sqlite() -> Option<((), philtre_sqlite::AsyncSqliteConnection)> {
        let mut conn = philtre_sqlite::AsyncSqliteConnection::open(":memory:")
            .await
            .expect("in-memory SQLite opens");
        conn.interact(|c| philtre_tests::schema().create_all(c))
            .await
            .expect("the thread runs it")
            .expect("the schema is valid");
        conn.batch_execute(&harness::seed_sql(Dialect::Sqlite))
            .await
            .expect("seed rows go in");
        Some(((), conn))
    }

    pub async fn postgres() -> Option<(
        harness::TestDb<philtre_postgres::PgConnection>,
        philtre_postgres::AsyncPgConnection,
    )> {
        let mut db = tokio::task::spawn_blocking(harness::open_postgres)
            .await
            .expect("opens")?;
        let (url, schema) = db.server().map(|(u, s)| (u.to_owned(), s.to_owned()))?;
        harness::postgres::seed(&mut db).expect("seed rows go in");
        let mut conn = philtre_postgres::AsyncPgConnection::open(&url)
            .await
            .expect("the server answers");
        conn.batch_execute(&format!("SET search_path TO {schema}"))
            .await
            .expect("the schema exists");
        Some((db, conn))
    }

    pub async fn mysql() -> Option<(
        harness::TestDb<philtre_mysql::MysqlConnection>,
        philtre_mysql::AsyncMysqlConnection,
    )> {
        let mut db = tokio::task::spawn_blocking(harness::open_mysql)
            .await
            .expect("opens")?;
        let (url, name) = db.server().map(|(u, s)| (u.to_owned(), s.to_owned()))?;
        harness::mysql::seed(&mut db).expect("seed rows go in");
        let mut conn = philtre_mysql::AsyncMysqlConnection::open(&url)
            .await
            .expect("the server answers");
        conn.batch_execute(&format!("USE {name}"))
            .await
            .expect("the database exists");
        Some((db, conn))
    }
}

/// One test per backend for each body; in a body `conn` is the async connection and
/// `DIALECT` the dialect.
macro_rules! async_tests {
    ($( fn $name:ident($conn:ident) $body:block )*) => {
        async_tests!(@backend sqlite, philtre_sqlite::AsyncSqliteConnection, Dialect::Sqlite; $( fn $name($conn) $body )*);
        async_tests!(@backend postgres, philtre_postgres::AsyncPgConnection, Dialect::Postgres; $( fn $name($conn) $body )*);
        async_tests!(@backend mysql, philtre_mysql::AsyncMysqlConnection, Dialect::Mysql; $( fn $name($conn) $body )*);
    };
    (@backend $backend:ident, $conn_ty:ty, $dialect:expr; $( fn $name:ident($conn:ident) $body:block )*) => {
        mod $backend {
            #[allow(unused_imports)]
            use super::*;
            #[allow(dead_code)]
            const DIALECT: Dialect = $dialect;
            $(
                #[test]
                fn $name() {
                    run(async {
                        let Some((db, mut conn)) = open::$backend().await else { return Ok(()) };
                        let outcome = async {
                            let $conn: &mut $conn_ty = &mut conn;
                            $body
                        }
                        .await;
                        // The test database is dropped with a blocking connection: off the
                        // runtime's workers, after the async connection is gone.
                        drop(conn);
                        release(db).await;
                        outcome
                    });
                }
            )*
        }
    };
}

async_tests! {
    fn a_schema_translate_map_applies_to_every_statement(conn) {
        use philtre::schema::SchemaTranslateMap;
        let current: String = match DIALECT {
            Dialect::Sqlite => "main".to_owned(),
            Dialect::Postgres => select(sql::<Text>("current_schema()")).get_result(conn).await?,
            Dialect::Mysql => select(sql::<Text>("DATABASE()")).get_result(conn).await?,
        };
        // Warm the statement cache first: the map must not be bypassed by cached SQL.
        assert_eq!(users::table.count().get_result::<i64>(conn).await?, 3);
        conn.set_schema_translate_map(Some(SchemaTranslateMap::new().map(None, &current)));
        assert_eq!(users::table.count().get_result::<i64>(conn).await?, 3);
        conn.set_schema_translate_map(Some(SchemaTranslateMap::new().map(None, "philtre_no_such_schema")));
        let missing = users::table.count().get_result::<i64>(conn).await;
        assert!(missing.is_err(), "the map sends the statement to a schema that does not exist");
        conn.set_schema_translate_map(None);
        assert_eq!(users::table.count().get_result::<i64>(conn).await?, 3);
        Ok(())
    }

    fn reads_writes_and_counts_as_the_blocking_connection_does(conn) {
        let names: Vec<String> = users::table
            .select(users::name)
            .order(users::id)
            .load(conn)
            .await?;
        assert_eq!(names, ["Ann", "Bob", "Cy"]);

        let best: (i32, String) = users::table
            .select((users::id, users::name))
            .order(users::score.desc())
            .first(conn)
            .await?;
        assert_eq!(best, (1, "Ann".to_owned()));

        let missing = users::table
            .select(users::name)
            .filter(users::id.eq(99))
            .get_result::<String>(conn)
            .await;
        assert_eq!(missing.expect_err("no row").kind(), ErrorKind::NotFound);

        let inserted = insert_into(users::table)
            .values((users::name.eq("Dee"), users::score.eq(7)))
            .execute(conn)
            .await?;
        assert_eq!(inserted, 1);

        // Rows matched, not rows changed: Bob's score is already 1.
        let updated = update(users::table)
            .set(users::score.eq(1))
            .filter(users::id.le(2))
            .execute(conn)
            .await?;
        assert_eq!(updated, 2);

        let posts_of_ann: i64 = posts::table
            .filter(posts::user_id.eq(1))
            .select(count_star())
            .get_result(conn)
            .await?;
        assert_eq!(posts_of_ann, 2);

        let deleted = delete(posts::table).filter(posts::user_id.eq(1)).execute(conn).await?;
        assert_eq!(deleted, 2);

        let total: i64 = users::table.select(count_star()).get_result(conn).await?;
        assert_eq!(total, 4);
        Ok(())
    }

    fn a_multi_row_insert_from_a_slice_runs_as_on_a_blocking_connection(conn) {
        // Rows leaving different columns to their defaults: one statement where the database
        // has DEFAULT in VALUES, groups of alike rows in one transaction on SQLite.
        let rows = vec![
            philtre_tests::NewUser { name: "D", email: None, score: Some(4) },
            philtre_tests::NewUser { name: "E", email: Some("e@x"), score: None },
            philtre_tests::NewUser { name: "F", email: None, score: None },
        ];
        let inserted = insert_into(users::table).values(&rows).execute(conn).await?;
        assert_eq!(inserted, 3);
        let stored: Vec<(String, Option<String>, i32)> = users::table
            .filter(users::id.gt(3))
            .order(users::id)
            .select((users::name, users::email, users::score))
            .load(conn)
            .await?;
        assert_eq!(
            stored,
            [
                ("D".to_owned(), None, 4),
                ("E".to_owned(), Some("e@x".to_owned()), 0),
                ("F".to_owned(), None, 0),
            ]
        );
        Ok(())
    }

    fn rows_stream_one_at_a_time(conn) {
        // More rows than a SQLite stream's channel holds, so its thread waits for the reader.
        for i in 0..600 {
            insert_into(posts::table)
                .values((posts::user_id.eq(1 + i % 3), posts::title.eq(format!("t{i}"))))
                .execute(conn)
                .await?;
        }
        let mut stream = posts::table
            .select((posts::id, posts::title))
            .order(posts::id)
            .stream::<(i32, String)>(conn)
            .await?;
        let mut seen = 0;
        let mut last = 0;
        while let Some(row) = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(std::pin::Pin::new(&mut stream), cx)
        })
        .await
        {
            let (id, _) = row?;
            assert!(id > last, "in order");
            last = id;
            seen += 1;
        }
        drop(stream);
        assert_eq!(seen, 603);
        assert!(!conn.is_broken(), "a stream read to its end leaves the connection as it was");

        // A stream dropped half-way: SQLite stops reading and stays usable; PostgreSQL and
        // MySQL did not read the answer to its end, so the connection is discarded.
        let mut stream = posts::table.select(posts::id).stream::<i32>(conn).await?;
        let first = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(std::pin::Pin::new(&mut stream), cx)
        })
        .await;
        assert!(matches!(first, Some(Ok(_))));
        drop(stream);
        match DIALECT {
            Dialect::Sqlite => {
                let n: i64 = posts::table.count().get_result(conn).await?;
                assert_eq!(n, 603);
            }
            _ => {
                assert!(conn.is_broken());
                let next = posts::table.count().get_result::<i64>(conn).await;
                assert_eq!(next.expect_err("discarded").kind(), ErrorKind::Connection);
            }
        }
        Ok(())
    }

    fn a_transaction_commits_on_ok_and_rolls_back_on_err(conn) {
        conn.transaction(async |conn| {
            insert_into(users::table)
                .values((users::name.eq("Kept"), users::score.eq(1)))
                .execute(conn)
                .await?;
            Ok::<_, philtre::Error>(())
        })
        .await?;
        let failed: Result<(), philtre::Error> = conn
            .transaction(async |conn| {
                insert_into(users::table)
                    .values((users::name.eq("Lost"), users::score.eq(1)))
                    .execute(conn)
                    .await?;
                Err(philtre::Error::new(ErrorKind::Other, "changed my mind"))
            })
            .await;
        assert_eq!(failed.expect_err("rolled back").message(), "changed my mind");
        let names: Vec<String> = users::table
            .select(users::name)
            .filter(users::id.gt(3))
            .load(conn)
            .await?;
        assert_eq!(names, ["Kept"]);
        assert_eq!(conn.transactions().depth(), 0);
        Ok(())
    }

    fn a_nested_transaction_rolls_back_only_its_own_work(conn) {
        conn.transaction(async |conn| {
            insert_into(users::table)
                .values((users::name.eq("Outer"), users::score.eq(1)))
                .execute(conn)
                .await?;
            let inner: Result<(), philtre::Error> = conn
                .transaction(async |conn| {
                    assert_eq!(conn.transactions().depth(), 2);
                    insert_into(users::table)
                        .values((users::name.eq("Inner"), users::score.eq(1)))
                        .execute(conn)
                        .await?;
                    Err(philtre::Error::new(ErrorKind::Other, "inner fails"))
                })
                .await;
            assert!(inner.is_err());
            Ok::<_, philtre::Error>(())
        })
        .await?;
        let names: Vec<String> = users::table
            .select(users::name)
            .filter(users::id.gt(3))
            .load(conn)
            .await?;
        assert_eq!(names, ["Outer"]);
        Ok(())
    }

    fn a_transaction_whose_future_is_dropped_is_rolled_back_before_the_next_call(conn) {
        let abandoned = tokio::time::timeout(
            Duration::from_millis(100),
            conn.transaction(async |conn| {
                insert_into(users::table)
                    .values((users::name.eq("Dropped"), users::score.eq(1)))
                    .execute(conn)
                    .await?;
                // The client goes away here.
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok::<_, philtre::Error>(())
            }),
        )
        .await;
        assert!(abandoned.is_err(), "the timeout fired");
        assert_eq!(conn.transactions().abandoned(), Some(1));
        assert!(!conn.is_broken(), "no statement was cut off: the connection is usable");
        // The next statement rolls the abandoned transaction back first, and runs outside it.
        let names: Vec<String> = users::table
            .select(users::name)
            .filter(users::name.eq("Dropped"))
            .load(conn)
            .await?;
        assert!(names.is_empty(), "nothing of the dropped transaction was kept");
        assert_eq!(conn.transactions().depth(), 0);
        assert_eq!(conn.transactions().abandoned(), None);
        insert_into(users::table)
            .values((users::name.eq("After"), users::score.eq(1)))
            .execute(conn)
            .await?;
        let total: i64 = users::table.select(count_star()).get_result(conn).await?;
        assert_eq!(total, 4, "work after the rollback is kept, outside any transaction");

        // Raw SQL after an abandoned transaction runs outside it too, and is kept.
        let _ = tokio::time::timeout(
            Duration::from_millis(50),
            conn.transaction(async |conn| {
                conn.batch_execute("DELETE FROM posts").await?;
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok::<_, philtre::Error>(())
            }),
        )
        .await;
        conn.batch_execute("INSERT INTO users (name, score) VALUES ('Raw', 1)").await?;
        let names: Vec<String> = users::table
            .select(users::name)
            .filter(users::name.eq("Raw"))
            .load(conn)
            .await?;
        assert_eq!(names, ["Raw"]);
        let posts: i64 = posts::table.count().get_result(conn).await?;
        assert_eq!(posts, 3, "the abandoned DELETE was rolled back");
        Ok(())
    }

    fn a_panic_inside_a_transaction_rolls_it_back(conn) {
        let outcome = {
            let attempt = std::panic::AssertUnwindSafe(conn.transaction(async |conn| {
                insert_into(users::table)
                    .values((users::name.eq("Panicked"), users::score.eq(1)))
                    .execute(conn)
                    .await?;
                if conn.transactions().depth() == 1 {
                    panic!("a bug in the handler");
                }
                Ok::<_, philtre::Error>(())
            }));
            futures_catch_unwind(attempt).await
        };
        assert!(outcome.is_err(), "the panic came through");
        let names: Vec<String> = users::table
            .select(users::name)
            .filter(users::name.eq("Panicked"))
            .load(conn)
            .await?;
        assert!(names.is_empty());
        Ok(())
    }
}

/// Polls `future`, catching a panic in it (what a task boundary does).
async fn futures_catch_unwind<F: Future>(
    future: std::panic::AssertUnwindSafe<F>,
) -> std::thread::Result<F::Output> {
    let mut future = std::pin::pin!(future.0);
    std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(value)) => std::task::Poll::Ready(Ok(value)),
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        }
    })
    .await
}

/// A statement whose future is dropped mid-answer (a `timeout` fired) leaves a PostgreSQL
/// connection broken — never handed on with an answer half read — and the server stops the
/// statement once the connection is dropped.
#[test]
fn postgres_statement_cut_off_by_a_timeout_breaks_the_connection_and_is_cancelled() {
    run(async {
        let Some((db, mut conn)) = open::postgres().await else {
            return Ok(());
        };
        let marker = format!("SELECT pg_sleep(5) -- {}", harness::unique_name());
        let cut =
            tokio::time::timeout(Duration::from_millis(200), conn.batch_execute(&marker)).await;
        assert!(cut.is_err(), "the timeout fired first");
        assert!(
            conn.is_broken(),
            "an interrupted connection says it is broken"
        );
        let next = users::table
            .select(users::name)
            .load::<String>(&mut conn)
            .await;
        assert_eq!(next.expect_err("refused").kind(), ErrorKind::Connection);
        drop(conn);
        // The server was asked to cancel the statement: it is gone well before its 5 s.
        let (url, _) = db
            .server()
            .map(|(u, s)| (u.to_owned(), s.to_owned()))
            .expect("server");
        let still_running = tokio::task::spawn_blocking(move || {
            let mut watcher = philtre_postgres::PgConnection::open(&url).expect("opens");
            for _ in 0..40 {
                let rows = watcher
                    .simple_query(&format!(
                        "SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query = '{}'",
                        marker.replace('\'', "''")
                    ))
                    .expect("reads pg_stat_activity");
                let active = rows.iter().any(|m| {
                    matches!(
                        m,
                        philtre_postgres::tokio_postgres::SimpleQueryMessage::Row(_)
                    )
                });
                if !active {
                    return false;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            true
        })
        .await
        .expect("the watcher runs");
        assert!(
            !still_running,
            "the cut-off statement was cancelled on the server"
        );
        Ok(())
    });
}

/// The same on MySQL: the connection is broken, so a pool discards it.
#[test]
fn mysql_statement_cut_off_by_a_timeout_breaks_the_connection() {
    run(async {
        let Some((_db, mut conn)) = open::mysql().await else {
            return Ok(());
        };
        let cut = tokio::time::timeout(
            Duration::from_millis(200),
            conn.batch_execute("SELECT SLEEP(5)"),
        )
        .await;
        assert!(cut.is_err(), "the timeout fired first");
        assert!(conn.is_broken());
        let next = users::table
            .select(users::name)
            .load::<String>(&mut conn)
            .await;
        assert_eq!(next.expect_err("refused").kind(), ErrorKind::Connection);
        Ok(())
    });
}

/// On SQLite the statement runs to its end on the connection's thread, so the connection is
/// never left mid-answer: it stays usable, and the next answer is its own.
#[test]
fn sqlite_statement_cut_off_by_a_timeout_leaves_the_connection_usable() {
    run(async {
        let Some(((), mut conn)) = open::sqlite().await else {
            return Ok(());
        };
        let slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) \
                    SELECT count(*) FROM n";
        let cut = tokio::time::timeout(Duration::from_millis(1), conn.batch_execute(slow)).await;
        assert!(cut.is_err(), "the timeout fired first");
        assert!(!conn.is_broken());
        let names: Vec<String> = users::table
            .select(users::name)
            .order(users::id)
            .load(&mut conn)
            .await?;
        assert_eq!(names, ["Ann", "Bob", "Cy"]);
        Ok(())
    });
}

/// The blocking PostgreSQL connection inside a tokio task: it works (each call blocks the
/// task's worker, on a helper thread), and opening, failing and dropping it never panics —
/// on a multi-thread runtime and on a current-thread one.
#[test]
fn blocking_postgres_connection_works_inside_a_tokio_runtime() {
    let Ok(url) = std::env::var("PHILTRE_POSTGRES_URL") else {
        println!("PostgreSQL tests skipped: PHILTRE_POSTGRES_URL is not set");
        return;
    };
    let body = |url: String| async move {
        use philtre::prelude::Connection;
        let mut conn = philtre_postgres::PgConnection::open(&url)?;
        conn.batch_execute("CREATE TEMPORARY TABLE t (id INTEGER)")?;
        conn.transaction(|conn| conn.batch_execute("INSERT INTO t VALUES (1), (2)"))?;
        let rows = conn.simple_query("SELECT count(*) FROM t")?;
        let count = rows.iter().find_map(|m| match m {
            philtre_postgres::tokio_postgres::SimpleQueryMessage::Row(row) => {
                row.get(0).map(str::to_owned)
            }
            _ => None,
        });
        assert_eq!(count.as_deref(), Some("2"));
        let failed = conn.batch_execute("SELECT * FROM no_such_table");
        assert!(failed.is_err());
        let cancel = conn.cancel_handle();
        cancel.cancel()?;
        drop(conn);
        // A connect that fails, inside the runtime, is an error, not a panic.
        let refused = philtre_postgres::PgConnection::open("postgres://nobody@127.0.0.1:1/none");
        assert_eq!(
            refused.expect_err("nothing listens").kind(),
            ErrorKind::Connection
        );
        Ok::<_, philtre::Error>(())
    };
    let task = body(url.clone());
    runtime()
        .block_on(async { tokio::spawn(task).await })
        .expect("no panic")
        .expect("works on a multi-thread runtime");
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime starts")
        .block_on(body(url))
        .expect("works on a current-thread runtime");
}

/// One test per backend for each body, on an async connection to a fresh database where the
/// calling module's `schema()` was created; in a body `conn` is the connection.
macro_rules! async_schema_tests {
    ($( fn $name:ident($conn:ident) $body:block )*) => {
        async_schema_tests!(@backend sqlite, philtre_sqlite::AsyncSqliteConnection; $( fn $name($conn) $body )*);
        async_schema_tests!(@backend postgres, philtre_postgres::AsyncPgConnection; $( fn $name($conn) $body )*);
        async_schema_tests!(@backend mysql, philtre_mysql::AsyncMysqlConnection; $( fn $name($conn) $body )*);
    };
    (@backend $backend:ident, $conn_ty:ty; $( fn $name:ident($conn:ident) $body:block )*) => {
        mod $backend {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $name() {
                    crate::backends::async_connections::run(async {
                        let Some((db, mut conn)) =
                            crate::backends::async_connections::open::$backend().await
                        else {
                            return Ok(());
                        };
                        schema().create_all_async(&mut conn).await?;
                        let outcome = async {
                            let $conn: &mut $conn_ty = &mut conn;
                            $body
                        }
                        .await;
                        // The test database is dropped with a blocking connection: off the
                        // runtime's workers, after the async connection is gone.
                        drop(conn);
                        crate::backends::async_connections::release(db).await;
                        outcome
                    });
                }
            )*
        }
    };
}
pub(super) use async_schema_tests;
