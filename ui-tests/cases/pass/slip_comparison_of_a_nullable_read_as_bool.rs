use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn matches(conn: &mut SqliteConnection) -> QueryResult<Vec<Option<bool>>> {
    users::table.select(users::email.eq("x")).load(conn)
}

fn main() {
    let _ = matches;
}
