use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn tagged(conn: &mut PgConnection) -> QueryResult<Vec<i32>> {
    docs::table.filter(docs::labels.array_contains(vec!["rust".to_owned()])).select(docs::id).load(conn)
}

fn main() {
    let _ = tagged;
}
