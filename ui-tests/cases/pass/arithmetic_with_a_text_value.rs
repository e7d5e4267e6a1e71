use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // Any number meets an INTEGER: the result is DOUBLE PRECISION.
    let _ = users::table.select((users::score + 1, users::score * 1.5, users::score / 2.0));
}
