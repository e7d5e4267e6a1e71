use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn change(conn: &mut SqliteConnection) -> QueryResult<usize> {
    update(users::table.filter(users::id.eq(1))).set(users::email.eq(Some("a@x"))).execute(conn)
}

fn main() {
    let _ = change;
}
