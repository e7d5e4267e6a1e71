use philtre::prelude::*;
use philtre::query::all_of;
use philtre_ui_tests::schema::*;

fn main() {
    // `SELECT ALL (subquery)` means something else in SQL: `all_of` only stands on the right
    // of a comparison.
    let _ = users::table.select(all_of(posts::table.select(posts::id)));
}
