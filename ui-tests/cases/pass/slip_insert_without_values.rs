use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn add(conn: &mut SqliteConnection) -> QueryResult<usize> {
    insert_into(users::table).values(users::name.eq("Ada")).execute(conn)
}

fn main() {
    let _ = add;
}
