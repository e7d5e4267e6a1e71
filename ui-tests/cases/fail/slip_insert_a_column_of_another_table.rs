use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

// The post's title given to the INSERT of its author.
fn add_author(conn: &mut SqliteConnection) -> QueryResult<usize> {
    insert_into(users::table)
        .values((users::name.eq("Ada"), posts::title.eq("First post")))
        .execute(conn)
}

fn main() {
    let _ = add_author;
}
