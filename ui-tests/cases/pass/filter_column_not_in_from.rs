use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = posts::table.filter(posts::title.eq("x"));
}
