use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.group_by(users::name).select((users::name, count_star()));
}
