use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn totals(conn: &mut PgConnection) -> QueryResult<Vec<(Option<i32>, Option<String>, i32, i64)>> {
    users::table
        .group_by(grouping_sets((users::score, users::name), &[&[0], &[1], &[]]))
        .select((users::score, users::name, grouping(users::score), count_star()))
        .load(conn)
}

fn main() {
    let _ = totals;
}
