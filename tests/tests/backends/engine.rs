//! The engine: a URL picks the backend, typed queries run through the any-backend connection,
//! and the pool keeps SQLAlchemy's QueuePool promises — reset on return, overflow, checkout
//! timeout, pre-ping, recycle, invalidation, dispose, NullPool, one shared `:memory:`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::targets::{Target, mysql_target, postgres_target, sqlite_target};
use philtre::prelude::*;
use philtre_engine::{AnyConnection, BackendKind, Engine, EngineBuilder, EngineConnection};
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_tests::*;

fn all_targets() -> Vec<Target> {
    let mut targets = vec![sqlite_target()];
    targets.extend(postgres_target());
    targets.extend(mysql_target());
    targets
}

fn server_targets() -> Vec<Target> {
    postgres_target()
        .into_iter()
        .chain(mysql_target())
        .collect()
}

/// The server's id for this session (0 on SQLite, which has none).
fn session_id(conn: &mut AnyConnection) -> QueryResult<i64> {
    match conn {
        AnyConnection::Postgres(pg) => {
            let pid: i32 = pg.run_async(async |c| {
                c.query_one("SELECT pg_backend_pid()", &[])
                    .await?
                    .try_get(0)
            })?;
            Ok(i64::from(pid))
        }
        AnyConnection::Mysql(my) => Ok(i64::from(my.connection_id())),
        AnyConnection::Sqlite(_) => Ok(0),
    }
}

/// Ends session `id` from a connection of its own.
fn kill_session(target: &Target, id: i64) {
    let done = match target.kind {
        BackendKind::Postgres => PgConnection::open(&target.url)
            .and_then(|mut c| c.batch_execute(&format!("SELECT pg_terminate_backend({id})"))),
        BackendKind::Mysql => MysqlConnection::open(&target.url)
            .and_then(|mut c| c.batch_execute(&format!("KILL {id}"))),
        BackendKind::Sqlite => Ok(()),
    };
    done.expect("the session can be ended");
    // Let the server finish ending it.
    std::thread::sleep(Duration::from_millis(50));
}

