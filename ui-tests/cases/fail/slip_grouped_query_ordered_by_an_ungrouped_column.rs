use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn authors(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    posts::table
        .group_by(posts::user_id)
        .select(posts::user_id)
        .order(posts::title)
        .load(conn)
}

fn main() {
    let _ = authors;
}
