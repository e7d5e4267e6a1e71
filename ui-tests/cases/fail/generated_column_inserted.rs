use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = insert_into(lines::table).values((lines::id.eq(1), lines::qty.eq(1), lines::doubled.eq(2)));
}
