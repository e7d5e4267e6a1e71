use philtre::expression::{lower, sql};
use philtre::prelude::*;
use philtre::query::exists;
use philtre::types::{Integer, Text};
use philtre_ui_tests::schema::*;

fn main() {
    // Values that need no table, and a subquery that names its own.
    let _ = select((sql::<Integer>("1"), lower(sql::<Text>("'A'"))));
    let _ = select(exists(users::table.select(users::name)));
}
