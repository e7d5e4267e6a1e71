use philtre::expression::row;
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.filter(row((users::id, users::name)).gt((1, "a")));
}
