use philtre::prelude::*;
use philtre_ui_tests::schema::*;

philtre::table! {
    post_counts (user_id) {
        user_id -> Integer,
        n -> BigInt,
    }
}

fn main() {
    let counts = cte(
        post_counts::table,
        posts::table.group_by(posts::user_id).select((posts::user_id, count(posts::id))),
    );
    let _ = post_counts::table.select(post_counts::n).with(counts);
}
