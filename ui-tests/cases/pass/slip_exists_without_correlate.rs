use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn authors(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table
        .filter(exists(posts::table.correlate(users::table).filter(posts::user_id.eq(users::id))))
        .select(users::name)
        .load(conn)
}

fn main() {
    let _ = authors;
}
