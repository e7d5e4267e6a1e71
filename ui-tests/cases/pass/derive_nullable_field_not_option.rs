use philtre::prelude::*;
use philtre_ui_tests::schema::*;

#[derive(Selectable)]
#[philtre(table = users)]
struct User {
    id: i32,
    email: Option<String>,
}
fn main() {
    let _ = users::table.select(User::as_select());
}
