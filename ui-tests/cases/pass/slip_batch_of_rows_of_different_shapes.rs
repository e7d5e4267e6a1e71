use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn add(conn: &mut SqliteConnection) -> QueryResult<usize> {
    insert_into(users::table)
        .values(vec![(users::name.eq("a"), users::email.eq(None::<&str>)), (users::name.eq("b"), users::email.eq(Some("b@x")))])
        .execute(conn)
}

fn main() {
    let _ = add;
}
