use philtre::prelude::*;
use philtre::functions::round;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn rounded(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table.select(round(users::name)).load(conn)
}

fn main() {
    let _ = rounded;
}
