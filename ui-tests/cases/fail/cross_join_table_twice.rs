use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // Pairs of users need an alias for the second `users`.
    let _ = users::table.cross_join(users::table);
}
