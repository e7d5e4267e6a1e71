use philtre::expression::{date_add, date_part};
use philtre::prelude::*;

philtre::table! {
    events (id) {
        id -> Integer,
        day -> Date,
        at -> Timestamp,
    }
}

fn main() {
    // A date moves by years, months or days; hours need a timestamp.
    let _ = events::table.select(date_add(events::day, 3, date_part::Hour));
}
