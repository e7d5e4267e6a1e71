use philtre::prelude::*;
use philtre_ui_tests::schema::*;

// On MySQL, and on PostgreSQL by key through a subquery.
fn purge(conn: &mut philtre_mysql::MysqlConnection) -> QueryResult<usize> {
    delete(users::table).order(users::score).limit(10).execute(conn)
}

fn purge_by_key(conn: &mut philtre_postgres::PgConnection) -> QueryResult<usize> {
    delete(users::table)
        .filter(users::id.eq_any(users::table.select(users::id).order(users::score).limit(10)))
        .execute(conn)
}

fn main() {
    let _ = purge;
    let _ = purge_by_key;
}
