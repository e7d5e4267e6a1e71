use philtre::prelude::*;
use philtre_sqlite::Sqlite;
use philtre_ui_tests::schema::*;

fn main() {
    let mut query = users::table
        .inner_join(posts::table)
        .select(users::name)
        .into_boxed::<Sqlite>();
    for title in ["a", "b"] {
        query = query.filter(posts::title.eq(title));
    }
    let _ = query.order(users::name).limit(10);
}
