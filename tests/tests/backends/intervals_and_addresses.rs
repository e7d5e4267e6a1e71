//! PostgreSQL's INTERVAL (as `time::Duration`, `chrono::TimeDelta` or the exact `PgInterval`)
//! and INET (as `std::net::IpAddr`): created, written, read back unchanged, and a value one
//! side cannot hold is an error, never a changed value. Timestamps move by intervals.

use std::net::IpAddr;

use philtre::prelude::*;
use philtre::types::PgInterval;
use philtre_tests::harness::Dialect;
use time::Duration;
use time::macros::datetime;

philtre::table! {
    spans (id) {
        id -> Integer,
        length -> Interval,
        maybe -> Nullable<Interval>,
        at -> Timestamp,
        addr -> Nullable<Inet>,
    }
}

fn kind<T: std::fmt::Debug>(result: QueryResult<T>) -> ErrorKind {
    result.expect_err("an error").kind()
}

philtre_tests::backend_tests! {
backends: [postgres];

fn intervals_round_trip_exactly(conn) {
    Schema::new().table(spans::table).create_all(conn)?;
    let start = datetime!(2024-01-31 12:00);
    insert_into(spans::table)
        .values(vec![
            (spans::id.eq(1), spans::length.eq(Duration::minutes(90)), spans::maybe.eq(Some(Duration::new(-1, -500_000_000))), spans::at.eq(start)),
            (spans::id.eq(2), spans::length.eq(Duration::microseconds(1)), spans::maybe.eq(None::<Duration>), spans::at.eq(start)),
        ])
        .execute(conn)?;
    let read: Vec<(Duration, Option<Duration>)> = spans::table.order(spans::id).select((spans::length, spans::maybe)).load(conn)?;
    assert_eq!(read, [(Duration::minutes(90), Some(Duration::new(-1, -500_000_000))), (Duration::microseconds(1), None)]);
    let as_chrono: chrono::TimeDelta = spans::table.find(1).select(spans::length).first(conn)?;
    assert_eq!(as_chrono, chrono::TimeDelta::minutes(90));

    // A fraction of a microsecond would be rounded by the server: refused, nothing written.
    let nanos = update(spans::table.filter(spans::id.eq(2))).set(spans::length.eq(Duration::nanoseconds(1_500))).execute(conn);
    assert_eq!(kind(nanos), ErrorKind::Serialization);
    let kept: Duration = spans::table.find(2).select(spans::length).first(conn)?;
    assert_eq!(kept, Duration::microseconds(1));

    // Months have no fixed length: a duration cannot read them, PgInterval reads them exactly.
    conn.batch_execute("UPDATE spans SET length = INTERVAL '1 month 2 days 3 seconds' WHERE id = 2")?;
    let months = spans::table.find(2).select(spans::length).first::<Duration>(conn);
    assert_eq!(kind(months), ErrorKind::Deserialization);
    let exact: PgInterval = spans::table.find(2).select(spans::length).first(conn)?;
    assert_eq!(exact, PgInterval { months: 1, days: 2, microseconds: 3_000_000 });
    let back = PgInterval { months: -14, days: 3, microseconds: -7 };
    update(spans::table.filter(spans::id.eq(2))).set(spans::length.eq(back)).execute(conn)?;
    let again: PgInterval = spans::table.find(2).select(spans::length).first(conn)?;
    assert_eq!(again, back);
    // Days without months read as 24 hours each.
    conn.batch_execute("UPDATE spans SET length = INTERVAL '1 day 1 second' WHERE id = 2")?;
    let day: Duration = spans::table.find(2).select(spans::length).first(conn)?;
    assert_eq!(day, Duration::seconds(86_401));
    Ok(())
}

fn timestamps_move_by_intervals(conn) {
    Schema::new().table(spans::table).create_all(conn)?;
    let start = datetime!(2024-01-31 12:00);
    insert_into(spans::table)
        .values((spans::id.eq(1), spans::length.eq(Duration::minutes(90)), spans::at.eq(start)))
        .execute(conn)?;
    let (later, earlier, by_value): (time::PrimitiveDateTime, time::PrimitiveDateTime, time::PrimitiveDateTime) = spans::table
        .select((
            spans::at.add_interval(spans::length),
            spans::at.sub_interval(spans::length),
            spans::at.add_interval(Duration::days(2)),
        ))
        .first(conn)?;
    assert_eq!(later, datetime!(2024-01-31 13:30));
    assert_eq!(earlier, datetime!(2024-01-31 10:30));
    assert_eq!(by_value, datetime!(2024-02-02 12:00));
    // A month counted by the calendar: January 31st plus a month is February 29th (2024).
    let month: time::PrimitiveDateTime = spans::table
        .select(spans::at.add_interval(PgInterval { months: 1, days: 0, microseconds: 0 }))
        .first(conn)?;
    assert_eq!(month, datetime!(2024-02-29 12:00));
    // A NULL interval moves to NULL.
    let nowhere: Option<time::PrimitiveDateTime> = spans::table.select(spans::at.add_interval(spans::maybe)).first(conn)?;
    assert_eq!(nowhere, None);
    // The interval between two timestamps, and intervals compared.
    let gap: Duration = spans::table
        .select(philtre::functions::interval_between(spans::at, spans::at.add_interval(spans::length)))
        .first(conn)?;
    assert_eq!(gap, Duration::minutes(90));
    let long: Vec<i32> = spans::table.filter(spans::length.gt(Duration::hours(1))).select(spans::id).load(conn)?;
    assert_eq!(long, [1]);
    Ok(())
}

fn addresses_round_trip_and_masks_are_not_dropped(conn) {
    Schema::new().table(spans::table).create_all(conn)?;
    let v4: IpAddr = "192.168.0.17".parse().expect("an address");
    let v6: IpAddr = "2001:db8::1".parse().expect("an address");
    let start = datetime!(2024-01-31 12:00);
    insert_into(spans::table)
        .values(vec![
            (spans::id.eq(1), spans::length.eq(Duration::ZERO), spans::at.eq(start), spans::addr.eq(Some(v4))),
            (spans::id.eq(2), spans::length.eq(Duration::ZERO), spans::at.eq(start), spans::addr.eq(Some(v6))),
            (spans::id.eq(3), spans::length.eq(Duration::ZERO), spans::at.eq(start), spans::addr.eq(None::<IpAddr>)),
        ])
        .execute(conn)?;
    let read: Vec<Option<IpAddr>> = spans::table.order(spans::id).select(spans::addr).load(conn)?;
    assert_eq!(read, [Some(v4), Some(v6), None]);
    let found: Vec<i32> = spans::table.filter(spans::addr.eq(v6)).select(spans::id).load(conn)?;
    assert_eq!(found, [2]);
    // An address with a netmask is more than an IpAddr holds: an error, not the bare address.
    conn.batch_execute("UPDATE spans SET addr = '10.1.2.3/8' WHERE id = 3")?;
    let masked = spans::table.find(3).select(spans::addr).first::<Option<IpAddr>>(conn);
    assert_eq!(kind(masked), ErrorKind::Deserialization);
    Ok(())
}
}

mod elsewhere {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [sqlite, mysql];

    fn interval_and_inet_columns_are_refused_with_a_reason(conn) {
        let created = Schema::new().table(spans::table).create_all(conn);
        let message = created.expect_err("no INTERVAL here").to_string();
        assert!(message.contains("length"), "{message}");
        let name = if DIALECT == Dialect::Sqlite { "SQLite" } else { "MySQL" };
        assert!(message.contains(name), "{message}");
        Ok(())
    }
    }
}
