use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn drafts(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    docs::table.filter(docs::body.has_key("draft")).select(docs::id).load(conn)
}

fn main() {
    let _ = drafts;
}
