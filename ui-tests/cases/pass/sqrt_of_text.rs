use philtre::expression::{power, sqrt};
use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // An integer's square root is a Double.
    let _ = users::table.select((sqrt(users::score), power(users::score, 2)));
}
