use philtre::prelude::*;
use philtre_tests::*;

#[test]
fn sqlite_opens_memory_path_and_url() -> QueryResult<()> {
    use philtre_sqlite::SqliteConnection;
    let io = |e: std::io::Error| Error::new(ErrorKind::Other, e.to_string());
    let dir = std::env::temp_dir().join(format!("philtre-open-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(io)?;
    let file = dir.join("test.db");
    let _ = std::fs::remove_file(&file);
    {
        let mut conn = SqliteConnection::open(file.to_str().expect("temp path is UTF-8"))?;
        conn.batch_execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (42);")?;
    }
    // SQLAlchemy's spelling: three slashes, then the absolute path's own.
    let conn = SqliteConnection::open(&format!("sqlite:///{}", file.display()))?;
    let x: i64 = conn
        .raw()
        .query_row("SELECT x FROM t", [], |r| r.get(0))
        .map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
    assert_eq!(x, 42, "the URL opened the same file");
    drop(conn);
    let mut mem = SqliteConnection::open("sqlite::memory:")?;
    mem.batch_execute("CREATE TABLE t (x INTEGER)")?;
    std::fs::remove_dir_all(&dir).map_err(io)?;
    Ok(())
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn transaction_commits_on_ok(conn) {
    let id = conn.transaction(|conn| {
        insert_into(users::table).values(users::name.eq("Ann")).execute(conn)?;
        users::table.select(users::id).first::<i32>(conn)
    })?;
    assert_eq!(id, 1);
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 1);
    assert_eq!(conn.transaction_depth().get(), 0);
    Ok(())
}

fn transaction_rolls_back_on_err(conn) {
    let result: Result<(), Error> = conn.transaction(|conn| {
        insert_into(users::table).values(users::name.eq("Ann")).execute(conn)?;
        Err(Error::new(ErrorKind::Other, "changed my mind"))
    });
    assert_eq!(result.map_err(|e| e.message().to_owned()), Err("changed my mind".to_owned()));
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 0);
    Ok(())
}

fn transaction_rolls_back_on_panic(conn) {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _: Result<(), Error> = conn.transaction(|conn| {
            insert_into(users::table).values(users::name.eq("Ann")).execute(conn)?;
            panic!("boom");
        });
    }));
    assert!(outcome.is_err(), "the panic reaches the caller");
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 0, "the insert was rolled back");
    assert_eq!(conn.transaction_depth().get(), 0);
    insert_into(users::table).values(users::name.eq("Bob")).execute(conn)?;
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 1, "the connection is usable afterwards");
    Ok(())
}

fn nested_transactions_use_savepoints(conn) {
    conn.transaction(|conn| {
        insert_into(users::table).values(users::name.eq("outer")).execute(conn)?;
        let inner: Result<(), Error> = conn.transaction(|conn| {
            assert_eq!(conn.transaction_depth().get(), 2);
            insert_into(users::table).values(users::name.eq("inner")).execute(conn)?;
            Err(Error::new(ErrorKind::Other, "inner fails"))
        });
        assert!(inner.is_err());
        conn.transaction(|conn| insert_into(users::table).values(users::name.eq("inner ok")).execute(conn))?;
        Ok::<_, Error>(())
    })?;
    let names: Vec<String> = users::table.select(users::name).order(users::id).load(conn)?;
    assert_eq!(names, ["outer", "inner ok"]);
    Ok(())
}

fn failed_statement_inside_transaction_rolls_everything_back(conn) {
    let result = conn.transaction(|conn| {
        insert_into(users::table).values(users::name.eq("Ann")).execute(conn)?;
        // Violates CHECK (score >= 0).
        insert_into(users::table).values((users::name.eq("Bad"), users::score.eq(-1))).execute(conn)
    });
    assert_eq!(result.map_err(|e| e.kind()).err(), Some(ErrorKind::CheckViolation));
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 0);
    Ok(())
}

fn static_query_is_rendered_once(conn) {
    seed(conn)?;
    fn run(conn: &mut Conn, min: i32) -> QueryResult<Vec<String>> {
        users::table.select(users::name).filter(users::score.ge(min)).order(users::id).load(conn)
    }
    let before = conn.renders();
    assert_eq!(run(conn, 2)?, ["Ann", "Cy"]);
    assert_eq!(conn.renders(), before + 1);
    assert_eq!(run(conn, 3)?, ["Ann"], "new values, same statement");
    assert_eq!(conn.renders(), before + 1, "not rendered again");
    Ok(())
}

