use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// `.distinct()` after `.order(..)`: the same rule, checked at the later call.
fn titles(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    posts::table.order(posts::id).select(posts::title).distinct().load(conn)
}

fn main() {
    let _ = titles;
}
