use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Copies each user's id as a post's author, but names no `title` for the new rows.
fn welcome_posts(conn: &mut SqliteConnection) -> QueryResult<usize> {
    insert_into(posts::table)
        .from_select(posts::user_id, users::table.select(users::id))
        .execute(conn)
}

fn main() {
    let _ = welcome_posts;
}
