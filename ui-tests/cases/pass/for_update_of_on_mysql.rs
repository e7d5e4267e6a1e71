use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn lock(conn: &mut PgConnection) -> QueryResult<Vec<i32>> {
    posts::table
        .inner_join(users::table)
        .select(posts::id)
        .for_update()
        .of(users::table)
        .load(conn)
}

// MariaDB locks the rows of every table of the query.
fn lock_all(conn: &mut MysqlConnection) -> QueryResult<Vec<i32>> {
    posts::table.inner_join(users::table).select(posts::id).for_update().load(conn)
}

fn main() {
    let _ = (lock, lock_all);
}
