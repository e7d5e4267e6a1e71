use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// `post_tags` has no foreign key to `posts`: the join needs its condition.
fn tags(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, String)>> {
    users::table
        .inner_join(posts::table)
        .inner_join(post_tags::table)
        .select((users::name, post_tags::tag))
        .load(conn)
}

fn main() {
    let _ = tags;
}
