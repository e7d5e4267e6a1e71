use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = update(users::table.filter(users::score.lt(2.5))).set(users::score.eq(3));
}
