use philtre::functions::string_agg;
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn scores(conn: &mut SqliteConnection) -> QueryResult<Option<String>> {
    users::table.select(string_agg(users::score, ", ")).first(conn)
}

fn main() {
    let _ = scores;
}
