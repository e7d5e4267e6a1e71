use philtre::prelude::*;
use philtre_dialects::{Oracle, render};
use philtre_ui_tests::schema::*;

fn main() {
    let _ = render::<Oracle, _>(&users::table.filter(users::name.ilike("a%")).select(users::id));
}
