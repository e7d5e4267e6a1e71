use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn last_day(conn: &mut SqliteConnection) -> QueryResult<Option<String>> {
    visits::table.select(max(cast::<Text, _>(visits::day))).first(conn)
}

fn main() {
    let _ = last_day;
}
