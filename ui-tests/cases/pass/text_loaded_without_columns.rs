use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;

fn names(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    text("SELECT name FROM users").columns::<Text>().load(conn)
}

fn main() {
    let _ = names;
}
