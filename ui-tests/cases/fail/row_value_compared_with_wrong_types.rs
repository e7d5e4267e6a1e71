use philtre::expression::row;
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // (id, name) against (text, number): the elements are swapped.
    let _ = users::table.filter(row((users::id, users::name)).gt(("a", 1)));
}
