use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Posts per author, without saying what to group by.
fn per_author(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, i64)>> {
    posts::table.select((posts::user_id, count_star())).load(conn)
}

fn main() {
    let _ = per_author;
}
