use philtre::prelude::*;
use philtre::query::all_of;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn top(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::score.gt(all_of(posts::table.select(posts::id))))
        .select(users::name)
        .load(conn)
}

fn main() {
    let _ = top;
}
