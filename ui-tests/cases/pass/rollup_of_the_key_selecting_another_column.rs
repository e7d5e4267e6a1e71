use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table
        .group_by(rollup((users::id, users::name)))
        .select((users::name, count_star()));
}
