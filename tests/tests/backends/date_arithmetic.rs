//! `date_add`: dates and timestamps moved by years, months, days, hours, minutes and seconds,
//! the same on every backend.

use philtre::expression::{date_add, date_part};
use philtre::prelude::*;
use philtre_tests::*;
use time::macros::{date, datetime, time};

fn row(id: i32, day: time::Date, at: time::PrimitiveDateTime) -> AllTypes {
    AllTypes {
        id,
        flag: true,
        small: 1,
        big: 1,
        real: 1.0,
        double: 1.0,
        kind: "k".into(),
        data: vec![1],
        day,
        clock: time!(12:00),
        at,
        maybe: None,
    }
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn the_distance_between_dates_and_timestamps(conn) {
    use philtre::functions::{days_between, seconds_between};
    insert_into(all_types::table)
        .values(&vec![
            row(1, date!(2024 - 01 - 31), datetime!(2024-02-29 23:30:00.250)),
            row(2, date!(2023 - 12 - 31), datetime!(2024-01-01 00:00:00)),
        ])
        .execute(conn)?;
    let rows: Vec<(i32, i32, f64, f64)> = all_types::table
        .order(all_types::id)
        .select((
            days_between(all_types::day, date!(2024 - 03 - 01)),
            days_between(date_add(all_types::day, 10, date_part::Day), all_types::day),
            seconds_between(all_types::at, datetime!(2024-03-01 00:00:00)),
            seconds_between(all_types::at, date_add(all_types::at, 90, date_part::Minute)),
        ))
        .load(conn)?;
    assert_eq!((rows[0].0, rows[0].1), (30, -10), "2024 is a leap year");
    assert_eq!((rows[1].0, rows[1].1), (61, -10));
    assert!((rows[0].2 - 1799.75).abs() < 1e-9, "{}", rows[0].2);
    assert!((rows[1].2 - 5_184_000.0).abs() < 1e-9, "60 days: {}", rows[1].2);
    assert!(rows.iter().all(|r| (r.3 - 5400.0).abs() < 1e-9), "{rows:?}");
    let later: Vec<i32> = all_types::table
        .filter(days_between(all_types::day, date!(2024 - 03 - 01)).gt(40))
        .select(all_types::id)
        .load(conn)?;
    assert_eq!(later, [2]);
    Ok(())
}

fn dates_and_timestamps_move_by_every_unit(conn) {
    insert_into(all_types::table)
        .values(&vec![
            row(1, date!(2024 - 01 - 31), datetime!(2024-02-29 23:30:00.250)),
            row(2, date!(2023 - 12 - 31), datetime!(2024-01-01 00:00:00)),
        ])
        .execute(conn)?;
    // A date stays a date; the end of a month clamps to the end of a shorter one.
    let dates: Vec<(time::Date, time::Date, time::Date, time::Date)> = all_types::table
        .order(all_types::id)
        .select((
            date_add(all_types::day, 1, date_part::Month),
            date_add(all_types::day, -7, date_part::Day),
            date_add(all_types::day, 1, date_part::Year),
            date_add(all_types::day, 2, date_part::Day),
        ))
        .load(conn)?;
    assert_eq!(
        dates,
        [
            (date!(2024 - 02 - 29), date!(2024 - 01 - 24), date!(2025 - 01 - 31), date!(2024 - 02 - 02)),
            (date!(2024 - 01 - 31), date!(2023 - 12 - 24), date!(2024 - 12 - 31), date!(2024 - 01 - 02)),
        ]
    );
    // A timestamp keeps its fraction of a second.
    let stamps: Vec<(time::PrimitiveDateTime, time::PrimitiveDateTime, time::PrimitiveDateTime, time::PrimitiveDateTime)> =
        all_types::table
            .order(all_types::id)
            .select((
                date_add(all_types::at, 1, date_part::Year),
                date_add(all_types::at, 90, date_part::Minute),
                date_add(all_types::at, -1, date_part::Hour),
                date_add(all_types::at, 45, date_part::Second),
            ))
            .load(conn)?;
    assert_eq!(
        stamps,
        [
            (
                datetime!(2025-02-28 23:30:00.250),
                datetime!(2024-03-01 01:00:00.250),
                datetime!(2024-02-29 22:30:00.250),
                datetime!(2024-02-29 23:30:45.250),
            ),
            (
                datetime!(2025-01-01 00:00:00),
                datetime!(2024-01-01 01:30:00),
                datetime!(2023-12-31 23:00:00),
                datetime!(2024-01-01 00:00:45),
            ),
        ]
    );
    // In a filter, against a bound value; the amount may be a column.
    let since = datetime!(2024-02-01 00:00:00);
    let recent: Vec<i32> = all_types::table
        .filter(date_add(all_types::at, 30, date_part::Day).gt(since))
        .select(all_types::id)
        .load(conn)?;
    assert_eq!(recent, [1]);
    let by_column: Vec<time::Date> = all_types::table
        .order(all_types::id)
        .select(date_add(all_types::day, all_types::id, date_part::Day))
        .load(conn)?;
    assert_eq!(by_column, [date!(2024 - 02 - 01), date!(2024 - 01 - 02)]);
    Ok(())
}
}
