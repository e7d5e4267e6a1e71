use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // `%` takes integers: PostgreSQL has no remainder of floats.
    let _ = users::table.select(avg(users::id) % 2);
}
