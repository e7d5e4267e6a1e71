use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_ui_tests::schema::*;

fn extend(conn: &mut MysqlConnection) -> QueryResult<usize> {
    update(visits::table)
        .set(visits::at.eq(visits::at.add_interval(visits::length)))
        .execute(conn)
}

fn main() {
    let _ = extend;
}
