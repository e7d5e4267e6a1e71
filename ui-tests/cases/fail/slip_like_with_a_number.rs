use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn named_like(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    users::table.filter(users::name.like(5)).select(users::id).load(conn)
}

fn main() {
    let _ = named_like;
}
