use philtre::orm::{LoadDsl, LoadWithDsl, children};
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

#[derive(Clone, Queryable, Selectable)]
#[philtre(table = users)]
struct User {
    name: String,
}

#[derive(Clone, Queryable, Selectable)]
#[philtre(table = reviews)]
struct Review {
    id: i32,
}

// Compiled, not run: there are no tables behind the connection.
fn load() -> philtre::QueryResult<()> {
    let mut conn = philtre_sqlite::SqliteConnection::open(":memory:")?;
    // The reviews each user wrote: a relationship that starts at users.
    let _ = users::table
        .select(User::as_select())
        .load_with::<User>(children(reviews::author_id).selectin::<Review>(), &mut conn)?;
    Ok(())
}

fn main() {
    let _ = load;
}
