//! Conversions between Rust values and MySQL values for each SQL type.

use mysql::Value;
use philtre::QueryResult;
use philtre::expression::LiteralValue;
use philtre::types::{self, FromSql, Nullable, ToSql};

use crate::Mysql;

type DecodeResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn kind(value: &Value) -> &'static str {
    match value {
        Value::NULL => "NULL",
        Value::Bytes(_) => "text or bytes",
        Value::Int(_) | Value::UInt(_) => "an integer",
        Value::Float(_) | Value::Double(_) => "a floating-point number",
        Value::Date(..) => "a date",
        Value::Time(..) => "a time",
    }
}

fn unexpected<T>(value: &Value, wanted: &str) -> DecodeResult<T> {
    Err(format!("expected {wanted}, found {}", kind(value)).into())
}

/// Integers arrive as `Int`/`UInt` over the binary protocol, as text from expressions whose
/// type MySQL widens (DECIMAL): accept both, and check the range.
fn integer<T: TryFrom<i64> + TryFrom<u64>>(value: &Value) -> DecodeResult<T> {
    let out_of_range = || -> Box<dyn std::error::Error + Send + Sync> {
        format!(
            "{} does not fit in {}",
            value.as_sql(false),
            std::any::type_name::<T>()
        )
        .into()
    };
    match value {
        Value::Int(i) => T::try_from(*i).map_err(|_| out_of_range()),
        Value::UInt(u) => T::try_from(*u).map_err(|_| out_of_range()),
        Value::Bytes(b) => {
            let text = std::str::from_utf8(b)?;
            let i: i64 = text
                .parse()
                .map_err(|_| format!("`{text}` is not an integer"))?;
            T::try_from(i).map_err(|_| out_of_range())
        }
        other => unexpected(other, "an integer"),
    }
}

fn float(value: &Value) -> DecodeResult<f64> {
    match value {
        Value::Double(d) => Ok(*d),
        Value::Float(f) => Ok(f64::from(*f)),
        // A whole number beyond 2^53 has no exact double: an error, not a rounded number.
        Value::Int(i) if i.unsigned_abs() <= 1 << 53 => Ok(*i as f64),
        Value::UInt(u) if *u <= 1 << 53 => Ok(*u as f64),
        Value::Int(_) | Value::UInt(_) => {
            Err(format!("{value:?} has no exact 64-bit float").into())
        }
        Value::Bytes(b) => Ok(std::str::from_utf8(b)?.parse()?),
        other => unexpected(other, "a number"),
    }
}

impl<T, ST> ToSql<Nullable<ST>, Mysql> for Option<T>
where
    T: ToSql<ST, Mysql>,
{
    fn to_sql(&self) -> QueryResult<Value> {
        match self {
            Some(v) => v.to_sql(),
            None => Ok(Value::NULL),
        }
    }
    fn to_literal(&self) -> Option<LiteralValue> {
        self.as_ref().and_then(ToSql::to_literal)
    }
}

macro_rules! integers {
    ($($st:ty => $t:ty),*) => {$(
        impl ToSql<$st, Mysql> for $t {
            fn to_sql(&self) -> QueryResult<Value> {
                Ok(Value::Int(i64::from(*self)))
            }
            fn to_literal(&self) -> Option<LiteralValue> {
                Some(LiteralValue::from(*self))
            }
        }
        impl FromSql<$st, Mysql> for $t {
            #[inline]
            fn from_sql(value: &Value) -> DecodeResult<Self> {
                integer(value)
            }
        }
    )*};
}

integers!(types::SmallInt => i16, types::Integer => i32, types::BigInt => i64);

impl ToSql<types::Bool, Mysql> for bool {
    fn to_sql(&self) -> QueryResult<Value> {
        Ok(Value::Int(i64::from(*self)))
    }
    fn to_literal(&self) -> Option<LiteralValue> {
        Some(LiteralValue::from(*self))
    }
}

impl FromSql<types::Bool, Mysql> for bool {
    #[inline]
    fn from_sql(value: &Value) -> DecodeResult<Self> {
        Ok(integer::<i64>(value)? != 0)
    }
}

impl ToSql<types::Double, Mysql> for f64 {
    fn to_sql(&self) -> QueryResult<Value> {
        Ok(Value::Double(*self))
    }
    fn to_literal(&self) -> Option<LiteralValue> {
        LiteralValue::float(*self)
    }
}

impl FromSql<types::Double, Mysql> for f64 {
    #[inline]
    fn from_sql(value: &Value) -> DecodeResult<Self> {
        float(value)
    }
}

