use philtre::prelude::*;
use philtre_ui_tests::schema::*;

philtre::table! {
    post_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}

fn main() {
    let _ = cte(post_counts::table, posts::table.select((posts::user_id, posts::title)));
}
