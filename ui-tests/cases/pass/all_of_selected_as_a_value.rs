use philtre::prelude::*;
use philtre::query::all_of;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.select(users::score.ge(all_of(posts::table.select(posts::id))));
}
