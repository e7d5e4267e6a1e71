use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

#[derive(Queryable)]
struct Named {
    name: String,
    id: i32,
}

// `Queryable` reads columns by position: (id, name) does not fill (name, id).
fn named(conn: &mut SqliteConnection) -> QueryResult<Vec<Named>> {
    users::table.select((users::id, users::name)).load(conn)
}

fn main() {
    let _ = named;
}
