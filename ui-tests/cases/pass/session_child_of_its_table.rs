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

#[derive(Clone, PartialEq, Entity)]
#[philtre(table = posts)]
struct Post {
    id: i32,
    user_id: i32,
    title: String,
}

// Compiled, not run.
fn add() -> philtre::QueryResult<()> {
    let mut conn = philtre_sqlite::SqliteConnection::open(":memory:")?;
    let registry = Registry::new(&Schema::new().table(users::table).table(posts::table));
    let mut session = Session::new(&registry, &mut conn);
    let ann = session.add(User { id: 0, name: "ann".into(), email: None, score: 0 })?;
    session.add_child(ann, posts::user_id, Post { id: 0, user_id: 0, title: "t".into() })?;
    session.commit()
}

fn main() {
    let _ = add;
}
