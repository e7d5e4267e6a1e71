use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn long(conn: &mut PgConnection) -> QueryResult<Vec<i32>> {
    visits::table
        .filter(philtre::functions::interval_between(visits::at, visits::at.add_interval(visits::length)).gt(visits::length))
        .select(visits::id)
        .load(conn)
}

fn main() {
    let _ = long;
}
