use philtre::expression::lower;
use philtre::prelude::*;
use philtre_engine::AnyConnection;
use philtre_ui_tests::schema::*;

// Case-insensitive matching every backend has: lower the column.
fn names_like(conn: &mut AnyConnection) -> QueryResult<Vec<String>> {
    users::table
        .filter(lower(users::name).like("a%"))
        .select(users::name)
        .load(conn)
}

fn main() {
    let _ = names_like;
}
