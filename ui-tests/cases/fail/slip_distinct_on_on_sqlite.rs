use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn one_per_score(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table.select(users::name).distinct_on(users::score).load(conn)
}

fn main() {
    let _ = one_per_score;
}
