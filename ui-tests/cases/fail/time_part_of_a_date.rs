use philtre::expression::hour;
use philtre::prelude::*;

philtre::table! {
    events (id) {
        id -> Integer,
        day -> Date,
        at -> Timestamp,
    }
}

fn main() {
    // A date has no time of day.
    let _ = events::table.select(hour(events::day));
}
