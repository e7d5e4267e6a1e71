use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn lock(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    users::table.select(users::id).for_update().load(conn)
}

fn main() {
    let _ = lock;
}
