use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_ui_tests::schema::*;

fn named_like(conn: &mut MysqlConnection) -> QueryResult<Vec<i32>> {
    users::table.filter(users::name.ilike("a%")).select(users::id).load(conn)
}

fn main() {
    let _ = named_like;
}
