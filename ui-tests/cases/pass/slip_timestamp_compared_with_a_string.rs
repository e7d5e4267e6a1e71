use philtre::functions::now;
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn recent(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    visits::table.filter(visits::at.lt(now())).select(visits::id).load(conn)
}

fn main() {
    let _ = recent;
}
