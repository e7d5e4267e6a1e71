use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn page(conn: &mut SqliteConnection, size: usize) -> QueryResult<Vec<i32>> {
    users::table.select(users::id).limit(size).load(conn)
}

fn main() {
    let _ = page;
}
