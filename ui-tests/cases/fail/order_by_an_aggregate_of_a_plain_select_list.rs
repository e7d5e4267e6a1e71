use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Without GROUP BY, `count(*)` in ORDER BY makes the query an aggregate: PostgreSQL and MySQL
// refuse it, SQLite returns a single row.
fn names(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, String)>> {
    users::table.select((users::id, users::name)).order(count_star()).load(conn)
}

fn main() {
    let _ = names;
}
