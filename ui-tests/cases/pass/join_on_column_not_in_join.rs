use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.inner_join(posts::table.on(users::name.eq(posts::title)));
}
