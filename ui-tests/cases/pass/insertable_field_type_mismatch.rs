use philtre::prelude::*;
use philtre_ui_tests::schema::*;

#[derive(Insertable)]
#[philtre(table = users)]
struct NewUser<'a> {
    name: &'a str,
    email: Option<String>,
}
fn main() {
    let _ = insert_into(users::table).values(&NewUser { name: "a", email: None });
}
