use philtre::prelude::*;
use philtre_ui_tests::schema::*;

struct Money(i64);

fn main() {
    // Its value, as the type it maps to; and constants beside columns.
    let money = Money(5);
    let _ = select(lit(money.0));
    let _ = users::table.select((lit("tag"), lit(100) - users::score, lit(None::<i32>)));
}
