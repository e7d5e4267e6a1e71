use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn total(conn: &mut SqliteConnection) -> QueryResult<Option<i64>> {
    users::table.select(sum(users::score)).first(conn)
}

fn main() {
    let _ = total;
}
