use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // Grouping by the primary key covers every column of its table.
    let _ = users::table.group_by(users::id).select((users::name, count_star()));
}
