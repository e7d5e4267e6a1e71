use philtre::prelude::*;
use philtre_sqlite::AsyncSqliteConnection;
use philtre_ui_tests::schema::*;

async fn names(conn: &mut AsyncSqliteConnection) -> QueryResult<Vec<String>> {
    users::table.select(users::name).load(conn)
}

fn main() {
    let _ = names;
}
