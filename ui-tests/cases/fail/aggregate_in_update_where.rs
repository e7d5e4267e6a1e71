use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// WHERE of an UPDATE sees one row at a time: no aggregate.
fn rename(conn: &mut SqliteConnection) -> QueryResult<usize> {
    update(users::table)
        .set(users::name.eq("x"))
        .filter(count_star().gt(1))
        .execute(conn)
}

fn main() {
    let _ = rename;
}
