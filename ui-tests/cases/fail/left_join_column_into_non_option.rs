use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn titles(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, String)>> {
    users::table
        .left_join(posts::table)
        .select((users::name, posts::title))
        .load(conn)
}

fn main() {
    let _ = titles;
}
