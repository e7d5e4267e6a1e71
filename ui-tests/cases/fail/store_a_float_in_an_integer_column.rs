use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // Comparing an INTEGER with 2.5 is fine; storing 2.5 in it would round.
    let _ = update(users::table.filter(users::score.lt(2.5))).set(users::score.eq(2.5));
}
