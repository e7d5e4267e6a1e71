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
    let _ = events::table.select((
        date_trunc(date_part::Hour, events::at),
        date_trunc(date_part::Month, events::day),
    ));
}
