//! Words for one backend inside a statement: prefixes after the first keyword (`INSERT OR
//! IGNORE`, `INSERT IGNORE`, `SELECT SQL_NO_CACHE`, `DELETE QUICK`) and table hints after a
//! table's name (`USE INDEX (…)`, SQLite's `INDEXED BY …`), left out on every other backend.

use philtre::prelude::*;
use philtre_mysql::Mysql;
use philtre_sqlite::Sqlite;
use philtre_tests::harness::Dialect;
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn prefixes_are_written_on_their_backend_only(conn) {
    seed(conn)?;
    // SQLite replaces the row holding the e-mail; MySQL skips the new one; PostgreSQL, with
    // neither prefix, refuses the duplicate.
    let duplicate = insert_into(users::table)
        .values((users::id.eq(10), users::name.eq("Cy again"), users::email.eq("cy@x")))
        .prefix_with::<Sqlite>("OR REPLACE")
        .prefix_with::<Mysql>("IGNORE");
    let sql = debug_query::<Db, _>(&duplicate).sql().to_owned();
    let outcome = duplicate.execute(conn);
    let names: Vec<String> = users::table.order(users::id).select(users::name).load(conn)?;
    match DIALECT {
        Dialect::Sqlite => {
            assert!(sql.starts_with("INSERT OR REPLACE INTO "), "{sql}");
            assert_eq!(outcome?, 1);
            assert_eq!(names, ["Ann", "Bob", "Cy again"]);
        }
        Dialect::Mysql => {
            assert!(sql.starts_with("INSERT IGNORE INTO "), "{sql}");
            assert_eq!(outcome?, 0);
            assert_eq!(names, ["Ann", "Bob", "Cy"]);
        }
        Dialect::Postgres => {
            assert!(sql.starts_with("INSERT INTO "), "{sql}");
            assert_eq!(outcome.expect_err("a unique violation").kind(), ErrorKind::UniqueViolation);
            assert_eq!(names, ["Ann", "Bob", "Cy"]);
        }
    }

    // Words for two backends on the same one come in the order of the calls.
    let select = users::table
        .select(users::id)
        .filter(users::id.eq(2))
        .prefix_with::<Db>("ALL")
        .prefix_with::<Mysql>("SQL_NO_CACHE");
    let sql = debug_query::<Db, _>(&select).sql().to_owned();
    let expected = if DIALECT == Dialect::Mysql { "SELECT ALL SQL_NO_CACHE " } else { "SELECT ALL " };
    assert!(sql.starts_with(expected), "{sql}");
    assert_eq!(select.load::<i32>(conn)?, [2]);

    // UPDATE and DELETE take them too.
    let update = update(users::table.filter(users::id.eq(2)))
        .set(users::score.eq(7))
        .prefix_with::<Mysql>("LOW_PRIORITY")
        .prefix_with::<Sqlite>("OR ABORT");
    let sql = debug_query::<Db, _>(&update).sql().to_owned();
    match DIALECT {
        Dialect::Sqlite => assert!(sql.starts_with("UPDATE OR ABORT \"users\""), "{sql}"),
        Dialect::Mysql => assert!(sql.starts_with("UPDATE LOW_PRIORITY `users`"), "{sql}"),
        Dialect::Postgres => assert!(sql.starts_with("UPDATE \"users\""), "{sql}"),
    }
    assert_eq!(update.execute(conn)?, 1);
    let delete = delete(posts::table.filter(posts::user_id.eq(2))).prefix_with::<Mysql>("QUICK");
    let sql = debug_query::<Db, _>(&delete).sql().to_owned();
    let expected = if DIALECT == Dialect::Mysql { "DELETE QUICK FROM " } else { "DELETE FROM " };
    assert!(sql.starts_with(expected), "{sql}");
    delete.execute(conn)?;
    let left: i64 = posts::table.filter(posts::user_id.eq(2)).select(count_star()).get_result(conn)?;
    assert_eq!(left, 0);
    Ok(())
}

