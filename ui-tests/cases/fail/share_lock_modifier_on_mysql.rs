use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_ui_tests::schema::*;

fn lock(conn: &mut MysqlConnection) -> QueryResult<Vec<i32>> {
    users::table.select(users::id).for_share().skip_locked().load(conn)
}

fn main() {
    let _ = lock;
}
