use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn main() -> Result<(), philtre::Error> {
    let mut conn = SqliteConnection::open(":memory:")?;
    let _: Vec<(i32, i32)> = users::table.select((users::id, users::name)).load(&mut conn)?;
    Ok(())
}
