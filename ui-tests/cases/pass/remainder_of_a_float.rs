use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.select((users::id % 2, -users::id, -(users::id % 3) + 1));
}
