//! INSERT … SELECT, UPDATE and DELETE driven by subqueries, on every backend.

use philtre::expression::coalesce;
use philtre::prelude::*;
use philtre::query::exists;
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn insert_select_copies_query_rows_into_columns(conn) {
    seed(conn)?;
    // Tag each of Ann's posts with her name: the rows come from a join.
    let inserted = insert_into(post_tags::table)
        .from_select(
            (post_tags::post_id, post_tags::tag),
            posts::table.inner_join(users::table).filter(users::name.eq("Ann")).select((posts::id, users::name)),
        )
        .execute(conn)?;
    assert_eq!(inserted, 2);
    let tags: Vec<(i32, String)> = post_tags::table.select((post_tags::post_id, post_tags::tag)).order(post_tags::post_id).load(conn)?;
    assert_eq!(tags, [(1, "Ann".into()), (2, "Ann".into())]);
    // A non-null value fits a nullable column: titles become names and emails.
    let copied = insert_into(users::table)
        .from_select((users::name, users::email), posts::table.filter(posts::id.eq(3)).select((posts::title, posts::title)))
        .execute(conn)?;
    assert_eq!(copied, 1);
    let bobs: Vec<Option<String>> = users::table.filter(users::name.eq("Bobs")).select(users::email).load(conn)?;
    assert_eq!(bobs, [Some("Bobs".into())]);
    Ok(())
}

fn update_sets_values_from_a_correlated_subquery(conn) {
    seed(conn)?;
    let latest_post = posts::table
        .correlate(users::table)
        .filter(posts::user_id.eq(users::id))
        .select(max(posts::id))
        .single_value();
    let changed = update(users::table)
        .set(users::score.eq(coalesce(latest_post, 0)))
        .filter(users::id.eq_any(posts::table.select(posts::user_id)))
        .execute(conn)?;
    assert_eq!(changed, 2);
    let scores: Vec<(String, i32)> = users::table.select((users::name, users::score)).order(users::id).load(conn)?;
    assert_eq!(scores, [("Ann".into(), 2), ("Bob".into(), 3), ("Cy".into(), 2)]);
    Ok(())
}

fn delete_filters_with_a_subquery(conn) {
    seed(conn)?;
    let without_posts = not(exists(
        posts::table.correlate(users::table).filter(posts::user_id.eq(users::id)).select(posts::id),
    ));
    let deleted = delete(users::table).filter(without_posts).execute(conn)?;
    assert_eq!(deleted, 1);
    let gone = delete(posts::table)
        .filter(posts::user_id.eq_any(users::table.filter(users::name.eq("Bob")).select(users::id)))
        .execute(conn)?;
    assert_eq!(gone, 1);
    let left: Vec<String> = users::table.select(users::name).order(users::id).load(conn)?;
    assert_eq!(left, ["Ann", "Bob"]);
    Ok(())
}
}
