use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_ui_tests::schema::*;

fn totals(conn: &mut MysqlConnection) -> QueryResult<Vec<(Option<i32>, Option<String>, i64)>> {
    users::table
        .group_by(grouping_sets((users::score, users::name), &[&[0], &[1], &[]]))
        .select((users::score, users::name, count_star()))
        .load(conn)
}

fn main() {
    let _ = totals;
}
