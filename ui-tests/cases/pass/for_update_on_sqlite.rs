use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn lock_pg(conn: &mut PgConnection) -> QueryResult<Vec<i32>> {
    users::table.select(users::id).for_update().skip_locked().load(conn)
}

fn lock_mysql(conn: &mut MysqlConnection) -> QueryResult<Vec<i32>> {
    users::table.select(users::id).for_update().no_wait().load(conn)
}

fn main() {
    let _ = (lock_pg, lock_mysql);
}
