use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

// PostgreSQL: "for SELECT DISTINCT, ORDER BY expressions must appear in select list".
fn names(conn: &mut PgConnection) -> QueryResult<Vec<String>> {
    users::table.select(users::name).distinct().order(users::score.desc()).load(conn)
}

fn main() {
    let _ = names;
}
