use philtre::orm::{LoadDsl, LoadWithDsl, children};
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

#[derive(Clone, Queryable, Selectable)]
#[philtre(table = users)]
struct User {
    name: String,
}

#[derive(Clone, Queryable, Selectable)]
#[philtre(table = posts)]
struct Post {
    title: String,
}

// Compiled, not run: there are no tables behind the connection.
fn load() -> philtre::QueryResult<()> {
    let mut conn = philtre_sqlite::SqliteConnection::open(":memory:")?;
    // A user's posts, as `Post`s.
    let _ = users::table
        .select(User::as_select())
        .load_with::<User>(children(posts::user_id).selectin::<Post>(), &mut conn)?;
    Ok(())
}

fn main() {
    let _ = load;
}
