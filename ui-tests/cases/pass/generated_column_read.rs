use philtre::prelude::*;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = update(lines::table).set(lines::qty.eq(2));
    let _ = insert_into(lines::table).values((lines::id.eq(1), lines::qty.eq(2)));
    let _ = lines::table.select((lines::id, lines::doubled)).filter(lines::doubled.gt(3));
}
