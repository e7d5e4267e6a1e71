use philtre::prelude::*;

philtre::table! {
    things (id) {
        id -> Integer,
    }
}
fn main() {
    let _ = things::table;
}
