use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn without_email(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    users::table.filter(users::email.is_null()).select(users::id).load(conn)
}

fn main() {
    let _ = without_email;
}
