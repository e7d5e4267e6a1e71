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
fn run<F>(body: F)
where
    F: Future<Output = philtre::QueryResult<()>> + Send + 'static,
{
    let outcome = runtime().block_on(async { tokio::spawn(body).await });
    match outcome {
        Ok(result) => result.expect("the test body succeeds"),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Test databases: the blocking harness creates and seeds a schema (and drops it at the end);
/// the async connection is opened onto it.
mod open {
    use super::*;

    pub async fn sqlite() -> Option<((), philtre_sqlite::AsyncSqliteConnection)> {
        let mut conn = philtre_sqlite::AsyncSqliteConnection::open(":memory:")
            .await
            .expect("in-memory SQLite opens");
        conn.interact(|c| philtre_tests::schema().create_all(c))
            .await
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
                        let Some((_db, mut conn)) = open::$backend().await else { return Ok(()) };
                        let $conn: &mut $conn_ty = &mut conn;
                        $body
                    });
                }
            )*
        }
    };
}

async_tests! {
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
