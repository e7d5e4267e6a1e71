use philtre::functions::{percentile_cont, percentile_disc};
use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn medians(conn: &mut PgConnection) -> QueryResult<Vec<(String, Option<f64>, Option<i32>)>> {
    users::table
        .group_by(users::name)
        .select((users::name, percentile_cont(0.5, users::score), percentile_disc(0.9, users::score)))
        .load(conn)
}

fn main() {
    let _ = medians;
}