fn statements_differing_only_in_their_prefix_do_not_share_sql(conn) {
    seed(conn)?;
    conn.batch_execute("UPDATE users SET score = 1")?;
    // The same statement type twice: the cached SQL of the first must not serve the second.
    let scores = |prefix: &'static str| users::table.select(users::score).prefix_with::<Db>(prefix);
    let all: Vec<i32> = scores("ALL").load(conn)?;
    let distinct: Vec<i32> = scores("DISTINCT").load(conn)?;
    let all_again: Vec<i32> = scores("ALL").load(conn)?;
    assert_eq!((all.len(), distinct.len(), all_again.len()), (3, 1, 3));
    Ok(())
}
}

mod with_returning {
    use super::*;

    // MySQL has no RETURNING (that query does not compile for it).
    philtre_tests::backend_tests! {
    backends: [sqlite, postgres];

    fn a_prefixed_insert_returns_its_rows(conn) {
        seed(conn)?;
        let id: i32 = insert_into(users::table)
            .values((users::name.eq("Di"), users::email.eq("di@example.com")))
            .returning(users::id)
            .prefix_with::<Sqlite>("OR IGNORE")
            .get_result(conn)?;
        let name: String = users::table.find(id).select(users::name).first(conn)?;
        assert_eq!(name, "Di");
        // SQLite skips a duplicate: no row comes back, and `optional` says so.
        let skipped: Option<i32> = insert_into(users::table)
            .values((users::name.eq("Di again"), users::email.eq("di@example.com")))
            .returning(users::id)
            .prefix_with::<Sqlite>("OR IGNORE")
            .get_result(conn)
            .optional()
            .or_else(|e| if e.kind() == ErrorKind::UniqueViolation { Ok(Some(-1)) } else { Err(e) })?;
        let expected = if DIALECT == Dialect::Sqlite { None } else { Some(-1) };
        assert_eq!(skipped, expected);
        Ok(())
    }
    }
}

mod hints {
    use super::*;

    // PostgreSQL has no table hints: a hint for another backend is simply left out there.
    philtre_tests::backend_tests! {
    backends: [sqlite, postgres, mysql];

    fn table_hints_reach_the_planner(conn) {
        seed(conn)?;
        conn.batch_execute("CREATE INDEX ix_users_score ON users (score)")?;
        let hinted = users::table
            .with_hint::<Mysql>("USE INDEX (ix_users_score)")
            .with_hint::<Sqlite>("INDEXED BY ix_users_score")
            .filter(users::score.ge(0))
            .order(users::id)
            .select(users::name);
        let sql = debug_query::<Db, _>(&hinted).sql().to_owned();
        match DIALECT {
            Dialect::Sqlite => assert!(sql.contains(" FROM \"users\" INDEXED BY ix_users_score WHERE "), "{sql}"),
            Dialect::Mysql => assert!(sql.contains(" FROM `users` USE INDEX (ix_users_score) WHERE "), "{sql}"),
            Dialect::Postgres => assert!(sql.contains(" FROM \"users\" WHERE "), "{sql}"),
        }
        assert_eq!(hinted.load::<String>(conn)?, ["Ann", "Bob", "Cy"]);

        // A hinted table joins as the table itself does, on either side.
        let left: Vec<(String, String)> = users::table
            .with_hint::<Mysql>("FORCE INDEX (PRIMARY)")
            .inner_join(posts::table)
            .order(posts::id)
            .select((users::name, posts::title))
            .load(conn)?;
        let right: Vec<(String, String)> = posts::table
            .inner_join(users::table.with_hint::<Mysql>("FORCE INDEX (PRIMARY)"))
            .order(posts::id)
            .select((users::name, posts::title))
            .load(conn)?;
        assert_eq!(left, right);
        assert!(!left.is_empty());

        // A hint naming no index is the database's error, not a silently different plan.
        if DIALECT != Dialect::Postgres {
            let wrong = users::table
                .with_hint::<Mysql>("USE INDEX (no_such_index)")
                .with_hint::<Sqlite>("INDEXED BY no_such_index")
                .select(users::id)
                .load::<i32>(conn);
            assert!(wrong.is_err(), "{wrong:?}");
        }
        Ok(())
    }
    }
}
