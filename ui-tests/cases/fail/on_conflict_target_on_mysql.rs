use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_ui_tests::schema::*;

fn upsert(conn: &mut MysqlConnection) -> QueryResult<usize> {
    insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("x")))
        .on_conflict(users::id)
        .do_update()
        .set(users::name.eq(excluded(users::name)))
        .execute(conn)
}

fn main() {
    let _ = upsert;
}
