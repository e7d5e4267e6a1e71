use philtre::functions::interval_between;
use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn extend(conn: &mut PgConnection) -> QueryResult<usize> {
    update(visits::table)
        .set(visits::at.eq(visits::at.add_interval(visits::length)))
        .filter(interval_between(visits::at.sub_interval(visits::length), visits::at).lt(visits::length))
        .execute(conn)
}

fn main() {
    let _ = extend;
}
