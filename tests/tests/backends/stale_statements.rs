//! Cached prepared statements survive schema changes and poolers that forget them.

use philtre::prelude::*;
use philtre_tests::harness::open_postgres;
use philtre_tests::*;

fn names<C: Connection>(conn: &mut C) -> QueryResult<Vec<String>>
where
    String: philtre::types::FromSql<Text, C::Backend>,
    i32: philtre::types::ToSql<Integer, C::Backend>,
{
    users::table
        .select(users::name)
        .filter(users::score.ge(0))
        .order(users::name)
        .load(conn)
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn a_cached_statement_runs_after_its_table_changed(conn) {
    seed(conn)?;
    assert_eq!(names(conn)?, ["Ann", "Bob", "Cy"]);
    // The selected column changes type under the cached statement, and a column is added.
    match DIALECT {
        philtre_tests::harness::Dialect::Sqlite => conn.batch_execute("ALTER TABLE users ADD COLUMN extra INTEGER")?,
        philtre_tests::harness::Dialect::Postgres => conn.batch_execute(
            "ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(150); ALTER TABLE users ADD COLUMN extra INTEGER",
        )?,
        philtre_tests::harness::Dialect::Mysql => conn.batch_execute(
            "ALTER TABLE users MODIFY name VARCHAR(150) NOT NULL, ADD COLUMN extra INTEGER",
        )?,
    }
    assert_eq!(names(conn)?, ["Ann", "Bob", "Cy"], "the same statement, run again");
    assert_eq!(names(conn)?, ["Ann", "Bob", "Cy"]);
    Ok(())
}
}

#[test]
fn postgres_stale_statement_inside_a_transaction_is_retryable() -> QueryResult<()> {
    let Some(mut db) = open_postgres() else {
        return Ok(());
    };
    db.batch_execute("INSERT INTO users (id, name) VALUES (1, 'Ann')")?;
    assert_eq!(names(&mut *db)?, ["Ann"]);
    let mut other = db.second_connection();
    other.batch_execute("ALTER TABLE users ALTER COLUMN name TYPE VARCHAR(150)")?;
    // Inside a transaction PostgreSQL has aborted it at the error: no retry can happen there.
    let first = db.transaction(names);
    let err = first.expect_err("the cached plan no longer fits");
    assert_eq!(err.kind(), ErrorKind::StaleStatement, "{err}");
    assert!(err.is_retryable());
    assert!(
        err.to_string().contains("running the transaction again"),
        "{err}"
    );
    // The statement was dropped from the cache: the retry prepares it anew.
    assert_eq!(db.transaction(names)?, ["Ann"]);
    Ok(())
}

#[test]
fn postgres_statements_a_pooler_forgot_are_prepared_again() -> QueryResult<()> {
    let Some(mut db) = open_postgres() else {
        return Ok(());
    };
    db.batch_execute("INSERT INTO users (name) VALUES ('Ann')")?;
    assert_eq!(names(&mut *db)?, ["Ann"]);
    // What a transaction-mode pooler does to a session's prepared statements.
    db.batch_execute("DEALLOCATE ALL")?;
    assert_eq!(names(&mut *db)?, ["Ann"]);
    let inserted = insert_into(users::table)
        .values(users::name.eq("Bob"))
        .execute(&mut *db)?;
    assert_eq!(inserted, 1);
    db.batch_execute("DEALLOCATE ALL")?;
    let again = insert_into(users::table)
        .values(users::name.eq("Cy"))
        .execute(&mut *db)?;
    assert_eq!(again, 1, "run once, not twice");
    assert_eq!(names(&mut *db)?, ["Ann", "Bob", "Cy"]);
    Ok(())
}
