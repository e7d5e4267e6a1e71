use philtre::expression::lower;
use philtre::prelude::*;
use philtre_dialects::{Oracle, render};
use philtre_ui_tests::schema::*;

// Oracle has no ILIKE: lower the column.
fn main() {
    let _ = render::<Oracle, _>(&users::table.filter(lower(users::name).like("a%")).select(users::id));
}
