use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn per_author(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, i64)>> {
    posts::table
        .inner_join(users::table)
        .group_by(users::id)
        .select((users::name, count(posts::id)))
        .load(conn)
}

fn main() {
    let _ = per_author;
}
