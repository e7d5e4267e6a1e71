use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn pairs(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, String)>> {
    users::table
        .inner_join(posts::table.on(posts::title.eq(users::id)))
        .select((users::name, posts::title))
        .load(conn)
}

fn main() {
    let _ = pairs;
}
