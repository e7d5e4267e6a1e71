//! Relationships along foreign-key columns: joining along one writes the ON condition from the
//! foreign key, and gives the same rows as the join written out.

use philtre::orm::{children, parent};
use philtre::prelude::*;
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn joining_along_a_relationship_matches_the_written_join(conn) {
    seed(conn)?;
    let along: Vec<(String, String)> = users::table
        .inner_join(children(posts::user_id))
        .select((users::name, posts::title))
        .order(posts::id)
        .load(conn)?;
    let written: Vec<(String, String)> = users::table
        .inner_join(posts::table.on(posts::user_id.eq(users::id)))
        .select((users::name, posts::title))
        .order(posts::id)
        .load(conn)?;
    assert!(!along.is_empty());
    assert_eq!(along, written);

    // From the other side: each post's user, along the same foreign key.
    let up: Vec<(String, String)> = posts::table
        .inner_join(parent(posts::user_id))
        .select((users::name, posts::title))
        .order(posts::id)
        .load(conn)?;
    assert_eq!(up, written);

    // A LEFT JOIN along it keeps users without posts, with `None`.
    let all: Vec<(String, Option<String>)> = users::table
        .left_join(children(posts::user_id))
        .select((users::name, posts::title))
        .order((users::id, posts::id))
        .load(conn)?;
    let users: i64 = users::table.count().get_result(conn)?;
    assert!(all.len() >= usize::try_from(users).expect("a count"));
    Ok(())
}
}
