//! `ORDER BY … LIMIT` on DELETE and UPDATE, on MySQL and MariaDB (elsewhere it does not
//! compile: see the ui case `delete_limit_on_postgres`).

use philtre::prelude::*;
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [mysql];

fn delete_and_update_take_the_first_rows_in_order(conn) {
    conn.batch_execute(
        "INSERT INTO users (id, name, email, score) VALUES (1, 'Ann', NULL, 3), (2, 'Bob', NULL, 1), (3, 'Cy', NULL, 2), (4, 'Di', NULL, 5)",
    )?;
    // The two lowest scores get +10.
    let changed = update(users::table)
        .set(users::score.eq(users::score + 10))
        .order(users::score)
        .limit(2)
        .execute(conn)?;
    assert_eq!(changed, 2);
    let scores: Vec<(i32, i32)> = users::table
        .order(users::id)
        .select((users::id, users::score))
        .load(conn)?;
    assert_eq!(scores, [(1, 3), (2, 11), (3, 12), (4, 5)]);
    // The highest-scoring user among those over 4 goes; a filter narrows first.
    let deleted = delete(users::table)
        .filter(users::score.gt(4))
        .order(users::score.desc())
        .limit(1)
        .execute(conn)?;
    assert_eq!(deleted, 1);
    let left: Vec<i32> = users::table.order(users::id).select(users::id).load(conn)?;
    assert_eq!(left, [1, 2, 4]);
    Ok(())
}
}

#[test]
fn written_after_the_where_clause() {
    let statement = delete(users::table)
        .filter(users::score.gt(4))
        .order(users::score.desc())
        .limit(1);
    assert_eq!(
        debug_query::<philtre_mysql::Mysql, _>(&statement).to_string(),
        "DELETE FROM `users` WHERE `users`.`score` > ? ORDER BY `users`.`score` DESC LIMIT ? -- binds: [4, 1]"
    );
}
