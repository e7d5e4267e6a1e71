use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;

fn names(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    // Rows of a `text(..)` statement need their SQL types: `.columns::<Text>()`.
    text("SELECT name FROM users").load(conn)
}

fn main() {
    let _ = names;
}
