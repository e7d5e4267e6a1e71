use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = posts::table.select(posts::id).for_update().of(posts::table);
}
