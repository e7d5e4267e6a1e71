use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_ui_tests::schema::*;

#[derive(Insertable)]
#[philtre(table = posts)]
struct NewPost<'a> {
    user_id: i32,
    title: &'a str,
}

// The id is the table's single integer key, which the database numbers; `email` is nullable.
fn add(conn: &mut SqliteConnection, post: &NewPost<'_>) -> QueryResult<usize> {
    insert_into(users::table)
        .values((users::name.eq("Ada"), users::score.eq(0)))
        .execute(conn)?;
    insert_into(posts::table).values(post).execute(conn)?;
    insert_into(posts::table)
        .values(vec![(posts::user_id.eq(1), posts::title.eq("a")), (posts::user_id.eq(1), posts::title.eq("b"))])
        .execute(conn)
}

fn main() {
    let _ = add;
}
