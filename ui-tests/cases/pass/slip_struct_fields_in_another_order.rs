use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

#[derive(Queryable)]
struct Named {
    name: String,
    id: i32,
}

fn named(conn: &mut SqliteConnection) -> QueryResult<Vec<Named>> {
    users::table.select((users::name, users::id)).load(conn)
}

fn main() {
    let _ = named;
}
