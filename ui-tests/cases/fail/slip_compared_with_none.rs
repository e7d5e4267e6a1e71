use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// `= NULL` is never true in SQL.
fn without_email(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    users::table.filter(users::email.eq(None)).select(users::id).load(conn)
}

fn main() {
    let _ = without_email;
}
