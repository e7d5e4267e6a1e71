use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Grouped by the posts' author column, the user's name is not grouped.
fn per_author(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, i64)>> {
    posts::table
        .inner_join(users::table)
        .group_by(posts::user_id)
        .select((users::name, count(posts::id)))
        .load(conn)
}

fn main() {
    let _ = per_author;
}
