use philtre::expression::length;
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table
        .group_by(users::email)
        .select((grouped(length(users::name)), count_star()));
}
