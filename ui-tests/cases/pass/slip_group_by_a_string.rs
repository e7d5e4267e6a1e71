use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn per_author(conn: &mut SqliteConnection) -> QueryResult<Vec<i64>> {
    posts::table.group_by(posts::user_id).select(count_star()).load(conn)
}

fn main() {
    let _ = per_author;
}
