//! `chrono` values for the date and time SQL types (feature `chrono`). They are converted to and
//! from the `time` crate's values, which each backend stores: a row written through one crate
//! reads back through the other unchanged. A `chrono` value that `time` cannot hold (a year
//! beyond ±9999, a leap second) is an error, never a changed value.

use crate::backend::Backend;
use crate::error::{Error, ErrorKind, QueryResult};

use super::{Date, FromSql, Time, Timestamp, Timestamptz};

type DecodeResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn not_held(what: &str, value: &dyn std::fmt::Debug) -> Error {
    Error::new(
        ErrorKind::Serialization,
        format!(
            "the {what} {value:?} has no value in the `time` crate's range, which philtre stores"
        ),
    )
}

/// `chrono::NaiveDate` as `time::Date`.
pub fn date_to_time(date: &chrono::NaiveDate) -> QueryResult<time::Date> {
    use chrono::Datelike;
    let month = u8::try_from(date.month())
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or_else(|| not_held("date", date))?;
    let day = u8::try_from(date.day()).map_err(|_| not_held("date", date))?;
    time::Date::from_calendar_date(date.year(), month, day).map_err(|_| not_held("date", date))
}

/// `chrono::NaiveTime` as `time::Time`.
pub fn time_to_time(value: &chrono::NaiveTime) -> QueryResult<time::Time> {
    use chrono::Timelike;
    let part = |n: u32| u8::try_from(n).map_err(|_| not_held("time", value));
    time::Time::from_hms_nano(
        part(value.hour())?,
        part(value.minute())?,
        part(value.second())?,
        value.nanosecond(),
    )
    .map_err(|_| not_held("time (a leap second?)", value))
}

/// `chrono::NaiveDateTime` as `time::PrimitiveDateTime`.
pub fn datetime_to_time(value: &chrono::NaiveDateTime) -> QueryResult<time::PrimitiveDateTime> {
    Ok(time::PrimitiveDateTime::new(
        date_to_time(&value.date())?,
        time_to_time(&value.time())?,
    ))
}

/// `chrono::DateTime<Utc>` as `time::OffsetDateTime` (UTC).
pub fn utc_to_time(value: &chrono::DateTime<chrono::Utc>) -> QueryResult<time::OffsetDateTime> {
    Ok(datetime_to_time(&value.naive_utc())?.assume_utc())
}

fn date_from_time(date: time::Date) -> DecodeResult<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(
        date.year(),
        u32::from(u8::from(date.month())),
        u32::from(date.day()),
    )
    .ok_or_else(|| format!("the date {date} has no `chrono::NaiveDate`").into())
}

fn time_from_time(value: time::Time) -> DecodeResult<chrono::NaiveTime> {
    chrono::NaiveTime::from_hms_nano_opt(
        u32::from(value.hour()),
        u32::from(value.minute()),
        u32::from(value.second()),
        value.nanosecond(),
    )
    .ok_or_else(|| format!("the time {value} has no `chrono::NaiveTime`").into())
}

impl<DB: Backend> FromSql<Date, DB> for chrono::NaiveDate
where
    time::Date: FromSql<Date, DB>,
{
    fn from_sql(value: DB::RawValue<'_>) -> DecodeResult<Self> {
        date_from_time(time::Date::from_sql(value)?)
    }
}

impl<DB: Backend> FromSql<Time, DB> for chrono::NaiveTime
where
    time::Time: FromSql<Time, DB>,
{
    fn from_sql(value: DB::RawValue<'_>) -> DecodeResult<Self> {
        time_from_time(time::Time::from_sql(value)?)
    }
}

impl<DB: Backend> FromSql<Timestamp, DB> for chrono::NaiveDateTime
where
    time::PrimitiveDateTime: FromSql<Timestamp, DB>,
{
    fn from_sql(value: DB::RawValue<'_>) -> DecodeResult<Self> {
        let value = time::PrimitiveDateTime::from_sql(value)?;
        Ok(chrono::NaiveDateTime::new(
            date_from_time(value.date())?,
            time_from_time(value.time())?,
        ))
    }
}

impl<DB: Backend> FromSql<Timestamptz, DB> for chrono::DateTime<chrono::Utc>
where
    time::OffsetDateTime: FromSql<Timestamptz, DB>,
{
    fn from_sql(value: DB::RawValue<'_>) -> DecodeResult<Self> {
        let utc = time::OffsetDateTime::from_sql(value)?.to_offset(time::UtcOffset::UTC);
        let naive =
            chrono::NaiveDateTime::new(date_from_time(utc.date())?, time_from_time(utc.time())?);
        Ok(naive.and_utc())
    }
}
