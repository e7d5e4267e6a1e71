use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// `email = 'x'` is NULL where the email is.
fn matches(conn: &mut SqliteConnection) -> QueryResult<Vec<bool>> {
    users::table.select(users::email.eq("x")).load(conn)
}

fn main() {
    let _ = matches;
}
