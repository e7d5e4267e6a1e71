use philtre::prelude::*;
use philtre_engine::AnyConnection;
use philtre_ui_tests::schema::*;

fn names_like(conn: &mut AnyConnection) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::name.ilike("a%"))
        .select(users::name)
        .load(conn)
}

fn main() {
    let _ = names_like;
}
