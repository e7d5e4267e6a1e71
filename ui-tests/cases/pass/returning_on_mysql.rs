use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

// The same statement compiles for PostgreSQL; on MySQL, insert and read back separately.
fn insert_returning_id(conn: &mut PgConnection) -> QueryResult<i32> {
    insert_into(users::table)
        .values(users::name.eq("x"))
        .returning(users::id)
        .get_result(conn)
}

fn insert_then_select(conn: &mut MysqlConnection) -> QueryResult<i32> {
    insert_into(users::table).values(users::name.eq("x")).execute(conn)?;
    users::table.select(users::id).order(users::id.desc()).first(conn)
}

fn main() {
    let _ = (insert_returning_id, insert_then_select);
}
