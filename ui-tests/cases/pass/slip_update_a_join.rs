use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// The rows to change chosen through the join: a subquery in the UPDATE's filter.
fn rename_authors(conn: &mut SqliteConnection) -> QueryResult<usize> {
    update(users::table.filter(users::id.eq_any(posts::table.select(posts::user_id))))
        .set(users::name.eq("author"))
        .execute(conn)
}

fn main() {
    let _ = rename_authors;
}
