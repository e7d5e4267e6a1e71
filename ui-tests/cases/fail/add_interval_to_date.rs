use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn extend(conn: &mut PgConnection) -> QueryResult<usize> {
    update(visits::table)
        .set(visits::day.eq(visits::day.add_interval(visits::length)))
        .execute(conn)
}

fn main() {
    let _ = extend;
}
