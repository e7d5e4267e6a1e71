use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// `SELECT count(*) FROM users ORDER BY users.name`: one row, ordered by a column it no longer has.
fn count(conn: &mut SqliteConnection) -> QueryResult<i64> {
    users::table.select(count_star()).order(users::name).get_result(conn)
}

fn main() {
    let _ = count;
}
