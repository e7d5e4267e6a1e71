use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn serializable(conn: &mut SqliteConnection) -> QueryResult<usize> {
    conn.transaction_with(IsolationLevel::Serializable, |conn| {
        insert_into(users::table).values(users::name.eq("x")).execute(conn)
    })
}

fn main() {
    let _ = serializable;
}
