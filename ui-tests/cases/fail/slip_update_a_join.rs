use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// UPDATE takes one table (filtered), not a join.
fn rename_authors(conn: &mut SqliteConnection) -> QueryResult<usize> {
    update(users::table.inner_join(posts::table))
        .set(users::name.eq("author"))
        .execute(conn)
}

fn main() {
    let _ = rename_authors;
}
