use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // `contains` is a LIKE: text only.
    let _ = users::table.filter(users::id.contains("1"));
}
