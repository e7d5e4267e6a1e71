use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// The most posts any user wrote, written as one nested aggregate.
fn most_posts(conn: &mut SqliteConnection) -> QueryResult<Option<i64>> {
    posts::table
        .group_by(posts::user_id)
        .select(max(count(posts::id)))
        .first(conn)
}

fn main() {
    let _ = most_posts;
}
