use philtre::expression::{date_part, date_trunc};
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Truncate a real date: the visits on the first of a month.
fn first_of_month(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    visits::table
        .filter(date_trunc(date_part::Month, visits::day).eq(visits::day))
        .select(visits::id)
        .load(conn)
}

fn main() {
    let _ = first_of_month;
}
