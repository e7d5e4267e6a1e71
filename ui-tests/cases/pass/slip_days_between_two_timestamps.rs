use philtre::expression::{days_between, seconds_between};
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Days between dates, seconds between timestamps.
fn ages(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, f64)>> {
    visits::table
        .select((days_between(visits::day, visits::day), seconds_between(visits::at, visits::at)))
        .load(conn)
}

fn main() {
    let _ = ages;
}
