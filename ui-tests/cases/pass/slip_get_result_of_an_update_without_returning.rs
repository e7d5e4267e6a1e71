use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn promote(conn: &mut SqliteConnection) -> QueryResult<i32> {
    update(users::table.filter(users::id.eq(1)))
        .set(users::score.eq(10))
        .returning(users::score)
        .get_result(conn)
}

fn main() {
    let _ = promote;
}
