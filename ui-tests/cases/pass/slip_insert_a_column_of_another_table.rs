use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

fn add_author_and_post(conn: &mut SqliteConnection) -> QueryResult<usize> {
    let author: i32 = insert_into(users::table)
        .values(users::name.eq("Ada"))
        .returning(users::id)
        .get_result(conn)?;
    insert_into(posts::table)
        .values((posts::user_id.eq(author), posts::title.eq("First post")))
        .execute(conn)
}

fn main() {
    let _ = add_author_and_post;
}
