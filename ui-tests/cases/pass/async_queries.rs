use philtre::async_prelude::*;
use philtre_postgres::AsyncPgConnection;
use philtre_sqlite::AsyncSqliteConnection;
use philtre_ui_tests::schema::*;

// RETURNING on a backend that has it, awaited.
async fn insert_returning_id(conn: &mut AsyncPgConnection) -> QueryResult<i32> {
    insert_into(users::table)
        .values(users::name.eq("x"))
        .returning(users::id)
        .get_result(conn)
        .await
}

// The same statements as on a blocking connection; every future is `Send`.
async fn names(conn: &mut AsyncSqliteConnection) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::id.gt(1))
        .order(users::name)
        .select(users::name)
        .load(conn)
        .await
}

fn assert_send<T: Send>(_: T) {}

fn main() {
    let _ = insert_returning_id;
    let _ = |conn: &'static mut AsyncSqliteConnection| assert_send(names(conn));
}
