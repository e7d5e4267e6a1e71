use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// AVG over no rows is NULL.
fn mean(conn: &mut SqliteConnection) -> QueryResult<f64> {
    users::table.select(avg(users::score)).first(conn)
}

fn main() {
    let _ = mean;
}
