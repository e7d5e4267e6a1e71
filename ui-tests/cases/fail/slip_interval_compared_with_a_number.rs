use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

// A number of minutes is not an INTERVAL.
fn long(conn: &mut PgConnection) -> QueryResult<Vec<i32>> {
    visits::table.filter(visits::length.gt(60)).select(visits::id).load(conn)
}

fn main() {
    let _ = long;
}
