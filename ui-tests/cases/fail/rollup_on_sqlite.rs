use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn totals(conn: &mut SqliteConnection) -> QueryResult<Vec<(Option<String>, i64)>> {
    users::table.group_by(rollup(users::name)).select((users::name, count_star())).load(conn)
}

fn main() {
    let _ = totals;
}
