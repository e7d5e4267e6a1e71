//! `NULLS FIRST` / `NULLS LAST` on every backend: written as such on PostgreSQL and SQLite, and
//! as an `IS NULL` key before the key on MySQL and MariaDB, with the same order.

use philtre::prelude::*;
use philtre_tests::*;

const ROWS: &str = "INSERT INTO users (id, name, email, score) VALUES
  (1, 'Ann', NULL, 3), (2, 'Bob', 'bob@x', 1), (3, 'Cy', 'cy@x', 2), (4, 'Di', NULL, 1);";

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn nulls_go_first_or_last_in_either_direction(conn) {
    conn.batch_execute(ROWS)?;
    let first: Vec<i32> = users::table
        .order((users::email.asc().nulls_first(), users::id))
        .select(users::id)
        .load(conn)?;
    assert_eq!(first, [1, 4, 2, 3]);
    let last: Vec<i32> = users::table
        .order((users::email.asc().nulls_last(), users::id))
        .select(users::id)
        .load(conn)?;
    assert_eq!(last, [2, 3, 1, 4]);
    // Without a direction, as in SQL: ascending.
    let bare: Vec<i32> = users::table
        .order((users::email.nulls_last(), users::id))
        .select(users::id)
        .load(conn)?;
    assert_eq!(bare, last);
    let desc_first: Vec<i32> = users::table
        .order((users::email.desc().nulls_first(), users::id))
        .select(users::id)
        .load(conn)?;
    assert_eq!(desc_first, [1, 4, 3, 2]);
    let desc_last: Vec<i32> = users::table
        .order((users::email.desc().nulls_last(), users::id.desc()))
        .select(users::id)
        .load(conn)?;
    assert_eq!(desc_last, [3, 2, 4, 1]);
    Ok(())
}

fn a_key_with_bound_values_keeps_them_in_order(conn) {
    conn.batch_execute(ROWS)?;
    // The key holds a bound value, written twice where the backend has no NULLS LAST; the
    // filter's value comes after it.
    let ids: Vec<i32> = users::table
        .filter(users::score.lt(3))
        .order((users::email.concat("!").desc().nulls_last(), users::id))
        .select(users::id)
        .load(conn)?;
    assert_eq!(ids, [3, 2, 4]);
    Ok(())
}
}

#[test]
fn written_as_each_backend_reads_it() {
    let query = users::table
        .order(users::email.asc().nulls_last())
        .select(users::id);
    assert!(
        debug_query::<philtre_postgres::Pg, _>(&query)
            .to_string()
            .contains(r#"ORDER BY "users"."email" ASC NULLS LAST"#)
    );
    assert!(
        debug_query::<philtre_sqlite::Sqlite, _>(&query)
            .to_string()
            .contains(r#"ORDER BY "users"."email" ASC NULLS LAST"#)
    );
    assert!(
        debug_query::<philtre_mysql::Mysql, _>(&query)
            .to_string()
            .contains("ORDER BY `users`.`email` IS NULL, `users`.`email` ASC")
    );
}
