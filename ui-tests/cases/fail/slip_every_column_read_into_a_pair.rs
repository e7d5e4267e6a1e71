use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Without `.select(..)`, a query returns every column of the table.
fn pairs(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, String)>> {
    users::table.load(conn)
}

fn main() {
    let _ = pairs;
}
