use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn main() -> Result<(), philtre::Error> {
    let mut conn = SqliteConnection::open(":memory:")?;
    let _: Vec<String> = users::table.select(users::email).load(&mut conn)?;
    Ok(())
}
