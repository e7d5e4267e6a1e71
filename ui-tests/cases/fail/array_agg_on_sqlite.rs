use philtre::expression::array_agg;
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn titles(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, Option<Vec<String>>)>> {
    posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, array_agg(posts::title)))
        .load(conn)
}

fn main() {
    let _ = titles;
}
