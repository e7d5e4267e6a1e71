use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// The valid neighbour: a per-row condition.
fn rename(conn: &mut SqliteConnection) -> QueryResult<usize> {
    update(users::table)
        .set(users::name.eq("x"))
        .filter(users::id.gt(1))
        .execute(conn)
}

fn main() {
    let _ = rename;
}
