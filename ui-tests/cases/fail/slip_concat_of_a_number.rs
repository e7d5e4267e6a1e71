use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn labels(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table.select(users::name.concat(users::score)).load(conn)
}

fn main() {
    let _ = labels;
}
