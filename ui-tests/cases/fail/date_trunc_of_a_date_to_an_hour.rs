use philtre::expression::{date_part, date_trunc};
use philtre::prelude::*;

philtre::table! {
    events (id) {
        id -> Integer,
        day -> Date,
        at -> Timestamp,
    }
}

fn main() {
    // A date is truncated to a year, month or day; hours need a timestamp.
    let _ = events::table.select(date_trunc(date_part::Hour, events::day));
}
