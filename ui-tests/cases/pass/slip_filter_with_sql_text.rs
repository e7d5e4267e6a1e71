use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn first_user(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table.filter(users::id.eq(1)).select(users::name).load(conn)
}

fn main() {
    let _ = first_user;
}
