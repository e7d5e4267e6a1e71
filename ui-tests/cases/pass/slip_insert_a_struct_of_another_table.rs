use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

#[derive(Insertable)]
#[philtre(table = posts)]
struct NewPost<'a> {
    user_id: i32,
    title: &'a str,
}

fn add(conn: &mut SqliteConnection, post: &NewPost<'_>) -> QueryResult<usize> {
    insert_into(posts::table).values(post).execute(conn)
}

fn main() {
    let _ = add;
}
