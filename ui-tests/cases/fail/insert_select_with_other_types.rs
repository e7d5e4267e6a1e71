use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = insert_into(users::table).from_select((users::name, users::score), posts::table.select((posts::title, posts::title)));
}
