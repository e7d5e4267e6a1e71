use philtre::prelude::*;
use philtre_ui_tests::schema::*;

// Compiled, not run: PostgreSQL has no DELETE … LIMIT.
fn purge(conn: &mut philtre_postgres::PgConnection) -> QueryResult<usize> {
    delete(users::table).order(users::score).limit(10).execute(conn)
}

fn main() {
    let _ = purge;
}
