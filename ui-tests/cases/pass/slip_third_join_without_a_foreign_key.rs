use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn tags(conn: &mut SqliteConnection) -> QueryResult<Vec<(String, String)>> {
    users::table
        .inner_join(posts::table)
        .inner_join(post_tags::table.on(post_tags::post_id.eq(posts::id)))
        .select((users::name, post_tags::tag))
        .load(conn)
}

fn main() {
    let _ = tags;
}
