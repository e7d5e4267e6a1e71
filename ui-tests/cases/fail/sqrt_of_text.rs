use philtre::expression::sqrt;
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.select(sqrt(users::name));
}