impl ToSql<types::Float, Mysql> for f32 {
    fn to_sql(&self) -> QueryResult<Value> {
        Ok(Value::Float(*self))
    }
    fn to_literal(&self) -> Option<LiteralValue> {
        LiteralValue::float(f64::from(*self))
    }
}

impl FromSql<types::Float, Mysql> for f32 {
    #[inline]
    fn from_sql(value: &Value) -> DecodeResult<Self> {
        // Narrowing is the point of a 4-byte FLOAT column.
        float(value).map(|v| v as f32)
    }
}

impl ToSql<types::Text, Mysql> for str {
    fn to_sql(&self) -> QueryResult<Value> {
        Ok(Value::Bytes(self.as_bytes().to_vec()))
    }
}

// MySQL has no arrays: a query that uses one is refused for that (`Mysql: SupportsArrays`).
// Sending or reading an array asks the same (never met) bound here, so the compiler reports
// the one unmet bound once, instead of a second error that no Rust type converts an array.
// (`for<'a>` keeps the bound from being rejected where it is written.)
impl<T, ST> ToSql<types::Array<ST>, Mysql> for Vec<T>
where
    for<'a> Mysql: philtre::backend::SupportsArrays,
{
    fn to_sql(&self) -> QueryResult<Value> {
        Err(philtre::Error::new(
            philtre::ErrorKind::InvalidQuery,
            "MySQL has no arrays",
        ))
    }
}

impl<T, ST> FromSql<types::Array<ST>, Mysql> for Vec<T>
where
    for<'a> Mysql: philtre::backend::SupportsArrays,
{
    fn from_sql(_: &Value) -> DecodeResult<Self> {
        Err("MySQL has no arrays".into())
    }
}

impl ToSql<types::Text, Mysql> for String {
    fn to_sql(&self) -> QueryResult<Value> {
        self.as_str().to_sql()
    }
}

impl FromSql<types::Text, Mysql> for String {
    #[inline]
    fn from_sql(value: &Value) -> DecodeResult<Self> {
        match value {
            Value::Bytes(b) => Ok(std::str::from_utf8(b)?.to_owned()),
            other => unexpected(other, "text"),
        }
    }
}

impl ToSql<types::Binary, Mysql> for [u8] {
    fn to_sql(&self) -> QueryResult<Value> {
        Ok(Value::Bytes(self.to_vec()))
    }
}

impl ToSql<types::Binary, Mysql> for Vec<u8> {
    fn to_sql(&self) -> QueryResult<Value> {
        self.as_slice().to_sql()
    }
}

impl FromSql<types::Binary, Mysql> for Vec<u8> {
    #[inline]
    fn from_sql(value: &Value) -> DecodeResult<Self> {
        match value {
            Value::Bytes(b) => Ok(b.clone()),
            other => unexpected(other, "bytes"),
        }
    }
}

#[cfg(feature = "time")]
mod datetime {
    use super::*;

    fn date(year: u16, month: u8, day: u8) -> DecodeResult<time::Date> {
        Ok(time::Date::from_calendar_date(
            i32::from(year),
            time::Month::try_from(month)?,
            day,
        )?)
    }

    /// The year as MySQL's protocol carries it. MySQL and MariaDB keep years 1 to 9999 (SQL's
    /// range); a year outside it would be stored as `0000-00-00` with only a warning.
    fn year(date: time::Date) -> QueryResult<u16> {
        match u16::try_from(date.year()) {
            Ok(year @ 1..=9999) => Ok(year),
            _ => Err(philtre::Error::new(
                philtre::ErrorKind::Serialization,
                format!(
                    "MySQL keeps dates from year 1 to 9999, and {date} is outside them (the \
                     server would store 0000-00-00)"
                ),
            )),
        }
    }

