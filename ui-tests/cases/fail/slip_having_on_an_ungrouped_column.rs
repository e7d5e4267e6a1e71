use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn prolific(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    posts::table
        .group_by(posts::user_id)
        .having(posts::title.eq("x"))
        .select(posts::user_id)
        .load(conn)
}

fn main() {
    let _ = prolific;
}
