use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn same_day(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    visits::table.filter(visits::day.eq(visits::at)).select(visits::id).load(conn)
}

fn main() {
    let _ = same_day;
}
