use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn contacts(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table.select(coalesce(users::email, "none")).load(conn)
}

fn main() {
    let _ = contacts;
}
