use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// HAVING written before the select list, as SQL users often build it.
fn prolific(conn: &mut SqliteConnection) -> QueryResult<Vec<(i32, i64)>> {
    posts::table
        .group_by(posts::user_id)
        .having(count_star().gt(1))
        .select((posts::user_id, count_star()))
        .load(conn)
}

// GROUP BY the primary key and the columns it covers, then select them.
fn scores(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, i32, i64)>> {
    users::table
        .inner_join(posts::table)
        .group_by((users::id, users::name, users::score))
        .select((users::name, users::score, count(posts::id)))
        .load(conn)
}

fn main() {
    let _ = (prolific, scores);
}
