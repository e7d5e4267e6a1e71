use philtre::async_prelude::*;
use philtre_mysql::AsyncMysqlConnection;
use philtre_ui_tests::schema::*;

async fn insert_returning_id(conn: &mut AsyncMysqlConnection) -> QueryResult<i32> {
    insert_into(users::table)
        .values(users::name.eq("x"))
        .returning(users::id)
        .get_result(conn)
        .await
}

fn main() {
    let _ = insert_returning_id;
}
