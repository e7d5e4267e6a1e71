use philtre::expression::{count_star, max};
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // FILTER (WHERE …) tests each row, like WHERE: no aggregate in it.
    let _ = posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, count_star().filter(max(posts::id).gt(1))));
}
