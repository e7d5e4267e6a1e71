use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn totals_pg(conn: &mut PgConnection) -> QueryResult<Vec<(Option<String>, Option<i32>, i64)>> {
    users::table
        .group_by(cube((users::name, users::score)))
        .select((users::name, users::score, count_star()))
        .load(conn)
}

fn totals_mysql(conn: &mut MysqlConnection) -> QueryResult<Vec<(Option<String>, i64)>> {
    users::table.group_by(rollup(users::name)).select((users::name, count_star())).load(conn)
}

fn main() {
    let _ = (totals_pg, totals_mysql);
}
