//! `select(..)` without FROM on every backend: constants, functions, `EXISTS`, a scalar
//! subquery, with WHERE and ORDER BY; MySQL and MariaDB get `FROM DUAL`.

use philtre::expression::{lower, sql};
use philtre::prelude::*;
use philtre::query::exists;
use philtre::types::{Integer, Text};
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn values_that_need_no_table(conn) {
    let pair: (i32, String) = select((sql::<Integer>("40 + 2"), lower(sql::<Text>("'ABC'"))))
        .get_result(conn)?;
    assert_eq!(pair, (42, "abc".to_owned()));
    conn.batch_execute("INSERT INTO users (id, name, email, score) VALUES (1, 'Ann', NULL, 3)")?;
    let found: Vec<bool> = select(exists(users::table.filter(users::name.eq("Ann"))))
        .load(conn)?;
    assert_eq!(found, [true]);
    let missing: bool = select(exists(users::table.filter(users::name.eq("Zed"))))
        .get_result(conn)?;
    assert!(!missing);
    // A WHERE that is false: no row.
    let none: Vec<i32> = select(sql::<Integer>("1"))
        .filter(exists(users::table.filter(users::score.gt(10))))
        .load(conn)?;
    assert!(none.is_empty());
    Ok(())
}
}

#[test]
fn written_without_a_table_or_from_dual() {
    let query = select(sql::<Integer>("1")).filter(sql::<philtre::types::Bool>("1 = 1"));
    assert_eq!(
        debug_query::<philtre_postgres::Pg, _>(&query).to_string(),
        "SELECT 1 WHERE 1 = 1 -- binds: []"
    );
    assert_eq!(
        debug_query::<philtre_sqlite::Sqlite, _>(&query).to_string(),
        "SELECT 1 WHERE 1 = 1 -- binds: []"
    );
    assert_eq!(
        debug_query::<philtre_mysql::Mysql, _>(&query).to_string(),
        "SELECT 1 FROM DUAL WHERE 1 = 1 -- binds: []"
    );
}
