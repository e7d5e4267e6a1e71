use philtre::prelude::*;
use philtre::functions::array_agg;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn names(conn: &mut PgConnection) -> QueryResult<Option<String>> {
    users::table.select(array_agg(users::name)).first(conn)
}

fn main() {
    let _ = names;
}
