use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// The valid neighbour: a per-row condition.
fn prune(conn: &mut SqliteConnection) -> QueryResult<usize> {
    delete(users::table).filter(users::id.gt(1)).execute(conn)
}

fn main() {
    let _ = prune;
}