fn user_count(conn: &mut AnyConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

#[test]
fn the_url_scheme_picks_the_backend() -> QueryResult<()> {
    for target in all_targets() {
        let engine = philtre_engine::create_engine(&target.url)?;
        assert_eq!(engine.backend(), target.kind);
        let conn = engine.connect()?;
        assert_eq!(conn.kind(), target.kind);
    }
    // SQLAlchemy spellings, driver suffixes included.
    let engine = philtre_engine::create_engine("sqlite+pysqlite://")?;
    assert_eq!(engine.connect()?.kind(), BackendKind::Sqlite);
    if let Some(target) = postgres_target() {
        let url = target
            .url
            .replacen("postgres://", "postgresql+psycopg2://", 1);
        assert_eq!(
            philtre_engine::create_engine(&url)?.connect()?.kind(),
            BackendKind::Postgres
        );
    }
    if let Some(target) = mysql_target() {
        let url = target.url.replacen("mysql://", "mariadb+pymysql://", 1);
        assert_eq!(
            philtre_engine::create_engine(&url)?.connect()?.kind(),
            BackendKind::Mysql
        );
    }
    Ok(())
}

#[test]
fn typed_queries_run_through_the_any_backend_connection() -> QueryResult<()> {
    for target in all_targets() {
        let engine = philtre_engine::create_engine(&target.url)?;
        let mut conn = engine.connect()?;
        conn.create_all(&schema())?;
        let inserted = insert_into(users::table)
            .values(vec![
                (users::name.eq("ada"), users::score.eq(7)),
                (users::name.eq("bob"), users::score.eq(3)),
            ])
            .execute(&mut *conn)?;
        assert_eq!(inserted, 2, "{:?}", target.kind);
        let names: Vec<String> = users::table
            .select(users::name)
            .order(users::score.desc())
            .load(&mut *conn)?;
        assert_eq!(names, ["ada", "bob"], "{:?}", target.kind);
        let top: (String, i32) = users::table
            .select((users::name, users::score))
            .order(users::score.desc())
            .first(&mut *conn)?;
        assert_eq!(top, ("ada".to_owned(), 7));
        let changed = update(users::table.filter(users::name.eq("bob")))
            .set(users::score.eq(users::score + 10))
            .execute(&mut *conn)?;
        assert_eq!(changed, 1);
        let bob: i32 = users::table
            .filter(users::name.eq("bob"))
            .select(users::score)
            .get_result(&mut *conn)?;
        assert_eq!(bob, 13);
        // A transaction that fails leaves nothing behind, a savepoint undoes only its part.
        let failed: QueryResult<()> = conn.transaction(|conn| {
            insert_into(users::table)
                .values(users::name.eq("cy"))
                .execute(conn)?;
            Err(philtre::Error::new(ErrorKind::Other, "changed my mind"))
        });
        assert!(failed.is_err());
        conn.transaction(|conn| {
            insert_into(users::table)
                .values(users::name.eq("dee"))
                .execute(conn)?;
            let inner: QueryResult<()> = conn.transaction(|conn| {
                insert_into(users::table)
                    .values(users::name.eq("eve"))
                    .execute(conn)?;
                Err(philtre::Error::new(ErrorKind::Other, "inner only"))
            });
            assert!(inner.is_err());
            QueryResult::Ok(())
        })?;
        assert_eq!(user_count(&mut conn)?, 3, "{:?}", target.kind);
        let gone = delete(users::table.filter(users::name.eq("dee"))).execute(&mut *conn)?;
        assert_eq!(gone, 1);
        // The concrete connection is one `match` away.
        let concrete = match &mut *conn {
            AnyConnection::Postgres(pg) => insert_into(users::table)
                .values(users::name.eq("pg"))
                .returning(users::id)
                .get_result::<i32>(pg)
                .map(|_| BackendKind::Postgres)?,
            AnyConnection::Sqlite(_) => BackendKind::Sqlite,
            AnyConnection::Mysql(_) => BackendKind::Mysql,
        };
        assert_eq!(concrete, target.kind);
    }
    Ok(())
}

#[test]
fn a_single_backend_engine_refuses_another_backends_url() {
    let e = EngineBuilder::<PgConnection>::new("sqlite://")
        .build()
        .expect_err("a SQLite URL for a PostgreSQL engine");
    assert_eq!(e.kind(), ErrorKind::InvalidQuery);
    assert!(e.message().contains("names SQLite"), "{e}");
    let e = philtre_engine::create_engine("sqlite://?pool_size=many").expect_err("bad setting");
    assert!(e.message().contains("pool_size=many"), "{e}");
}

#[test]
fn engines_are_clone_send_and_sync() {
    static_assertions::assert_impl_all!(Engine: Clone, Send, Sync);
    static_assertions::assert_impl_all!(Engine<PgConnection>: Clone, Send, Sync);
}

/// A guard dropped inside a transaction its user began by hand: the pool rolls it back, so the
/// next user (the same connection: the pool holds one) sees nothing of it.
#[test]
fn a_connection_dropped_mid_transaction_comes_back_rolled_back() -> QueryResult<()> {
    for target in all_targets() {
        let engine = Engine::builder(&target.url)
            .pool_size(1)
            .max_overflow(0)
            .build()?;
        engine.connect()?.create_all(&schema())?;
        {
            let mut conn = engine.connect()?;
            let begin = if target.kind == BackendKind::Mysql {
                "START TRANSACTION"
            } else {
                "BEGIN"
            };
            conn.batch_execute(begin)?;
            insert_into(users::table)
                .values(users::name.eq("uncommitted"))
                .execute(&mut *conn)?;
            assert_eq!(user_count(&mut conn)?, 1);
        }
        let mut conn = engine.connect()?;
        assert_eq!(
            user_count(&mut conn)?,
            0,
            "{:?}: uncommitted row reached the next user",
            target.kind
        );
        // The connection is out of the transaction: what it writes now is kept.
        insert_into(users::table)
            .values(users::name.eq("kept"))
            .execute(&mut *conn)?;
        drop(conn);
        let mut other = AnyConnection::open(&target.url)?;
        assert_eq!(user_count(&mut other)?, 1, "{:?}", target.kind);
    }
    Ok(())
}

#[test]
fn a_panic_mid_transaction_rolls_back_and_the_pool_goes_on() -> QueryResult<()> {
    for target in all_targets() {
        let engine = Engine::builder(&target.url)
            .pool_size(1)
            .max_overflow(0)
            .build()?;
        engine.connect()?.create_all(&schema())?;
        let worker = engine.clone();
        let outcome = std::thread::spawn(move || {
            worker.begin(|conn| {
                insert_into(users::table)
                    .values(users::name.eq("doomed"))
                    .execute(conn)?;
                panic!("a bug mid-transaction");
                #[allow(unreachable_code)]
                QueryResult::Ok(())
            })
        })
        .join();
        assert!(outcome.is_err(), "the panic reaches the thread's caller");
        let mut conn = engine.connect()?;
        assert_eq!(user_count(&mut conn)?, 0, "{:?}", target.kind);
        assert_eq!(conn.transaction_depth().get(), 0);
    }
    Ok(())
}

#[test]
fn overflow_connections_close_when_they_come_back_to_a_full_pool() -> QueryResult<()> {
    for target in all_targets() {
        let engine = Engine::builder(&target.url)
            .pool_size(1)
            .max_overflow(2)
            .build()?;
        let held: Vec<_> = (0..3)
            .map(|_| engine.connect())
            .collect::<QueryResult<_>>()?;
        let status = engine.status();
        assert_eq!(
            (status.checked_out, status.overflow),
            (3, 2),
            "{:?}",
            target.kind
        );
        drop(held);
        let status = engine.status();
        assert_eq!(
            (status.checked_out, status.idle, status.overflow),
            (0, 1, 0),
            "{status:?}"
        );
    }
    Ok(())
}

#[test]
fn a_full_pool_times_out_with_its_own_error_kind() -> QueryResult<()> {
    for target in all_targets() {
        let engine = Engine::builder(&target.url)
            .pool_size(1)
            .max_overflow(0)
            .pool_timeout(Duration::from_millis(300))
            .build()?;
        let _held = engine.connect()?;
        let start = Instant::now();
        let e = engine
            .connect()
            .expect_err("the only connection is checked out");
        let waited = start.elapsed();
        assert_eq!(e.kind(), ErrorKind::PoolTimeout, "{e}");
        assert!(e.message().contains("pool_size 1 + max_overflow 0"), "{e}");
        assert!(
            waited >= Duration::from_millis(300) && waited < Duration::from_secs(3),
            "{waited:?}"
        );
        assert!(e.kind().is_retryable() || !e.kind().is_retryable());
    }
    Ok(())
}

#[test]
fn a_waiting_checkout_gets_the_connection_that_comes_back() -> QueryResult<()> {
    let target = sqlite_target();
    let engine = Engine::builder(&target.url)
        .pool_size(1)
        .max_overflow(0)
        .build()?;
    let held = engine.connect()?;
    let waiter = {
        let engine = engine.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            engine.connect().map(|_| start.elapsed())
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    drop(held);
    let waited = waiter.join().expect("no panic")?;
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    Ok(())
}

#[test]
fn a_failed_connect_is_reported_at_once_not_after_the_pool_timeout() -> QueryResult<()> {
    // Nothing listens on port 1 of the loopback address: the connect is refused at once.
    for url in [
        "postgres://postgres@127.0.0.1:1/test",
        "mysql://root@127.0.0.1:1/test",
    ] {
        let engine = Engine::builder(url)
            .pool_timeout(Duration::from_secs(30))
            .build()?;
        let start = Instant::now();
        let e = engine.connect().expect_err("nothing listens there");
        assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
    }
    let e = philtre_engine::create_engine("sqlite:////no/such/dir/x.db")?
        .connect()
        .expect_err("no such directory");
    assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
    Ok(())
}

/// A connection found broken invalidates every connection as old as it: the idle one that
/// was opened before is replaced at its next checkout, not handed out dead.
#[test]
fn a_disconnect_invalidates_the_older_connections() -> QueryResult<()> {
    for target in server_targets() {
        let engine = Engine::builder(&target.url).pool_size(2).build()?;
        let (mut first, mut second) = (engine.connect()?, engine.connect()?);
        let (first_id, second_id) = (session_id(&mut first)?, session_id(&mut second)?);
        drop(second);
        kill_session(&target, first_id);
        let e = first
            .batch_execute("SELECT 1")
            .expect_err("its session was ended");
        assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
        drop(first);
        // The idle second connection predates the failure: it is replaced too.
        let mut next = engine.connect()?;
        let next_id = session_id(&mut next)?;
        assert_ne!(next_id, first_id);
        assert_ne!(
            next_id, second_id,
            "{:?}: an older connection was reused",
            target.kind
        );
        next.batch_execute("SELECT 1")?;
    }
    Ok(())
}

#[test]
fn pre_ping_replaces_a_connection_that_died_while_idle() -> QueryResult<()> {
    for target in server_targets() {
        let engine = Engine::builder(&target.url)
            .pool_size(1)
            .pool_pre_ping(true)
            .pool_pre_ping_window(Duration::ZERO)
            .build()?;
        let dead_id = session_id(&mut *engine.connect()?)?;
        kill_session(&target, dead_id);
        let mut conn = engine.connect()?;
        assert_ne!(session_id(&mut conn)?, dead_id);
        conn.batch_execute("SELECT 1")?;

        // Without pre-ping the dead connection is handed out, and its first use says so.
        let engine = Engine::builder(&target.url).pool_size(1).build()?;
        let dead_id = session_id(&mut *engine.connect()?)?;
        kill_session(&target, dead_id);
        let e = engine
            .connect()?
            .batch_execute("SELECT 1")
            .expect_err("dead");
        assert_eq!(e.kind(), ErrorKind::Connection);
        // …and the pool replaces it after that.
        engine.connect()?.batch_execute("SELECT 1")?;
    }
    Ok(())
}

#[test]
fn recycle_and_dispose_replace_connections() -> QueryResult<()> {
    for target in server_targets() {
        let engine = Engine::builder(&target.url)
            .pool_size(1)
            .pool_recycle(Duration::from_millis(200))
            .build()?;
        let first = session_id(&mut *engine.connect()?)?;
        assert_eq!(
            session_id(&mut *engine.connect()?)?,
            first,
            "reused while young"
        );
        std::thread::sleep(Duration::from_millis(300));
        let second = session_id(&mut *engine.connect()?)?;
        assert_ne!(second, first, "{:?}: recycled when old", target.kind);

        let engine = Engine::builder(&target.url).pool_size(2).build()?;
        let before = session_id(&mut *engine.connect()?)?;
        assert_eq!(engine.status().idle, 1);
        engine.dispose();
        assert_eq!(engine.status().idle, 0, "idle connections closed");
        let after = session_id(&mut *engine.connect()?)?;
        assert_ne!(before, after);
    }
    Ok(())
}

#[test]
fn a_null_pool_opens_a_connection_per_checkout() -> QueryResult<()> {
    for target in server_targets() {
        let engine =
            Engine::builder(&format!("{}&poolclass=null", with_query(&target.url))).build()?;
        let first = session_id(&mut *engine.connect()?)?;
        let second = session_id(&mut *engine.connect()?)?;
        assert_ne!(first, second, "{:?}", target.kind);
        assert_eq!(engine.status().idle, 0);
    }
    Ok(())
}

/// `url` with a query string, so `&key=value` can follow.
fn with_query(url: &str) -> String {
    if url.contains('?') {
        url.to_owned()
    } else {
        format!("{url}?")
    }
}

#[test]
fn sqlite_memory_is_one_connection_shared_by_every_checkout() -> QueryResult<()> {
    let engine = philtre_engine::create_engine("sqlite://")?;
    engine.connect()?.create_all(&schema())?;
    engine.begin(|conn| {
        insert_into(users::table)
            .values(users::name.eq("ada"))
            .execute(conn)
    })?;
    let worker = engine.clone();
    let seen = std::thread::spawn(move || user_count(&mut *worker.connect()?))
        .join()
        .expect("no panic")?;
    assert_eq!(seen, 1, "another thread's checkout sees the same database");
    let status = engine.status();
    assert_eq!((status.size, status.max_overflow), (1, 0));
    Ok(())
}

#[test]
fn events_reach_their_listeners() -> QueryResult<()> {
    for target in all_targets() {
        let counters: Arc<[AtomicUsize; 9]> = Arc::new(Default::default());
        let count = |i: usize| {
            let counters = Arc::clone(&counters);
            move || {
                counters[i].fetch_add(1, Ordering::SeqCst);
            }
        };
        let (connect, checkout, checkin) = (count(0), count(1), count(2));
        let (before, after, error) = (count(3), count(4), count(5));
        let (begin, commit, rollback) = (count(6), count(7), count(8));
        let savepoints = Arc::new(AtomicUsize::new(0));
        let seen_savepoints = Arc::clone(&savepoints);
        let rows_seen = Arc::new(AtomicUsize::new(0));
        let rows = Arc::clone(&rows_seen);
        let engine = Engine::builder(&target.url)
            .pool_size(1)
            .on_connect(move |_| {
                connect();
                Ok(())
            })
            .on_checkout(move |_| {
                checkout();
                Ok(())
            })
            .on_checkin(move |_| checkin())
            .on_before_execute(move |sql, _| {
                assert!(!sql.is_empty());
                before()
            })
            .on_after_execute(move |done| {
                rows.fetch_add(done.rows.unwrap_or(0), Ordering::SeqCst);
                after()
            })
            .on_handle_error(move |_, e| {
                assert_eq!(e.kind(), ErrorKind::UniqueViolation);
                error()
            })
            .on_begin(move |depth| {
                if depth > 1 {
                    seen_savepoints.fetch_add(1, Ordering::SeqCst);
                }
                begin()
            })
            .on_commit(move |_| commit())
            .on_rollback(move |_| rollback())
            .build()?;
        engine.connect()?.create_all(&schema())?;
        let n = |i: usize| counters[i].load(Ordering::SeqCst);
        // create_all runs its DDL in a transaction where the database allows it.
        let ddl_transactions = n(6);
        engine.begin(|conn| {
            insert_into(users::table)
                .values((users::name.eq("ada"), users::email.eq("a@x")))
                .execute(conn)?;
            let duplicate: QueryResult<usize> = conn.transaction(|conn| {
                insert_into(users::table)
                    .values((users::name.eq("ada2"), users::email.eq("a@x")))
                    .execute(conn)
            });
            assert_eq!(
                duplicate.map_err(|e| e.kind()),
                Err(ErrorKind::UniqueViolation)
            );
            QueryResult::Ok(())
        })?;
        assert_eq!(n(0), 1, "{:?}: one connect", target.kind);
        assert_eq!((n(1), n(2)), (2, 2), "checkouts and checkins");
        assert!(n(3) >= 2 && n(4) >= 1, "before {} after {}", n(3), n(4));
        assert_eq!(n(5), 1, "one failed statement");
        let d = ddl_transactions;
        assert_eq!(
            (n(6), n(7), n(8)),
            (2 + d, 1 + d, 1),
            "begin, commit, rollback"
        );
        assert_eq!(savepoints.load(Ordering::SeqCst), 1);
        assert!(rows_seen.load(Ordering::SeqCst) >= 1);
    }
    Ok(())
}

#[test]
fn without_listeners_or_logging_connections_get_no_instrumentation() -> QueryResult<()> {
    let engine = philtre_engine::create_engine("sqlite://")?;
    assert!(engine.instrumentation().is_none());
    let engine = philtre_engine::create_engine("sqlite://?echo=true")?;
    assert!(engine.instrumentation().is_some());
    Ok(())
}

#[test]
fn the_isolation_level_setting_reaches_every_connection() -> QueryResult<()> {
    for target in server_targets() {
        let url = format!(
            "{}&isolation_level=REPEATABLE_READ",
            with_query(&target.url)
        );
        let engine = philtre_engine::create_engine(&url)?;
        let mut conn = engine.connect()?;
        let level: String = match &mut *conn {
            AnyConnection::Postgres(pg) => pg.run_async(async |c| {
                c.query_one("SHOW transaction_isolation", &[])
                    .await?
                    .try_get(0)
            })?,
            AnyConnection::Mysql(my) => {
                use philtre_mysql::mysql::prelude::Queryable;
                my.raw()
                    .query_first::<String, _>("SELECT @@SESSION.tx_isolation")
                    .map_err(|e| philtre::Error::new(ErrorKind::Other, e.to_string()))?
                    .unwrap_or_default()
            }
            AnyConnection::Sqlite(_) => unreachable!(),
        };
        assert_eq!(
            level.to_lowercase().replace('-', " "),
            "repeatable read",
            "{:?}",
            target.kind
        );
    }
    Ok(())
}

/// Keeps the static connection types in use, so an engine of one backend stays checked.
#[test]
fn a_single_backend_engine_hands_out_that_backends_connection() -> QueryResult<()> {
    if let Some(target) = mysql_target() {
        let engine = EngineBuilder::<MysqlConnection>::new(&target.url).build()?;
        let mut conn = engine.connect()?;
        schema().create_all(&mut *conn)?;
        insert_into(users::table)
            .values(users::name.eq("ada"))
            .execute(&mut *conn)?;
        let n: i64 = users::table.count().get_result(&mut *conn)?;
        assert_eq!(n, 1);
        assert!(conn.connection_id() > 0);
    }
    Ok(())
}

fn _engine_connection_is_implemented() {
    fn check<C: EngineConnection>() {}
    check::<AnyConnection>();
    check::<PgConnection>();
}

#[test]
fn one_checkout_at_a_time_opens_one_connection() -> QueryResult<()> {
    for target in all_targets() {
        let engine = philtre_engine::create_engine(&target.url)?;
        for _ in 0..20 {
            engine.connect()?.batch_execute("SELECT 1")?;
        }
        let status = engine.status();
        assert_eq!(
            (status.checked_out, status.idle),
            (0, 1),
            "{:?}: {status:?}",
            target.kind
        );
    }
    Ok(())
}

/// The guard runs statements itself: `&mut conn`, not only `&mut *conn`.
#[test]
fn statements_run_on_the_guard_itself() -> QueryResult<()> {
    for target in all_targets() {
        let engine = philtre_engine::create_engine(&target.url)?;
        let mut conn = engine.connect()?;
        conn.create_all(&schema())?;
        insert_into(users::table)
            .values(users::name.eq("ada"))
            .execute(&mut conn)?;
        insert_into(users::table)
            .values(vec![(users::name.eq("bob"),), (users::name.eq("cy"),)])
            .execute(&mut conn)?;
        let n: i64 = users::table.count().get_result(&mut conn)?;
        assert_eq!(n, 3, "{:?}", target.kind);
        let names: Vec<String> = users::table
            .select(users::name)
            .order(users::name)
            .load(&mut conn)?;
        assert_eq!(names, ["ada", "bob", "cy"]);
    }
    // A single-backend engine's guard is a `Connection`: generic code takes it as it is.
    fn count<C: Connection>(conn: &mut C) -> QueryResult<i64>
    where
        i64: philtre::types::FromSql<BigInt, C::Backend>,
    {
        users::table.count().get_result(conn)
    }
    let engine = EngineBuilder::<philtre_sqlite::SqliteConnection>::new("sqlite://").build()?;
    let mut conn = engine.connect()?;
    schema().create_all(&mut conn)?;
    conn.transaction(|conn| {
        insert_into(users::table)
            .values(users::name.eq("ada"))
            .execute(conn)
    })?;
    assert_eq!(count(&mut conn)?, 1);
    Ok(())
}

/// Relationships load through an engine's pooled connection whatever the backend, with the
/// same statements (PostgreSQL's key array included).
#[test]
fn relationships_load_through_a_pooled_any_connection() -> QueryResult<()> {
    use philtre::orm::{LoadDsl, LoadWithDsl, RelationDsl, children, parent};
    for target in all_targets() {
        let engine = philtre_engine::create_engine(&target.url)?;
        let mut conn = engine.connect()?;
        conn.create_all(&schema())?;
        conn.batch_execute(
            "INSERT INTO users (id, name, score) VALUES (1, 'ann', 0), (2, 'bob', 0), (3, 'cy', 0);
             INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c');",
        )?;
        let posts = children(posts::user_id).order_by(posts::id);
        let users = users::table
            .order(users::id)
            .select(User::as_select())
            .load_with::<User>(posts.selectin::<Post>(), &mut conn)?;
        let counts: Vec<usize> = users.iter().map(|u| u.related(posts).len()).collect();
        assert_eq!(counts, [2, 1, 0], "{:?}", target.kind);
        let author = parent(posts::user_id);
        let loaded = posts::table
            .order(posts::id)
            .select(Post::as_select())
            .load_with::<Post>(author.joined::<User>(), &mut conn)?;
        assert_eq!(loaded[2].related(author).name, "bob", "{:?}", target.kind);
    }
    Ok(())
}
