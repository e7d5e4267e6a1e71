use philtre::expression::{date_part, date_trunc};
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// A date kept as text is not a date.
fn months(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table.select(date_trunc(date_part::Month, users::name)).load(conn)
}

fn main() {
    let _ = months;
}
