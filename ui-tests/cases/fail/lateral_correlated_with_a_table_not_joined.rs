use philtre::prelude::*;
use philtre::query::lateral;
use philtre_ui_tests::schema::*;

philtre::table! {
    top (id) {
        id -> Integer,
        title -> Text,
    }
}

fn main() {
    let best = lateral(
        posts::table
            .correlate(users::table)
            .filter(posts::user_id.eq(users::id))
            .select((posts::id, posts::title)),
        top::table,
    );
    // `users` is not on the left of the lateral join.
    let _ = reviews::table.cross_join_lateral(best);
}
