use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, rank().over(window().order_by(count(posts::id)))));
}
