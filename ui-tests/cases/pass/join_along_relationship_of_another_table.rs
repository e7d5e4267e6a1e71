use philtre::orm::children;
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// Two foreign keys from `reviews` to `users`: the relationship says which one the join follows.
fn reviews_written(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, i32)>> {
    users::table
        .inner_join(children(reviews::author_id))
        .select((users::name, reviews::id))
        .load(conn)
}

fn main() {
    let _ = reviews_written;
}
