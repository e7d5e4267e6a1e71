use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.filter(users::id.eq(1));
    let _ = users::table.filter(users::name.eq("x"));
}
