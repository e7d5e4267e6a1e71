use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = update(lines::table).set(lines::doubled.eq(4));
}
