use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // There is no table to read `users.name` from.
    let _ = select(users::name);
}
