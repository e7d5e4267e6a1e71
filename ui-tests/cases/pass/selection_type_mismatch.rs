use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn main() -> Result<(), philtre::Error> {
    let mut conn = SqliteConnection::open(":memory:")?;
    conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, score INTEGER NOT NULL)")?;
    let _: Vec<(i32, String)> = users::table.select((users::id, users::name)).load(&mut conn)?;
    Ok(())
}
