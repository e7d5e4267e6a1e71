use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = posts::table.filter(count_star().gt(1));
}
