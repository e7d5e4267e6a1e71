use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.select(count_star()).having(count_star().gt(1));
}
