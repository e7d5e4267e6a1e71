use philtre::prelude::*;
use philtre_engine::AnyConnection;
use philtre_ui_tests::schema::*;

fn insert_returning_id(conn: &mut AnyConnection) -> QueryResult<i32> {
    insert_into(users::table)
        .values(users::name.eq("x"))
        .returning(users::id)
        .get_result(conn)
}

fn main() {
    let _ = insert_returning_id;
}
