//! `lit(value)`: typed constants in select lists, arithmetic and CASE branches, on every
//! backend; and `select(..)` of them without a table.

use philtre::expression::{case_when, lit};
use philtre::prelude::*;
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn constants_take_the_type_of_their_rust_value(conn) {
    conn.batch_execute(
        "INSERT INTO users (id, name, email, score) VALUES (1, 'Ann', NULL, 3), (2, 'Bob', 'b@x', 1)",
    )?;
    // In a select list beside columns, in arithmetic on either side, in CASE branches.
    let rows: Vec<(i32, String, i32, i32, String)> = users::table
        .order(users::id)
        .select((
            lit(7),
            lit("tag"),
            lit(100) - users::score,
            users::score * 2 + lit(1),
            case_when(users::email.is_null(), lit("no mail")).otherwise(lit("mail")),
        ))
        .load(conn)?;
    assert_eq!(
        rows,
        [
            (7, "tag".to_owned(), 97, 7, "no mail".to_owned()),
            (7, "tag".to_owned(), 99, 3, "mail".to_owned()),
        ]
    );
    // Without a table; a NULL of a given type; a 64-bit value; a boolean.
    let values: (i64, Option<i32>, bool, f64) =
        select((lit(5_000_000_000_i64), lit(None::<i32>), lit(true), lit(0.5) * 4.0))
            .get_result(conn)?;
    assert_eq!(values, (5_000_000_000, None, true, 2.0));
    Ok(())
}
}
