use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// `title` may be `None`, and `posts.title` has no default to fall back on.
#[derive(Insertable)]
#[philtre(table = posts)]
struct NewPost<'a> {
    user_id: i32,
    title: Option<&'a str>,
}

fn add_post(conn: &mut SqliteConnection, post: &NewPost<'_>) -> QueryResult<usize> {
    insert_into(posts::table).values(post).execute(conn)
}

fn main() {
    let _ = add_post;
}
