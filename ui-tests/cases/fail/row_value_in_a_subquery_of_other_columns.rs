use philtre::expression::row;
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // (id, name) against a subquery of (id, user_id): the second column is not text.
    let _ = users::table.filter(
        row((users::id, users::name)).eq_any(posts::table.select((posts::id, posts::user_id))),
    );
}
