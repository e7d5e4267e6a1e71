use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // In ROLLUP a primary key does not cover its table's other columns (a subtotal row has no
    // single name): list them as keys.
    let _ = users::table.group_by(rollup(users::id)).select((users::name, count_star()));
}
