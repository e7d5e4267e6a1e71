use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// `%` takes integers of one type; the divisor was written as a float.
fn scores(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    users::table.select(users::score % 2).load(conn)
}

fn main() {
    let _ = scores;
}
