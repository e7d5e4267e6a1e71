use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_ui_tests::schema::*;

fn lock(conn: &mut MysqlConnection) -> QueryResult<Vec<i32>> {
    posts::table
        .inner_join(users::table)
        .select(posts::id)
        .for_update()
        .of(users::table)
        .load(conn)
}

fn main() {
    let _ = lock;
}
