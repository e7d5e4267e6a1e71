use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = insert_into(users::table).values(posts::title.eq("x"));
}
