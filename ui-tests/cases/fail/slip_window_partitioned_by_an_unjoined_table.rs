use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn numbered(conn: &mut SqliteConnection) -> QueryResult<Vec<(i64, String)>> {
    users::table
        .select((row_number().over(window().partition_by(posts::user_id)), users::name))
        .load(conn)
}

fn main() {
    let _ = numbered;
}
