use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn some(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table.filter(users::id.eq_any(vec!["1", "2"])).select(users::name).load(conn)
}

fn main() {
    let _ = some;
}
