//! `chrono` values (feature `chrono`) round-trip on every backend, read what `time` values
//! wrote and the other way round, and a value `time` cannot hold is an error, not a change.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use philtre::prelude::*;

philtre::table! {
    moments (id) {
        id -> Integer,
        day -> Date,
        at -> Time,
        stamp -> Timestamp,
        instant -> Timestamptz,
        maybe -> Nullable<Date>,
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[philtre(table = moments)]
struct Moment {
    id: i32,
    day: NaiveDate,
    at: NaiveTime,
    stamp: NaiveDateTime,
    instant: DateTime<Utc>,
    maybe: Option<NaiveDate>,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn moment(id: i32) -> Moment {
    let day = date(2024, 2, 29);
    let at = NaiveTime::from_hms_micro_opt(23, 59, 58, 123_456).expect("a time");
    Moment {
        id,
        day,
        at,
        stamp: NaiveDateTime::new(day, at),
        instant: NaiveDateTime::new(date(1999, 12, 31), at).and_utc(),
        maybe: None,
    }
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn chrono_values_round_trip_and_meet_time_values(conn) {
    Schema::new().table(moments::table).create_all(conn)?;
    let written = moment(1);
    insert_into(moments::table).values(written.clone()).execute(conn)?;
    let read: Moment = moments::table.select(Moment::as_select()).first(conn)?;
    assert_eq!(read, written);

    // Filters and literals take chrono values.
    let found: Vec<i32> = moments::table
        .filter(moments::day.eq(date(2024, 2, 29)))
        .filter(moments::stamp.gt(NaiveDateTime::new(date(2024, 1, 1), NaiveTime::MIN)))
        .filter(moments::instant.lt(NaiveDateTime::new(date(2100, 1, 1), NaiveTime::MIN).and_utc()))
        .select(moments::id)
        .load(conn)?;
    assert_eq!(found, [1]);

    // Written through `time`, read through chrono — and back.
    let t_day = time::macros::date!(2001 - 09 - 09);
    let t_at = time::macros::time!(01:46:40.5);
    insert_into(moments::table)
        .values((
            moments::id.eq(2),
            moments::day.eq(t_day),
            moments::at.eq(t_at),
            moments::stamp.eq(time::PrimitiveDateTime::new(t_day, t_at)),
            moments::instant.eq(time::PrimitiveDateTime::new(t_day, t_at).assume_utc()),
            moments::maybe.eq(Some(t_day)),
        ))
        .execute(conn)?;
    let (day, at, instant, maybe): (NaiveDate, NaiveTime, DateTime<Utc>, Option<NaiveDate>) = moments::table
        .find(2)
        .select((moments::day, moments::at, moments::instant, moments::maybe))
        .first(conn)?;
    assert_eq!(day, date(2001, 9, 9));
    assert_eq!(at, NaiveTime::from_hms_milli_opt(1, 46, 40, 500).expect("a time"));
    assert_eq!(instant.timestamp(), 1_000_000_000);
    assert_eq!(maybe, Some(date(2001, 9, 9)));
    let as_time: time::Date = moments::table.find(1).select(moments::day).first(conn)?;
    assert_eq!(as_time, time::macros::date!(2024 - 02 - 29));

    // A year `time` cannot hold, and a leap second: errors, nothing written.
    let far = moment(3);
    let far = Moment { day: date(12_000, 1, 1), ..far };
    let err = insert_into(moments::table).values(far).execute(conn).expect_err("year 12000");
    assert_eq!(err.kind(), ErrorKind::Serialization);
    let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1_500).expect("chrono's leap second");
    let err = update(moments::table).set(moments::at.eq(leap)).execute(conn).expect_err("a leap second");
    assert_eq!(err.kind(), ErrorKind::Serialization);
    assert_eq!(moments::table.count().get_result::<i64>(conn)?, 2);
    Ok(())
}
}
