use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

philtre::table! {
    per_user (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}

// The most posts any user wrote: count per user in a derived table, then take the maximum.
fn most_posts(conn: &mut SqliteConnection) -> QueryResult<Option<i64>> {
    posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, count(posts::id)))
        .into_table(per_user::table)
        .select(max(per_user::n))
        .first(conn)
}

fn main() {
    let _ = most_posts;
}
