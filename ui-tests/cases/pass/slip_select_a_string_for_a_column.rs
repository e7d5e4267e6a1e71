use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn names(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table.select(users::name).load(conn)
}

fn main() {
    let _ = names;
}
