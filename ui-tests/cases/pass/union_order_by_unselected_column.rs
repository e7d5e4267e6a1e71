use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table
        .select((users::id, users::name))
        .union(posts::table.select((posts::user_id, posts::title)))
        .order((users::name.desc(), users::id));
}
