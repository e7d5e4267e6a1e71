use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn add(conn: &mut SqliteConnection) -> QueryResult<i32> {
    insert_into(users::table)
        .values(users::name.eq("Ada"))
        .returning((users::id, users::name))
        .get_result(conn)
}

fn main() {
    let _ = add;
}
