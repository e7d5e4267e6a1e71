use philtre::expression::greatest;
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// A number of the column's type.
fn floors(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    users::table.select(greatest(users::score, 10)).load(conn)
}

fn main() {
    let _ = floors;
}
