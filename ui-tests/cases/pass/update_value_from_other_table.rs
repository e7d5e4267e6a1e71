use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = update(users::table).set((users::name.eq(users::name.concat("!")), users::score.eq(users::score + 1)));
}
