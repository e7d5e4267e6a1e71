use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.inner_join(users::table.on(users::score.gt(users::score)));
}
