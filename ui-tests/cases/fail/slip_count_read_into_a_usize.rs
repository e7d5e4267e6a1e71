use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn how_many(conn: &mut SqliteConnection) -> QueryResult<usize> {
    users::table.select(count_star()).first(conn)
}

fn main() {
    let _ = how_many;
}
