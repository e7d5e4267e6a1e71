use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// DELETE takes one table (filtered), not a join.
fn remove_authors(conn: &mut SqliteConnection) -> QueryResult<usize> {
    delete(users::table.inner_join(posts::table)).execute(conn)
}

fn main() {
    let _ = remove_authors;
}
