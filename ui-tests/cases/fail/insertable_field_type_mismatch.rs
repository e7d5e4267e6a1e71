use philtre::prelude::*;
use philtre_ui_tests::schema::*;

#[derive(Insertable)]
#[philtre(table = users)]
struct NewUser {
    name: i32,
}
fn main() {}
