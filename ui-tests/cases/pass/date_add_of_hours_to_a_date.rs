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
    let _ = events::table.select((
        date_add(events::day, 3, date_part::Day),
        date_add(events::at, 3, date_part::Hour),
    ));
}
