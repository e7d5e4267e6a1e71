use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn count(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, i64)>> {
    users::table
        .group_by(users::name)
        .select((users::name, count_star()))
        .order(users::name)
        .load(conn)
}

fn main() {
    let _ = count;
}
