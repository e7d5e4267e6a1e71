use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn prolific(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    posts::table
        .group_by(posts::user_id)
        .having(count_star().gt(1))
        .select(posts::user_id)
        .load(conn)
}

fn main() {
    let _ = prolific;
}
