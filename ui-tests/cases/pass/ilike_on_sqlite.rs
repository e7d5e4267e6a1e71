use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn names(conn: &mut PgConnection) -> QueryResult<Vec<String>> {
    users::table.select(users::name).filter(users::name.ilike("a%")).load(conn)
}

fn main() {
    let _ = names;
}
