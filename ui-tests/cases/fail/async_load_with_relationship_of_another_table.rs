use philtre::async_prelude::*;
use philtre::orm::{AsyncLoadWithDsl, LoadDsl, parent};
use philtre_ui_tests::schema::*;

#[derive(Clone, Queryable, Selectable)]
#[philtre(table = users)]
struct User {
    name: String,
}

// The same rule on an async connection: a post's user starts at posts, but this query
// returns users.
async fn load(conn: &mut philtre_sqlite::AsyncSqliteConnection) -> QueryResult<()> {
    let _ = users::table
        .select(User::as_select())
        .load_with::<User>(parent(posts::user_id).selectin::<User>(), conn)
        .await?;
    Ok(())
}

fn main() {
    let _ = load;
}
