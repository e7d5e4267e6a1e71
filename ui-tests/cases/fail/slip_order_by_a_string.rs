use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn by_name(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table.select(users::name).order("name").load(conn)
}

fn main() {
    let _ = by_name;
}
