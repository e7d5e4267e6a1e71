use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.filter(posts::title.eq("x"));
}
