use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    // On a text column, with the value's wildcards escaped; and LIKE with an escape character.
    let _ = users::table.filter(users::name.contains("1%"));
    let _ = users::table.filter(users::name.istarts_with("a_"));
    let _ = users::table.filter(users::name.like("a!_%").escape('!'));
}
