use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.select((users::id, row_number().over(window().order_by(users::id))));
}
