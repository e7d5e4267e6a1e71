use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn last_name(conn: &mut SqliteConnection) -> QueryResult<Option<String>> {
    users::table.select(max(users::name)).first(conn)
}

fn main() {
    let _ = last_name;
}
