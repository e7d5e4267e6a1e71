use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

philtre::table! { new_user (id) { id -> Integer, } }

fn add(conn: &mut SqliteConnection) -> QueryResult<Vec<i32>> {
    let insert = insert_into(users::table)
        .values((users::name.eq("carol"), users::email.eq("carol@example.com")))
        .returning(users::id);
    new_user::table.select(new_user::id).with(cte(new_user::table, insert)).load(conn)
}

fn main() {
    let _ = add;
}
