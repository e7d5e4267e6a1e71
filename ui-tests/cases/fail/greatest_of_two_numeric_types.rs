use philtre::expression::{cast, greatest};
use philtre::prelude::*;
use philtre::types::BigInt;
use philtre_ui_tests::schema::*;

fn main() {
    let _ = users::table.select(greatest(users::score, cast::<BigInt, _>(users::id)));
}
