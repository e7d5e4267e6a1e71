use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn recent(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    visits::table.filter(visits::at.gt("2024-01-01")).select(visits::id).load(conn)
}

fn main() {
    let _ = recent;
}
