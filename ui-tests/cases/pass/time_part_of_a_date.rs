use philtre::expression::{day, hour};
use philtre::prelude::*;

philtre::table! {
    events (id) {
        id -> Integer,
        day -> Date,
        at -> Timestamp,
    }
}

fn main() {
    let _ = events::table.select((hour(events::at), day(events::day)));
}
