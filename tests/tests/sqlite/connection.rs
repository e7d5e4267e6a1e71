use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_sqlite::rusqlite::StatementStatus;
use philtre_tests::*;

type R = QueryResult<()>;

fn user_count(conn: &mut SqliteConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

#[test]
fn open_memory_path_and_url() -> R {
    let dir = std::env::temp_dir().join(format!("philtre-open-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
    let file = dir.join("test.db");
    let _ = std::fs::remove_file(&file);
    {
        let mut conn = SqliteConnection::open(file.to_str().expect("temp path is UTF-8"))?;
        conn.batch_execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (42);")?;
    }
    let url = format!("sqlite://{}", file.display());
    let conn = SqliteConnection::open(&url)?;
    let x: i64 = conn
        .raw()
        .query_row("SELECT x FROM t", [], |r| r.get(0))
        .map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
    assert_eq!(x, 42, "the URL opened the same file");
    drop(conn);
    let mut mem = SqliteConnection::open("sqlite::memory:")?;
    mem.batch_execute("CREATE TABLE t (x INTEGER)")?;
    std::fs::remove_dir_all(&dir).map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
    Ok(())
}

#[test]
fn transaction_commits_on_ok() -> R {
    let mut conn = connection();
    let id = conn.transaction(|conn| {
        insert_into(users::table)
            .values(users::name.eq("Ann"))
            .execute(conn)?;
        users::table.select(users::id).first::<i32>(conn)
    })?;
    assert_eq!(id, 1);
    assert_eq!(user_count(&mut conn)?, 1);
    assert_eq!(conn.transaction_depth().get(), 0);
    Ok(())
}

#[test]
fn transaction_rolls_back_on_err() -> R {
    let mut conn = connection();
    let result: Result<(), Error> = conn.transaction(|conn| {
        insert_into(users::table)
            .values(users::name.eq("Ann"))
            .execute(conn)?;
        Err(Error::new(ErrorKind::Other, "changed my mind"))
    });
    assert_eq!(
        result.map_err(|e| e.message().to_owned()),
        Err("changed my mind".to_owned())
    );
    assert_eq!(user_count(&mut conn)?, 0);
    Ok(())
}

#[test]
fn transaction_rolls_back_on_panic() -> R {
    let mut conn = connection();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _: Result<(), Error> = conn.transaction(|conn| {
            insert_into(users::table)
                .values(users::name.eq("Ann"))
                .execute(conn)?;
            panic!("boom");
        });
    }));
    assert!(outcome.is_err(), "the panic reaches the caller");
    assert_eq!(user_count(&mut conn)?, 0, "the insert was rolled back");
    assert_eq!(conn.transaction_depth().get(), 0);
    // The connection is usable afterwards.
    insert_into(users::table)
        .values(users::name.eq("Bob"))
        .execute(&mut conn)?;
    assert_eq!(user_count(&mut conn)?, 1);
    Ok(())
}

#[test]
fn nested_transactions_use_savepoints() -> R {
    let mut conn = connection();
    conn.transaction(|conn| {
        insert_into(users::table)
            .values(users::name.eq("outer"))
            .execute(conn)?;
        let inner: Result<(), Error> = conn.transaction(|conn| {
            assert_eq!(conn.transaction_depth().get(), 2);
            insert_into(users::table)
                .values(users::name.eq("inner"))
                .execute(conn)?;
            Err(Error::new(ErrorKind::Other, "inner fails"))
        });
        assert!(inner.is_err());
        conn.transaction(|conn| {
            insert_into(users::table)
                .values(users::name.eq("inner ok"))
                .execute(conn)
        })?;
        Ok::<_, Error>(())
    })?;
    let names: Vec<String> = users::table
        .select(users::name)
        .order(users::id)
        .load(&mut conn)?;
    assert_eq!(names, ["outer", "inner ok"]);
    Ok(())
}

#[test]
fn failed_statement_inside_transaction_rolls_everything_back() -> R {
    let mut conn = connection();
    let result = conn.transaction(|conn| {
        insert_into(users::table)
            .values(users::name.eq("Ann"))
            .execute(conn)?;
        // Violates CHECK (score >= 0).
        insert_into(users::table)
            .values((users::name.eq("Bad"), users::score.eq(-1)))
            .execute(conn)
    });
    assert_eq!(
        result.map_err(|e| e.kind()).err(),
        Some(ErrorKind::CheckViolation)
    );
    assert_eq!(user_count(&mut conn)?, 0);
    Ok(())
}

#[test]
fn static_query_is_rendered_once_and_prepared_once() -> R {
    let mut conn = seeded();
    let run = |conn: &mut SqliteConnection, min: i32| -> QueryResult<Vec<String>> {
        users::table
            .select(users::name)
            .filter(users::score.ge(min))
            .order(users::id)
            .load(conn)
    };
    let before = conn.cache_stats();
    assert_eq!(run(&mut conn, 2)?, ["Ann", "Cy"]);
    let after_first = conn.cache_stats();
    assert_eq!(after_first.renders, before.renders + 1);
    assert_eq!(run(&mut conn, 3)?, ["Ann"], "new values, same statement");
    let after_second = conn.cache_stats();
    assert_eq!(
        after_second.renders, after_first.renders,
        "not rendered again"
    );
    assert_eq!(after_second.type_hits, after_first.type_hits + 1);
    // The same prepared statement ran both times: SQLite counts its runs.
    let sql = philtre::query::debug_query::<philtre_sqlite::Sqlite, _>(
        &users::table
            .select(users::name)
            .filter(users::score.ge(0))
            .order(users::id),
    )
    .sql()
    .to_owned();
    let stmt = conn
        .raw()
        .prepare_cached(&sql)
        .map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
    assert_eq!(
        stmt.get_status(StatementStatus::Run),
        2,
        "prepared once, run twice"
    );
    Ok(())
}

#[test]
fn dynamic_sql_is_rendered_each_time_and_cache_can_be_off() -> R {
    let mut conn = seeded();
    let before = conn.cache_stats();
    for ids in [vec![1], vec![1, 2]] {
        let _: Vec<i32> = users::table
            .select(users::id)
            .filter(users::id.eq_any(ids))
            .load(&mut conn)?;
    }
    assert_eq!(
        conn.cache_stats().renders,
        before.renders + 2,
        "IN lists change the SQL"
    );
    conn.set_statement_cache_capacity(0);
    let n: i64 = users::table.count().get_result(&mut conn)?;
    let n2: i64 = users::table.count().get_result(&mut conn)?;
    assert_eq!((n, n2), (3, 3), "queries still run with the cache off");
    Ok(())
}
