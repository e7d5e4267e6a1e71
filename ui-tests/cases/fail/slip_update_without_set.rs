use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn touch(conn: &mut SqliteConnection) -> QueryResult<usize> {
    update(users::table.filter(users::id.eq(1))).execute(conn)
}

fn main() {
    let _ = touch;
}
