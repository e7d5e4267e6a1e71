use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Meant the user's id, wrote the name column.
fn scores(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    users::table.select(users::score + users::name).load(conn)
}

fn main() {
    let _ = scores;
}
