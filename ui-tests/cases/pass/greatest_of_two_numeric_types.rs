use philtre::expression::{cast, greatest};
use philtre::prelude::*;
use philtre::types::BigInt;
use philtre_ui_tests::schema::*;

// One SQL type on both sides: widen the column first.
fn main() {
    let _ = users::table.select(greatest(cast::<BigInt, _>(users::score), cast::<BigInt, _>(users::id)));
}
