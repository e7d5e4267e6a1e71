use philtre::orm::children;
use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// `children(reviews::author_id)` starts at `users`, which this query does not select from.
fn reviews_of_posts(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, i32)>> {
    posts::table
        .inner_join(children(reviews::author_id))
        .select((posts::title, reviews::id))
        .load(conn)
}

fn main() {
    let _ = reviews_of_posts;
}
