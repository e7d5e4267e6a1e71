use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.filter(users::name.like("A%"));
    let _ = users::table.filter(users::email.not_like("%@example.com"));
}
