use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn titles(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    posts::table.order(posts::title).select(posts::title).distinct().load(conn)
}

fn main() {
    let _ = titles;
}
