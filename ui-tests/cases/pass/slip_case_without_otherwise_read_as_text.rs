use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn levels(conn: &mut SqliteConnection) -> QueryResult<Vec<Option<String>>> {
    users::table.select(case_when(users::score.gt(10), "high")).load(conn)
}

fn main() {
    let _ = levels;
}
