//! `JOIN LATERAL` (PostgreSQL): a derived table per row of the tables before it.

use philtre::prelude::*;
use philtre::query::lateral;
use philtre_tests::{posts, users};

philtre::table! {
    latest (id) {
        id -> Integer,
        title -> Text,
    }
}

philtre_tests::backend_tests! {
backends: [postgres];

fn each_row_gets_its_own_subquery(conn) {
    seed(conn)?;
    // Each user's latest post (highest id), users without posts left out.
    let latest_post = lateral(
        posts::table
            .correlate(users::table)
            .filter(posts::user_id.eq(users::id))
            .select((posts::id, posts::title))
            .order(posts::id.desc())
            .limit(1),
        latest::table,
    );
    let rows: Vec<(String, i32, String)> = users::table
        .cross_join_lateral(latest_post)
        .select((users::name, latest::id, latest::title))
        .order(users::id)
        .load(conn)?;
    let users_with_posts: Vec<(i32, String)> = users::table
        .select((users::id, users::name))
        .filter(users::id.eq_any(posts::table.select(posts::user_id)))
        .order(users::id)
        .load(conn)?;
    assert_eq!(rows.len(), users_with_posts.len());
    for ((name, id, title), (user, user_name)) in rows.iter().zip(&users_with_posts) {
        assert_eq!(name, user_name);
        let newest: (i32, String) = posts::table
            .filter(posts::user_id.eq(*user))
            .select((posts::id, posts::title))
            .order(posts::id.desc())
            .first(conn)?;
        assert_eq!((*id, title.clone()), newest);
    }

    // LEFT JOIN LATERAL keeps every user.
    let all: Vec<(String, Option<i32>)> = users::table
        .left_join_lateral(latest_post.on(lit(true)))
        .select((users::name, latest::id))
        .order(users::id)
        .load(conn)?;
    let users_count: i64 = users::table.count().get_result(conn)?;
    assert_eq!(all.len() as i64, users_count);
    assert_eq!(all.iter().filter(|r| r.1.is_some()).count(), rows.len());
    let sql = debug_query::<Db, _>(&users::table.cross_join_lateral(latest_post).select(latest::id)).to_string();
    assert!(sql.contains("CROSS JOIN LATERAL (SELECT"), "{sql}");
    assert!(sql.contains(") AS \"latest\" (\"id\", \"title\")"), "{sql}");
    Ok(())
}
}
