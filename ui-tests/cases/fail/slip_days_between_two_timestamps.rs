use philtre::expression::days_between;
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Whole days are measured between dates; a timestamp is measured in seconds.
fn ages(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    visits::table.select(days_between(visits::at, visits::at)).load(conn)
}

fn main() {
    let _ = ages;
}
