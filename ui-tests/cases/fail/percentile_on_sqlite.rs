use philtre::functions::percentile_cont;
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn medians(conn: &mut SqliteConnection) -> QueryResult<Vec<Option<f64>>> {
    users::table.select(percentile_cont(0.5, users::score)).load(conn)
}

fn main() {
    let _ = medians;
}
