use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// The id came from elsewhere as an `i64`; `users.id` is an INTEGER (`i32`).
fn user(conn: &mut SqliteConnection, id: i64) -> QueryResult<String> {
    users::table.filter(users::id.eq(id)).select(users::name).first(conn)
}

fn main() {
    let _ = user;
}
