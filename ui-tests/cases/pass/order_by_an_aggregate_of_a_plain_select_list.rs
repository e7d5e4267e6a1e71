use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Ordering groups by an aggregate needs GROUP BY; a plain query is ordered by columns.
fn names(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, String)>> {
    let _busiest = posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, count_star()))
        .order(count_star().desc());
    let _total = posts::table.select(count_star()).order(count_star());
    users::table.select((users::id, users::name)).order(users::name).load(conn)
}

fn main() {
    let _ = names;
}
