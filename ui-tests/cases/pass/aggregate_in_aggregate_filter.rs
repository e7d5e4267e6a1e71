use philtre::expression::{count_star, max};
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // A condition on each row; a condition on the group goes in HAVING.
    let _ = posts::table
        .group_by(posts::user_id)
        .having(max(posts::id).gt(1))
        .select((posts::user_id, count_star().filter(posts::id.gt(1))));
}
