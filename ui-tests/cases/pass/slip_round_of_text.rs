use philtre::prelude::*;
use philtre::functions::round;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn rounded(conn: &mut SqliteConnection) -> QueryResult<Vec<f64>> {
    users::table.select(round(cast::<Double, _>(users::score) / 3.0)).load(conn)
}

fn main() {
    let _ = rounded;
}
