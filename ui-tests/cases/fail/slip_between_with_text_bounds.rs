use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn middling(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    users::table.filter(users::score.between("10", "20")).select(users::id).load(conn)
}

fn main() {
    let _ = middling;
}
