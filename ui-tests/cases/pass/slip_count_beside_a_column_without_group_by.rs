use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn per_author(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, i64)>> {
    posts::table.group_by(posts::user_id).select((posts::user_id, count_star())).load(conn)
}

fn main() {
    let _ = per_author;
}
