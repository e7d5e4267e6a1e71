use philtre::prelude::*;
use philtre::query::all_of;
use philtre_postgres::PgConnection;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// PostgreSQL (and MySQL) compare with ALL of a subquery.
fn top(conn: &mut PgConnection) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::score.gt(all_of(posts::table.select(posts::id))))
        .select(users::name)
        .load(conn)
}

// SQLite: the rewrite the error's note names.
fn top_sqlite(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    users::table
        .filter(not(exists(posts::table.correlate(users::table).filter(posts::id.ge(users::score)).select(posts::id))))
        .select(users::name)
        .load(conn)
}

fn main() {
    let _ = (top, top_sqlite);
}
