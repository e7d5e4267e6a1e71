use philtre::expression::greatest;
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// GREATEST compares values of one SQL type.
fn floors(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    users::table.select(greatest(users::score, "10")).load(conn)
}

fn main() {
    let _ = floors;
}
