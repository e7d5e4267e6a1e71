use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // The key beside the columns it covers, in any order.
    let _ = users::table
        .group_by((users::name, users::email, users::id))
        .select((users::name, users::score));
    let _ = users::table
        .group_by((users::id, users::name))
        .select((users::name, count_star()));
}
