use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn pairs(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, String)>> {
    users::table.select((users::id, users::name)).load(conn)
}

fn main() {
    let _ = pairs;
}
