use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_ui_tests::schema::*;

fn names(conn: &mut MysqlConnection) -> QueryResult<Vec<(Option<String>, Option<String>)>> {
    users::table
        .full_join(posts::table)
        .select((users::name, posts::title))
        .load(conn)
}

fn main() {
    let _ = names;
}
