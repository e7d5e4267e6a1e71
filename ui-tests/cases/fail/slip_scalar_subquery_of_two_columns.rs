use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn top(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::id.eq(posts::table.select((posts::user_id, posts::id)).order(posts::id).limit(1).single_value()))
        .select(users::name)
        .load(conn)
}

fn main() {
    let _ = top;
}
