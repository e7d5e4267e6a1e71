use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn user(conn: &mut SqliteConnection, id: i32) -> QueryResult<String> {
    users::table.filter(users::id.eq(id)).select(users::name).first(conn)
}

fn main() {
    let _ = user;
}
