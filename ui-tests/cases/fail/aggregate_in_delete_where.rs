use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// WHERE of a DELETE sees one row at a time: no aggregate.
fn prune(conn: &mut SqliteConnection) -> QueryResult<usize> {
    delete(users::table).filter(count_star().gt(1)).execute(conn)
}

fn main() {
    let _ = prune;
}
