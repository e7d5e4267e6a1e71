//! CASE, CAST, COALESCE, NULLIF, IS DISTINCT FROM and the common functions on every backend.

use philtre::expression::{
    abs, case_when, cast, coalesce, length, lower, nullif, replace, substr, trim, upper, year,
};
use philtre::prelude::*;
use philtre_tests::*;

/// Functions declared by hand, as a user declares one the library lacks.
mod declared {
    use philtre::types::{Integer, Nullable};

    philtre::sql_function!(
        /// `ABS(x)`.
        fn abs(x: Integer) -> Integer
    );
    philtre::sql_function!(
        /// `MAX(x)`, an aggregate.
        aggregate fn max(x: Integer) -> Nullable<Integer>
    );
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn case_when_branches_share_a_type(conn) {
    seed(conn)?;
    let rows: Vec<(String, String)> = users::table
        .select((
            users::name,
            case_when(users::score.ge(3), "high").when(users::score.ge(2), "mid").otherwise("low"),
        ))
        .order(users::id)
        .load(conn)?;
    assert_eq!(rows, [("Ann".into(), "high".into()), ("Bob".into(), "low".into()), ("Cy".into(), "mid".into())]);
    // Without ELSE, the CASE is nullable.
    let maybe: Vec<Option<i32>> = users::table
        .select(case_when(users::email.is_null(), users::score))
        .order(users::id)
        .load(conn)?;
    assert_eq!(maybe, [Some(3), None, None]);
    Ok(())
}

fn cast_coalesce_nullif_and_distinct_from(conn) {
    seed(conn)?;
    let rows: Vec<(String, String, Option<i32>, bool)> = users::table
        .select((
            cast::<Text, _>(users::score),
            coalesce(users::email, "none"),
            nullif(users::score, 1),
            users::email.is_distinct_from("bob@x"),
        ))
        .order(users::id)
        .load(conn)?;
    assert_eq!(rows[0], ("3".into(), "none".into(), Some(3), true));
    assert_eq!(rows[1], ("1".into(), "bob@x".into(), None, false));
    let same: i64 = users::table
        .filter(users::email.is_not_distinct_from(None::<&str>))
        .count()
        .get_result(conn)?;
    assert_eq!(same, 1);
    Ok(())
}

fn text_and_number_functions(conn) {
    seed(conn)?;
    let row: (String, String, i32, String, String, String, i32) = users::table
        .find(1)
        .select((
            lower(users::name),
            upper(users::name),
            length(users::name),
            trim(users::name.concat("  ")),
            substr(users::name, 2, 2),
            replace(users::name, "n", "N"),
            abs(users::score - 10),
        ))
        .get_result(conn)?;
    assert_eq!(row, ("ann".into(), "ANN".into(), 3, "Ann".into(), "nn".into(), "ANN".into(), 7));
    Ok(())
}

fn declared_functions_and_date_parts(conn) {
    seed(conn)?;
    let (absolute, highest): (i32, Option<i32>) = users::table
        .filter(users::id.eq(1))
        .group_by(users::id)
        .select((declared::abs(users::score - 5), declared::max(users::score)))
        .get_result(conn)?;
    assert_eq!((absolute, highest), (2, Some(3)));
    let years: Vec<i32> = all_types::table.select(year(all_types::at)).load(conn)?;
    assert!(years.is_empty());
    Ok(())
}
}
