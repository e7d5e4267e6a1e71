use philtre::prelude::*;
use philtre_ui_tests::schema::*;

#[derive(Selectable)]
#[philtre(table = users)]
struct User {
    id: i32,
    email: String,
}
fn main() {}
