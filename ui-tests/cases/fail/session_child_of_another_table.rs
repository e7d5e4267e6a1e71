use philtre::orm::{Registry, Session};
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

#[derive(Clone, PartialEq, Entity)]
#[philtre(table = users)]
struct User {
    id: i32,
    name: String,
    email: Option<String>,
    score: i32,
}

// Compiled, not run.
fn add() -> philtre::QueryResult<()> {
    let mut conn = philtre_sqlite::SqliteConnection::open(":memory:")?;
    let registry = Registry::new(&Schema::new().table(users::table).table(posts::table));
    let mut session = Session::new(&registry, &mut conn);
    let ann = session.add(User { id: 0, name: "ann".into(), email: None, score: 0 })?;
    // Along `posts::user_id` the child is a row of `posts`, not another `User`.
    let bob = User { id: 0, name: "bob".into(), email: None, score: 0 };
    session.add_child(ann, posts::user_id, bob)?;
    Ok(())
}

fn main() {
    let _ = add;
}
