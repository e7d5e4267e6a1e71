use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let rival = alias!(users as rival);
    let _ = rival.select(rival.column(users::name));
}
