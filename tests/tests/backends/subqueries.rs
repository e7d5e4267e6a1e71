//! Subqueries on every backend: IN, EXISTS, scalar values, correlation with the outer query.

use philtre::expression::{count, max};
use philtre::prelude::*;
use philtre::query::exists;
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn in_subquery_and_not_in(conn) {
    seed(conn)?;
    let authors: Vec<String> = users::table
        .filter(users::id.eq_any(posts::table.select(posts::user_id)))
        .select(users::name)
        .order(users::name)
        .load(conn)?;
    assert_eq!(authors, ["Ann", "Bob"]);
    let others: Vec<String> = users::table
        .filter(users::id.ne_all(posts::table.select(posts::user_id)))
        .select(users::name)
        .load(conn)?;
    assert_eq!(others, ["Cy"]);
    Ok(())
}

fn correlated_exists_and_not_exists(conn) {
    seed(conn)?;
    let with_posts: Vec<String> = users::table
        .filter(exists(
            posts::table.correlate(users::table).filter(posts::user_id.eq(users::id)).select(posts::id),
        ))
        .select(users::name)
        .order(users::name)
        .load(conn)?;
    assert_eq!(with_posts, ["Ann", "Bob"]);
    let without: Vec<(i32, bool)> = users::table
        .select((
            users::id,
            not(exists(posts::table.correlate(users::table).filter(posts::user_id.eq(users::id)).select(posts::id))),
        ))
        .order(users::id)
        .load(conn)?;
    assert_eq!(without, [(1, false), (2, false), (3, true)]);
    Ok(())
}

fn scalar_subqueries_in_select_and_where(conn) {
    seed(conn)?;
    let counts: Vec<(String, Option<i64>)> = users::table
        .select((
            users::name,
            posts::table
                .correlate(users::table)
                .filter(posts::user_id.eq(users::id))
                .select(count(posts::id))
                .single_value(),
        ))
        .order(users::id)
        .load(conn)?;
    assert_eq!(counts, [("Ann".into(), Some(2)), ("Bob".into(), Some(1)), ("Cy".into(), Some(0))]);
    let latest: Vec<Option<i32>> = users::table
        .select(posts::table.correlate(users::table).filter(posts::user_id.eq(users::id)).select(max(posts::id)).single_value())
        .order(users::id)
        .load(conn)?;
    assert_eq!(latest, [Some(2), Some(3), None]);
    let same_email: Vec<String> = users::table
        .filter(users::email.eq(users::table.filter(users::id.eq(2)).select(users::email).single_value()))
        .select(users::name)
        .load(conn)?;
    assert_eq!(same_email, ["Bob"]);
    Ok(())
}
}
