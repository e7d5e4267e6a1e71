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

fn busiest(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, i64)>> {
    let counts = cte(
        post_counts::table,
        posts::table.group_by(posts::user_id).select((posts::user_id, count(posts::id))),
    );
    // As a derived table, the same declaration defines itself in place.
    let _derived = users::table
        .inner_join(
            posts::table
                .group_by(posts::user_id)
                .select((posts::user_id, count(posts::id)))
                .into_table(post_counts::table)
                .on(post_counts::user_id.eq(users::id)),
        )
        .select((users::name, post_counts::n));
    users::table
        .inner_join(post_counts::table.on(post_counts::user_id.eq(users::id)))
        .select((users::name, post_counts::n))
        .with(counts)
        .load(conn)
}

fn main() {
    let _ = busiest;
}
