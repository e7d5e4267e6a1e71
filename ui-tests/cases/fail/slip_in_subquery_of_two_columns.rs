use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn authors(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::id.eq_any(posts::table.select((posts::user_id, posts::id))))
        .select(users::name)
        .load(conn)
}

fn main() {
    let _ = authors;
}
