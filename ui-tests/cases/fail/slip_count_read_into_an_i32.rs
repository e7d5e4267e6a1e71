use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// COUNT is a BIGINT.
fn how_many(conn: &mut SqliteConnection) -> QueryResult<i32> {
    users::table.select(count_star()).first(conn)
}

fn main() {
    let _ = how_many;
}
