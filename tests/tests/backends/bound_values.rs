//! A bound value works wherever an expression may stand, and a value that cannot be sent says
//! why.

use philtre::expression::{Bound, case_when, coalesce};
use philtre::prelude::*;
use philtre_tests::harness::{Dialect, open_postgres};
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn a_bound_value_in_a_select_list_a_case_and_coalesce(conn) {
    seed(conn)?;
    // Each of these placeholders has no column beside it to take a type from: PostgreSQL
    // would infer `text` for it.
    let seven = Bound::<Integer, i32>::new(7);
    let rows: Vec<(i32, i32, i32, i64, i32)> = users::table
        .select((
            users::id,
            seven,
            case_when(users::score.gt(1), 10_i32).otherwise(20_i32),
            coalesce(Bound::<Nullable<BigInt>, Option<i64>>::new(None), 6_i64),
            sql::<Integer>("").bind::<Integer, _>(-3),
        ))
        .order(users::id)
        .load(conn)?;
    assert_eq!(rows, [(1, 7, 10, 6, -3), (2, 7, 20, 6, -3), (3, 7, 10, 6, -3)]);
    // The same with other types: text, a float, a boolean.
    let mixed: Vec<(String, f64, bool)> = users::table
        .select((
            Bound::<Text, &str>::new("x"),
            Bound::<Double, f64>::new(0.5),
            Bound::<Bool, bool>::new(true),
        ))
        .limit(1)
        .load(conn)?;
    assert_eq!(mixed, [("x".to_owned(), 0.5, true)]);
    Ok(())
}

fn more_values_than_the_database_takes_is_a_clear_error(conn) {
    let ids: Vec<i32> = (0..70_000).collect();
    let err = users::table
        .select(users::id)
        .filter(users::id.eq_any(&ids))
        .load::<i32>(conn)
        .expect_err("too many bound values");
    assert_eq!(err.kind(), ErrorKind::InvalidQuery, "{err}");
    let text = err.to_string();
    assert!(text.contains("70000"), "names the count: {text}");
    let limit = match DIALECT {
        Dialect::Sqlite => "32766",
        Dialect::Postgres | Dialect::Mysql => "65535",
    };
    assert!(text.contains(limit), "names the limit: {text}");
    assert!(text.len() < 1_000, "does not quote the statement: {} bytes", text.len());
    Ok(())
}
}

#[test]
fn postgres_serialization_errors_carry_their_cause() -> QueryResult<()> {
    let Some(mut db) = open_postgres() else {
        return Ok(());
    };
    // A value the driver refuses to convert: an i16 for a column PostgreSQL types as text.
    let err = db
        .simple_query("CREATE TEMPORARY TABLE t (x TEXT)")
        .and_then(|_| {
            db.run_async(async |c| c.execute("INSERT INTO t VALUES ($1)", &[&1_i16]).await)
        })
        .expect_err("i16 is not text");
    assert_eq!(err.kind(), ErrorKind::Serialization);
    let text = err.to_string();
    assert!(text.contains("error serializing parameter 0"), "{text}");
    assert!(
        text.contains("i16") && text.contains("text"),
        "names the cause: {text}"
    );
    Ok(())
}