    impl ToSql<types::Date, Mysql> for time::Date {
        fn to_sql(&self) -> QueryResult<Value> {
            Ok(Value::Date(
                year(*self)?,
                self.month() as u8,
                self.day(),
                0,
                0,
                0,
                0,
            ))
        }
    }
    impl FromSql<types::Date, Mysql> for time::Date {
        #[inline]
        fn from_sql(value: &Value) -> DecodeResult<Self> {
            match value {
                Value::Date(y, m, d, ..) => date(*y, *m, *d),
                other => unexpected(other, "a date"),
            }
        }
    }
    impl ToSql<types::Time, Mysql> for time::Time {
        fn to_sql(&self) -> QueryResult<Value> {
            Ok(Value::Time(
                false,
                0,
                self.hour(),
                self.minute(),
                self.second(),
                self.microsecond(),
            ))
        }
    }
    impl FromSql<types::Time, Mysql> for time::Time {
        #[inline]
        fn from_sql(value: &Value) -> DecodeResult<Self> {
            match value {
                Value::Time(false, 0, h, m, s, us) => {
                    Ok(time::Time::from_hms_micro(*h, *m, *s, *us)?)
                }
                Value::Time(..) => {
                    Err("a TIME outside 00:00:00..24:00:00 has no `time::Time`".into())
                }
                other => unexpected(other, "a time"),
            }
        }
    }
    impl ToSql<types::Timestamp, Mysql> for time::PrimitiveDateTime {
        fn to_sql(&self) -> QueryResult<Value> {
            Ok(Value::Date(
                year(self.date())?,
                self.month() as u8,
                self.day(),
                self.hour(),
                self.minute(),
                self.second(),
                self.microsecond(),
            ))
        }
    }
    impl FromSql<types::Timestamp, Mysql> for time::PrimitiveDateTime {
        #[inline]
        fn from_sql(value: &Value) -> DecodeResult<Self> {
            match value {
                Value::Date(y, mo, d, h, mi, s, us) => Ok(time::PrimitiveDateTime::new(
                    date(*y, *mo, *d)?,
                    time::Time::from_hms_micro(*h, *mi, *s, *us)?,
                )),
                other => unexpected(other, "a timestamp"),
            }
        }
    }
}

macro_rules! unsigned {
    ($($st:ty => $t:ty),*) => {$(
        impl ToSql<types::Unsigned<$st>, Mysql> for $t {
            fn to_sql(&self) -> QueryResult<Value> {
                Ok(Value::UInt(u64::from(*self)))
            }
            fn to_literal(&self) -> Option<LiteralValue> {
                Some(LiteralValue::from(*self))
            }
        }
        impl FromSql<types::Unsigned<$st>, Mysql> for $t {
            #[inline]
            fn from_sql(value: &Value) -> DecodeResult<Self> {
                integer(value)
            }
        }
    )*};
}

unsigned!(types::SmallInt => u16, types::Integer => u32, types::BigInt => u64);

#[cfg(any(feature = "uuid", feature = "decimal", feature = "json"))]
#[inline]
fn text(value: &Value) -> DecodeResult<&str> {
    match value {
        Value::Bytes(b) => Ok(std::str::from_utf8(b)?),
        other => unexpected(other, "text"),
    }
}

/// MySQL and MariaDB store an instant as a UTC `DATETIME`.
#[cfg(feature = "time")]
impl ToSql<types::Timestamptz, Mysql> for time::OffsetDateTime {
    fn to_sql(&self) -> QueryResult<Value> {
        let utc = self.to_offset(time::UtcOffset::UTC);
        <time::PrimitiveDateTime as ToSql<types::Timestamp, Mysql>>::to_sql(
            &time::PrimitiveDateTime::new(utc.date(), utc.time()),
        )
    }
}

#[cfg(feature = "time")]
impl FromSql<types::Timestamptz, Mysql> for time::OffsetDateTime {
    #[inline]
    fn from_sql(value: &Value) -> DecodeResult<Self> {
        <time::PrimitiveDateTime as FromSql<types::Timestamp, Mysql>>::from_sql(value)
            .map(|t| t.assume_utc())
    }
}

/// Stored as `CHAR(36)` text (MySQL 8 has no UUID type); 16-byte binary is read too.
#[cfg(feature = "uuid")]
impl ToSql<types::Uuid, Mysql> for uuid::Uuid {
    fn to_sql(&self) -> QueryResult<Value> {
        Ok(Value::Bytes(self.hyphenated().to_string().into_bytes()))
    }
}

#[cfg(feature = "uuid")]
impl FromSql<types::Uuid, Mysql> for uuid::Uuid {
    #[inline]
    fn from_sql(value: &Value) -> DecodeResult<Self> {
        match value {
            Value::Bytes(b) if b.len() == 16 => Ok(uuid::Uuid::from_slice(b)?),
            other => Ok(uuid::Uuid::parse_str(text(other)?)?),
        }
    }
}

/// A DECIMAL read as the nearest `f64` (`AVG` of integers, read as a float).
impl FromSql<types::Numeric, Mysql> for f64 {
    #[inline]
    fn from_sql(value: &Value) -> DecodeResult<Self> {
        match value {
            Value::Bytes(b) => philtre::types::f64_from_decimal_text(std::str::from_utf8(b)?),
            other => float(other),
        }
    }
}

/// Sent as text, so no digit is lost to floating point.
#[cfg(feature = "decimal")]
impl ToSql<types::Numeric, Mysql> for rust_decimal::Decimal {
    fn to_sql(&self) -> QueryResult<Value> {
        Ok(Value::Bytes(self.to_string().into_bytes()))
    }
}