fn dynamic_sql_is_rendered_each_time(conn) {
    seed(conn)?;
    let before = conn.renders();
    for ids in [vec![1], vec![1, 2]] {
        let found: Vec<i32> = users::table.select(users::id).filter(users::id.eq_any(&ids)).load(conn)?;
        assert_eq!(found.len(), ids.len());
    }
    assert_eq!(conn.renders(), before + 2, "IN lists change the SQL");
    Ok(())
}

fn sql_that_depends_on_counts_is_rendered_once_per_count(conn) {
    seed(conn)?;
    let before = conn.renders();
    for ids in [vec![1, 2], vec![3, 1], vec![2]] {
        let found: Vec<i32> = users::table.select(users::id).filter(users::id.eq_any(&ids)).load(conn)?;
        assert_eq!(found.len(), ids.len());
    }
    assert_eq!(conn.renders(), before + 2, "two lengths of IN list, two renders");
    let rows = |names: &[&'static str]| -> Vec<NewUser<'static>> {
        names.iter().map(|name| NewUser { name, email: None, score: Some(1) }).collect()
    };
    let before = conn.renders();
    insert_into(users::table).values(&rows(&["D", "E"])).execute(conn)?;
    insert_into(users::table).values(&rows(&["F", "G"])).execute(conn)?;
    assert_eq!(conn.renders(), before + 1, "same columns, same row count: rendered once");
    insert_into(users::table).values(&rows(&["H", "I", "J"])).execute(conn)?;
    assert_eq!(conn.renders(), before + 2);
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 10);
    Ok(())
}
}

mod prepared_once {
    use super::*;

    #[test]
    fn sqlite_statement_is_prepared_once_and_cache_can_be_off() -> QueryResult<()> {
        use philtre_sqlite::rusqlite::StatementStatus;
        let Some(mut db) = philtre_tests::harness::open_sqlite() else {
            return Ok(());
        };
        let query = || {
            users::table
                .select(users::name)
                .filter(users::score.ge(0))
                .order(users::id)
        };
        let _: Vec<String> = query().load(&mut *db)?;
        let _: Vec<String> = query().load(&mut *db)?;
        let sql = debug_query::<philtre_sqlite::Sqlite, _>(&query())
            .sql()
            .to_owned();
        let stmt = db
            .raw()
            .prepare_cached(&sql)
            .map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
        assert_eq!(
            stmt.get_status(StatementStatus::Run),
            2,
            "prepared once, run twice"
        );
        drop(stmt);
        db.set_statement_cache_capacity(0);
        let n: i64 = users::table.count().get_result(&mut *db)?;
        let n2: i64 = users::table.count().get_result(&mut *db)?;
        assert_eq!((n, n2), (0, 0), "queries still run with the cache off");
        Ok(())
    }

    #[test]
    fn postgres_statement_is_prepared_once_and_cache_can_be_off() -> QueryResult<()> {
        let Some(mut db) = philtre_tests::harness::open_postgres() else {
            return Ok(());
        };
        let prepared = |db: &mut philtre_postgres::PgConnection| -> QueryResult<i64> {
            db.run_async(async |client| {
                client
                    .query_one("SELECT count(*) FROM pg_prepared_statements", &[])
                    .await?
                    .try_get(0)
            })
        };
        let _: Vec<String> = users::table
            .select(users::name)
            .filter(users::score.ge(0))
            .load(&mut *db)?;
        let after_first = prepared(&mut db)?;
        let _: Vec<String> = users::table
            .select(users::name)
            .filter(users::score.ge(1))
            .load(&mut *db)?;
        assert_eq!(
            prepared(&mut db)?,
            after_first,
            "the second run prepared nothing"
        );
        db.set_statement_cache_capacity(0);
        let n: i64 = users::table.count().get_result(&mut *db)?;
        assert_eq!(n, 0, "queries still run with the cache off");
        Ok(())
    }

    #[test]
    fn mysql_statement_is_prepared_once() -> QueryResult<()> {
        use philtre_mysql::mysql::prelude::Queryable;
        let Some(mut db) = philtre_tests::harness::open_mysql() else {
            return Ok(());
        };
        let prepares = |db: &mut philtre_mysql::MysqlConnection| -> QueryResult<u64> {
            let row: Option<(String, u64)> = db
                .raw()
                .query_first("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'")
                .map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
            Ok(row.map_or(0, |r| r.1))
        };
        let _: Vec<String> = users::table
            .select(users::name)
            .filter(users::score.ge(0))
            .load(&mut *db)?;
        let after_first = prepares(&mut db)?;
        let _: Vec<String> = users::table
            .select(users::name)
            .filter(users::score.ge(1))
            .load(&mut *db)?;
        assert_eq!(
            prepares(&mut db)?,
            after_first,
            "the second run prepared nothing"
        );
        Ok(())
    }
}
