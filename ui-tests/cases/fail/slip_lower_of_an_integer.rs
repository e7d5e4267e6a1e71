use philtre::functions::lower;
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn keys(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table.select(lower(users::score)).load(conn)
}

fn main() {
    let _ = keys;
}