#[cfg(feature = "decimal")]
impl FromSql<types::Numeric, Mysql> for rust_decimal::Decimal {
    #[inline]
    fn from_sql(value: &Value) -> DecodeResult<Self> {
        match value {
            Value::Int(i) => Ok(rust_decimal::Decimal::from(*i)),
            Value::UInt(u) => Ok(rust_decimal::Decimal::from(*u)),
            Value::Double(d) => philtre::types::decimal_from_f64(*d),
            other => philtre::types::decimal_from_text(text(other)?),
        }
    }
}

#[cfg(feature = "json")]
mod json {
    use philtre::Json;
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    use super::*;

    fn to_bytes<T: Serialize + ?Sized>(value: &T) -> QueryResult<Value> {
        serde_json::to_vec(value).map(Value::Bytes).map_err(|e| {
            philtre::Error::new(philtre::ErrorKind::Serialization, e.to_string()).with_source(e)
        })
    }

    impl ToSql<types::Json, Mysql> for serde_json::Value {
        fn to_sql(&self) -> QueryResult<Value> {
            to_bytes(self)
        }
    }
    impl FromSql<types::Json, Mysql> for serde_json::Value {
        #[inline]
        fn from_sql(value: &Value) -> DecodeResult<Self> {
            Ok(serde_json::from_str(text(value)?)?)
        }
    }
    impl<T: Serialize> ToSql<types::Json, Mysql> for Json<T> {
        fn to_sql(&self) -> QueryResult<Value> {
            to_bytes(&self.0)
        }
    }
    impl<T: DeserializeOwned> FromSql<types::Json, Mysql> for Json<T> {
        #[inline]
        fn from_sql(value: &Value) -> DecodeResult<Self> {
            Ok(Json(serde_json::from_str(text(value)?)?))
        }
    }
}

/// `chrono` values travel as the `time` values they convert to (stored alike).
#[cfg(feature = "chrono")]
mod chrono_values {
    use philtre::types::{date_to_time, datetime_to_time, time_to_time, utc_to_time};

    use super::*;

    impl ToSql<types::Date, Mysql> for chrono::NaiveDate {
        fn to_sql(&self) -> QueryResult<Value> {
            ToSql::<types::Date, Mysql>::to_sql(&date_to_time(self)?)
        }
    }
    impl ToSql<types::Time, Mysql> for chrono::NaiveTime {
        fn to_sql(&self) -> QueryResult<Value> {
            ToSql::<types::Time, Mysql>::to_sql(&time_to_time(self)?)
        }
    }
    impl ToSql<types::Timestamp, Mysql> for chrono::NaiveDateTime {
        fn to_sql(&self) -> QueryResult<Value> {
            ToSql::<types::Timestamp, Mysql>::to_sql(&datetime_to_time(self)?)
        }
    }
    impl ToSql<types::Timestamptz, Mysql> for chrono::DateTime<chrono::Utc> {
        fn to_sql(&self) -> QueryResult<Value> {
            ToSql::<types::Timestamptz, Mysql>::to_sql(&utc_to_time(self)?)
        }
    }
}

/// An enum's label is text; the column is MySQL's `ENUM(…)`.
impl types::BindsEnums for Mysql {
    fn bind_label<'a>(label: &'static str) -> <Self as philtre::backend::Backend>::BindValue<'a> {
        Value::Bytes(label.as_bytes().to_vec())
    }
    fn read_label<'a>(
        value: <Self as philtre::backend::Backend>::RawValue<'a>,
    ) -> DecodeResult<&'a str> {
        match value {
            Value::Bytes(bytes) => Ok(std::str::from_utf8(bytes)?),
            other => unexpected(other, "an enum label"),
        }
    }
}

/// Sent as plain decimal text, so no digit is lost to floating point.
#[cfg(feature = "bigdecimal")]
impl ToSql<types::Numeric, Mysql> for bigdecimal::BigDecimal {
    fn to_sql(&self) -> QueryResult<Value> {
        Ok(Value::Bytes(self.to_plain_string().into_bytes()))
    }
}

#[cfg(feature = "bigdecimal")]
impl FromSql<types::Numeric, Mysql> for bigdecimal::BigDecimal {
    #[inline]
    fn from_sql(value: &Value) -> DecodeResult<Self> {
        match value {
            Value::Int(i) => Ok(bigdecimal::BigDecimal::from(*i)),
            Value::UInt(u) => Ok(bigdecimal::BigDecimal::from(*u)),
            Value::Double(d) if d.is_finite() => Ok(format!("{d}").parse()?),
            Value::Bytes(bytes) => Ok(std::str::from_utf8(bytes)?.trim().parse()?),
            other => unexpected(other, "a decimal number"),
        }
    }
}
