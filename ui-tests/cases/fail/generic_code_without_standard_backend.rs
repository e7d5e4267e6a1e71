use philtre::connection::Connection;
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn names<C: Connection>(conn: &mut C) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::score.gt(3))
        .select(users::name)
        .load(conn)
}

fn main() {
    let _ = names::<philtre_sqlite::SqliteConnection>;
}
