use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = post_tags::table.find((1, "rust"));
}
