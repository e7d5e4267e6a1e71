use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.order(users::name.collate("C"));
    let _ = users::table.filter(users::name.collate("NOCASE").eq("ann"));
}
