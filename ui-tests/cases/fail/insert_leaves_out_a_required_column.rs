use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// `posts.title` is NOT NULL and has no default: the database would refuse this row.
fn add_post(conn: &mut SqliteConnection) -> QueryResult<usize> {
    insert_into(posts::table)
        .values(posts::user_id.eq(1))
        .execute(conn)
}

fn main() {
    let _ = add_post;
}
