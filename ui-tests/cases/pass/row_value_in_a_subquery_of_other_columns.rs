use philtre::expression::row;
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.filter(
        row((users::id, users::name)).eq_any(posts::table.select((posts::user_id, posts::title))),
    );
}
