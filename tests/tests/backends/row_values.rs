//! Row values (SQLAlchemy's `tuple_()`): `(a, b) IN (…)` against a list and a subquery, and
//! `(a, b) > (x, y)` for keyset pagination — on every backend.

use philtre::expression::row;
use philtre::prelude::*;
use philtre_tests::*;

const TAGS: &str = "INSERT INTO post_tags (post_id, tag) VALUES
  (1, 'a'), (1, 'b'), (2, 'a'), (2, 'c'), (3, 'b');";

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn a_row_value_in_a_list_of_tuples(conn) {
    seed(conn)?;
    conn.batch_execute(TAGS)?;
    let picked: Vec<(i32, String)> = post_tags::table
        .filter(row((post_tags::post_id, post_tags::tag)).eq_any([(1, "b"), (2, "c"), (9, "z")]))
        .select((post_tags::post_id, post_tags::tag))
        .order((post_tags::post_id, post_tags::tag))
        .load(conn)?;
    assert_eq!(picked, [(1, "b".into()), (2, "c".into())]);
    let rest: i64 = post_tags::table
        .filter(row((post_tags::post_id, post_tags::tag)).ne_all([(1, "b"), (2, "c")]))
        .count()
        .get_result(conn)?;
    assert_eq!(rest, 3);
    // An empty list matches nothing, and its negation everything.
    let none: i64 = post_tags::table
        .filter(row((post_tags::post_id, post_tags::tag)).eq_any(Vec::<(i32, &str)>::new()))
        .count()
        .get_result(conn)?;
    assert_eq!(none, 0);
    Ok(())
}

fn a_row_value_in_a_subquery(conn) {
    seed(conn)?;
    conn.batch_execute(TAGS)?;
    // The posts by Ann, picked by (id, author) pairs from a subquery.
    let by_ann: Vec<i32> = posts::table
        .filter(row((posts::id, posts::user_id)).eq_any(
            posts::table.filter(posts::user_id.eq(1)).select((posts::id, posts::user_id)),
        ))
        .select(posts::id)
        .order(posts::id)
        .load(conn)?;
    assert_eq!(by_ann, [1, 2]);
    let others: Vec<i32> = posts::table
        .filter(row((posts::id, posts::user_id)).ne_all(
            posts::table.filter(posts::user_id.eq(1)).select((posts::id, posts::user_id)),
        ))
        .select(posts::id)
        .load(conn)?;
    assert_eq!(others, [3]);
    Ok(())
}

fn keyset_pagination_with_a_row_comparison(conn) {
    seed(conn)?;
    conn.batch_execute(TAGS)?;
    let mut after = (0, String::new());
    let mut pages = Vec::new();
    loop {
        let page: Vec<(i32, String)> = post_tags::table
            .filter(row((post_tags::post_id, post_tags::tag)).gt((after.0, after.1.as_str())))
            .select((post_tags::post_id, post_tags::tag))
            .order((post_tags::post_id, post_tags::tag))
            .limit(2)
            .load(conn)?;
        let Some(last) = page.last().cloned() else { break };
        pages.push(page);
        after = last;
    }
    assert_eq!(pages.len(), 3);
    assert_eq!(pages[1], [(2, "a".into()), (2, "c".into())]);
    // The other comparisons, against columns and values alike.
    let at_most: i64 = post_tags::table.filter(row((post_tags::post_id, post_tags::tag)).le((2, "a"))).count().get_result(conn)?;
    assert_eq!(at_most, 3);
    let same: i64 = post_tags::table.filter(row((post_tags::post_id, post_tags::tag)).eq((post_tags::post_id, "a"))).count().get_result(conn)?;
    assert_eq!(same, 2);
    Ok(())
}
}

#[test]
fn sqlite_gets_a_values_list() {
    let query = post_tags::table
        .filter(row((post_tags::post_id, post_tags::tag)).eq_any([(1, "b"), (2, "c")]))
        .select(post_tags::tag);
    assert_eq!(
        debug_query::<philtre_sqlite::Sqlite, _>(&query).sql(),
        "SELECT \"post_tags\".\"tag\" FROM \"post_tags\" WHERE (\"post_tags\".\"post_id\", \"post_tags\".\"tag\") IN (VALUES (?, ?), (?, ?))"
    );
    assert_eq!(
        debug_query::<philtre_postgres::Pg, _>(&query).sql(),
        "SELECT \"post_tags\".\"tag\" FROM \"post_tags\" WHERE (\"post_tags\".\"post_id\", \"post_tags\".\"tag\") IN (($1, $2), ($3, $4))"
    );
}
