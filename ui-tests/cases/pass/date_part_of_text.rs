use philtre::expression::{cast, year};
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // Text that holds a date is cast first.
    let _ = users::table.select(year(cast::<Date, _>(users::name)));
}
