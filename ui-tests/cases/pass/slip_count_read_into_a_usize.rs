use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn how_many(conn: &mut SqliteConnection) -> QueryResult<usize> {
    let n: i64 = users::table.select(count_star()).first(conn)?;
    Ok(usize::try_from(n).unwrap_or_default())
}

fn main() {
    let _ = how_many;
}
