use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn labels(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    docs::table
        .select(philtre::functions::unnest(docs::labels))
        .load(conn)
}

fn main() {
    let _ = labels;
}
