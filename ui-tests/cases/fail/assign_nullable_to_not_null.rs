use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = update(users::table).set(users::name.eq(users::email));
}
