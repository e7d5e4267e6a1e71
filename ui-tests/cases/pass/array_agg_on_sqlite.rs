use philtre::expression::{array_agg, string_agg};
use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// PostgreSQL has arrays; SQLite joins the titles into text instead.
fn titles(conn: &mut PgConnection) -> QueryResult<Vec<(i32, Option<Vec<String>>)>> {
    posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, array_agg(posts::title).order_by(posts::id)))
        .load(conn)
}

fn joined(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, Option<String>)>> {
    posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, string_agg(posts::title, ", ")))
        .load(conn)
}

fn main() {
    let _ = (titles, joined);
}
