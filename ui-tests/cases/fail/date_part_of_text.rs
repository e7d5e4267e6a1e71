use philtre::expression::year;
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // A year is read from a date or timestamp, not from text.
    let _ = users::table.select(year(users::name));
}
