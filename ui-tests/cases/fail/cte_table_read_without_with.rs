use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

philtre::table! {
    /// Posts per author: the name of a CTE, never created.
    #[cte]
    post_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}

// The CTE is built but never attached: SQLite would answer "no such table: post_counts".
fn busiest(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, i64)>> {
    let _counts = cte(
        post_counts::table,
        posts::table.group_by(posts::user_id).select((posts::user_id, count(posts::id))),
    );
    users::table
        .inner_join(post_counts::table.on(post_counts::user_id.eq(users::id)))
        .select((users::name, post_counts::n))
        .load(conn)
}

fn main() {
    let _ = busiest;
}
