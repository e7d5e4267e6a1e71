use philtre::prelude::*;
use philtre_postgres::PgConnection;
use philtre_ui_tests::schema::*;

fn first_posts(conn: &mut PgConnection) -> QueryResult<Vec<(i32, String)>> {
    posts::table
        .select((posts::user_id, posts::title))
        .distinct_on(posts::user_id)
        .load(conn)
}

fn main() {
    let _ = first_posts;
}
