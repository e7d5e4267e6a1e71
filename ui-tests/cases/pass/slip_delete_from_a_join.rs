use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn remove_authors(conn: &mut SqliteConnection) -> QueryResult<usize> {
    delete(users::table.filter(users::id.eq_any(posts::table.select(posts::user_id)))).execute(conn)
}

fn main() {
    let _ = remove_authors;
}
