use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table
        .select(users::id)
        .union(posts::table.select(posts::user_id))
        .order(users::id);
}
