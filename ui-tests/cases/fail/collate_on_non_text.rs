use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // A collation orders text.
    let _ = users::table.order(users::score.collate("C"));
}
