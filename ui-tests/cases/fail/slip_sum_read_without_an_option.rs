use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// SUM over no rows is NULL.
fn total(conn: &mut SqliteConnection) -> QueryResult<i64> {
    users::table.select(sum(users::score)).first(conn)
}

fn main() {
    let _ = total;
}
