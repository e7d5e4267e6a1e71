//! Conversions between Rust values and SQLite values for each SQL type.

use philtre::expression::LiteralValue;
use philtre::types::{self, FromSql, Nullable, ToSql};
use philtre::{Error, ErrorKind, QueryResult};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};

use crate::Sqlite;

type DecodeResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn type_name(value: &ValueRef<'_>) -> &'static str {
    match value {
        ValueRef::Null => "NULL",
        ValueRef::Integer(_) => "INTEGER",
        ValueRef::Real(_) => "REAL",
        ValueRef::Text(_) => "TEXT",
        ValueRef::Blob(_) => "BLOB",
    }
}

fn unexpected<T>(value: &ValueRef<'_>, wanted: &str) -> DecodeResult<T> {
    Err(format!("expected {wanted}, found a {} value", type_name(value)).into())
}

#[inline]
fn integer(value: ValueRef<'_>) -> DecodeResult<i64> {
    match value {
        ValueRef::Integer(i) => Ok(i),
        other => unexpected(&other, "an integer"),
    }
}

#[inline]
fn text(value: ValueRef<'_>) -> DecodeResult<&str> {
    match value {
        ValueRef::Text(bytes) => Ok(std::str::from_utf8(bytes)?),
        other => unexpected(&other, "text"),
    }
}

impl<T, ST> ToSql<Nullable<ST>, Sqlite> for Option<T>
where
    T: ToSql<ST, Sqlite>,
{
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        match self {
            Some(v) => v.to_sql(),
            None => Ok(ToSqlOutput::Owned(Value::Null)),
        }
    }
    fn to_literal(&self) -> Option<LiteralValue> {
        self.as_ref().and_then(ToSql::to_literal)
    }
}

macro_rules! integers {
    ($($st:ty => $t:ty),*) => {$(
        impl ToSql<$st, Sqlite> for $t {
            fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Owned(Value::Integer(i64::from(*self))))
            }
            fn to_literal(&self) -> Option<LiteralValue> {
                Some(LiteralValue::from(*self))
            }
        }
        impl FromSql<$st, Sqlite> for $t {
            #[inline]
            fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
                let i = integer(value)?;
                <$t>::try_from(i).map_err(|_| format!("{i} does not fit in {}", stringify!($t)).into())
            }
        }
    )*};
}

integers!(types::SmallInt => i16, types::Integer => i32, types::BigInt => i64);

impl ToSql<types::Bool, Sqlite> for bool {
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Integer(i64::from(*self))))
    }
    fn to_literal(&self) -> Option<LiteralValue> {
        // SQLite keeps booleans as 0 and 1.
        Some(LiteralValue::Integer(i64::from(*self)))
    }
}

impl FromSql<types::Bool, Sqlite> for bool {
    #[inline]
    fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
        Ok(integer(value)? != 0)
    }
}

/// SQLite stores NaN as NULL: refused, so a number never comes back as a missing value.
fn real(value: f64) -> QueryResult<ToSqlOutput<'static>> {
    if value.is_nan() {
        return Err(Error::new(
            ErrorKind::Serialization,
            "SQLite cannot store NaN (it would keep NULL instead)",
        ));
    }
    Ok(ToSqlOutput::Owned(Value::Real(value)))
}

impl ToSql<types::Double, Sqlite> for f64 {
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        real(*self)
    }
    fn to_literal(&self) -> Option<LiteralValue> {
        LiteralValue::float(*self)
    }
}

impl FromSql<types::Double, Sqlite> for f64 {
    #[inline]
    fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
        match value {
            ValueRef::Real(r) => Ok(r),
            // SQLite stores whole REAL values as integers when it can. One beyond 2^53 has no
            // exact double: an error, not a rounded number.
            ValueRef::Integer(i) if (i as f64) as i64 == i && i.unsigned_abs() <= 1 << 53 => {
                Ok(i as f64)
            }
            ValueRef::Integer(i) => Err(format!("{i} has no exact 64-bit float").into()),
            other => unexpected(&other, "a number"),
        }
    }
}

/// A NUMERIC read as the nearest `f64` (`avg` of integers, read as a float): SQLite holds it
/// as a REAL, an INTEGER, or text where a double would lose digits.
impl FromSql<types::Numeric, Sqlite> for f64 {
    #[inline]
    fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
        match value {
            ValueRef::Text(t) => philtre::types::f64_from_decimal_text(std::str::from_utf8(t)?),
            other => <f64 as FromSql<types::Double, Sqlite>>::from_sql(other),
        }
    }
}

impl ToSql<types::Float, Sqlite> for f32 {
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        real(f64::from(*self))
    }
    fn to_literal(&self) -> Option<LiteralValue> {
        LiteralValue::float(f64::from(*self))
    }
}

impl FromSql<types::Float, Sqlite> for f32 {
    #[inline]
    fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
        // Narrowing is the point of a 4-byte REAL column.
        <f64 as FromSql<types::Double, Sqlite>>::from_sql(value).map(|v| v as f32)
    }
}

// SQLite has no arrays: a query that selects one is refused for that (`Sqlite:
// SupportsArrays`, at `.load(..)`). Reading its row asks the same bound here (never met), so the compiler
// reports the one unmet bound once, instead of a second error that no Rust type reads an
// array. (`for<'a>` keeps the never-met bound from being rejected where it is written.)
impl<T, ST> FromSql<types::Array<ST>, Sqlite> for Vec<T>
where
    for<'a> Sqlite: philtre::backend::SupportsArrays,
{
    fn from_sql(_: ValueRef<'_>) -> DecodeResult<Self> {
        Err("SQLite has no arrays".into())
    }
}

// The same for sending one (`docs::labels.eq(vec![..])`).
impl<T, ST> ToSql<types::Array<ST>, Sqlite> for Vec<T>
where
    for<'a> Sqlite: philtre::backend::SupportsArrays,
{
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        Err(Error::new(ErrorKind::InvalidQuery, "SQLite has no arrays"))
    }
}

impl ToSql<types::Text, Sqlite> for str {
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.as_bytes())))
    }
}

impl ToSql<types::Text, Sqlite> for String {
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        self.as_str().to_sql()
    }
}

impl FromSql<types::Text, Sqlite> for String {
    #[inline]
    fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
        text(value).map(str::to_owned)
    }
}

impl ToSql<types::Binary, Sqlite> for [u8] {
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Blob(self)))
    }
}

impl ToSql<types::Binary, Sqlite> for Vec<u8> {
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        self.as_slice().to_sql()
    }
}

impl FromSql<types::Binary, Sqlite> for Vec<u8> {
    #[inline]
    fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
        match value {
            ValueRef::Blob(b) | ValueRef::Text(b) => Ok(b.to_vec()),
            other => unexpected(&other, "a blob"),
        }
    }
}

/// Dates and times are stored as ISO 8601 text, the format SQLite's date functions read.
#[cfg(feature = "time")]
mod datetime {
    use time::format_description::BorrowedFormatItem;
    use time::macros::format_description;

    use philtre::{Error, ErrorKind};

    use super::*;

    const DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");
    const TIME: &[BorrowedFormatItem<'static>] =
        format_description!("[hour]:[minute]:[second].[subsecond digits:6]");
    const TIME_PARSE: &[BorrowedFormatItem<'static>] =
        format_description!("[hour]:[minute][optional [:[second][optional [.[subsecond]]]]]");
    const TIMESTAMP: &[BorrowedFormatItem<'static>] =
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]");
    const TIMESTAMP_PARSE: &[BorrowedFormatItem<'static>] = format_description!(
        "[year]-[month]-[day][first [T][ ]][hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
    );

    fn formatted(result: Result<String, time::error::Format>) -> QueryResult<ToSqlOutput<'static>> {
        result
            .map(|s| ToSqlOutput::Owned(Value::Text(s)))
            .map_err(|e| Error::new(ErrorKind::Serialization, e.to_string()).with_source(e))
    }

    impl ToSql<types::Date, Sqlite> for time::Date {
        fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
            formatted(self.format(DATE))
        }
    }
    impl FromSql<types::Date, Sqlite> for time::Date {
        #[inline]
        fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
            Ok(time::Date::parse(text(value)?, DATE)?)
        }
    }
    impl ToSql<types::Time, Sqlite> for time::Time {
        fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
            formatted(self.format(TIME))
        }
    }
    impl FromSql<types::Time, Sqlite> for time::Time {
        #[inline]
        fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
            Ok(time::Time::parse(text(value)?, TIME_PARSE)?)
        }
    }
    impl ToSql<types::Timestamp, Sqlite> for time::PrimitiveDateTime {
        fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
            formatted(self.format(TIMESTAMP))
        }
    }
    impl FromSql<types::Timestamp, Sqlite> for time::PrimitiveDateTime {
        #[inline]
        fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
            Ok(time::PrimitiveDateTime::parse(
                text(value)?,
                TIMESTAMP_PARSE,
            )?)
        }
    }

    /// `chrono` values are written as the `time` values they convert to, in the same text.
    #[cfg(feature = "chrono")]
    mod chrono_values {
        use philtre::types::{date_to_time, datetime_to_time, time_to_time};

        use super::*;

        impl ToSql<types::Date, Sqlite> for chrono::NaiveDate {
            fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
                formatted(date_to_time(self)?.format(DATE))
            }
        }
        impl ToSql<types::Time, Sqlite> for chrono::NaiveTime {
            fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
                formatted(time_to_time(self)?.format(TIME))
            }
        }
        impl ToSql<types::Timestamp, Sqlite> for chrono::NaiveDateTime {
            fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
                formatted(datetime_to_time(self)?.format(TIMESTAMP))
            }
        }
    }
}

#[cfg(feature = "time")]
mod timestamptz {
    use philtre::{Error, ErrorKind};
    use time::format_description::well_known::Rfc3339;

    use super::*;

    /// Stored as RFC 3339 text in UTC, so text order is time order.
    impl ToSql<types::Timestamptz, Sqlite> for time::OffsetDateTime {
        fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
            self.to_offset(time::UtcOffset::UTC)
                .format(&Rfc3339)
                .map(|s| ToSqlOutput::Owned(Value::Text(s)))
                .map_err(|e| Error::new(ErrorKind::Serialization, e.to_string()).with_source(e))
        }
    }

    impl FromSql<types::Timestamptz, Sqlite> for time::OffsetDateTime {
        #[inline]
        fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
            Ok(time::OffsetDateTime::parse(text(value)?, &Rfc3339)?)
        }
    }

    #[cfg(feature = "chrono")]
    impl ToSql<types::Timestamptz, Sqlite> for chrono::DateTime<chrono::Utc> {
        fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
            philtre::types::utc_to_time(self)?
                .format(&Rfc3339)
                .map(|s| ToSqlOutput::Owned(Value::Text(s)))
                .map_err(|e| Error::new(ErrorKind::Serialization, e.to_string()).with_source(e))
        }
    }
}

#[cfg(feature = "uuid")]
impl ToSql<types::Uuid, Sqlite> for uuid::Uuid {
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Text(
            self.hyphenated().to_string(),
        )))
    }
}

#[cfg(feature = "uuid")]
impl FromSql<types::Uuid, Sqlite> for uuid::Uuid {
    #[inline]
    fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
        match value {
            ValueRef::Blob(b) => Ok(uuid::Uuid::from_slice(b)?),
            other => Ok(uuid::Uuid::parse_str(text(other)?)?),
        }
    }
}

/// Bound as a number (an INTEGER, or a REAL that reads back as the same decimal), so
/// comparisons with numbers work. A value neither holds exactly is an error: a NUMERIC column
/// would turn its text into a REAL and drop digits past the 15th without a word.
#[cfg(feature = "decimal")]
impl ToSql<types::Numeric, Sqlite> for rust_decimal::Decimal {
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        use rust_decimal::prelude::ToPrimitive;
        if self.fract().is_zero()
            && let Some(whole) = self.to_i64()
        {
            return Ok(ToSqlOutput::Owned(Value::Integer(whole)));
        }
        if let Some(real) = self.to_f64()
            && rust_decimal::Decimal::try_from(real).is_ok_and(|back| back == *self)
        {
            return Ok(ToSqlOutput::Owned(Value::Real(real)));
        }
        Err(too_precise(&self.to_string()))
    }
}

/// SQLite has no decimal type: a NUMERIC column turns decimal text into an INTEGER or a REAL,
/// keeping 15 significant digits, so a value with more would be stored changed.
#[cfg(any(feature = "decimal", feature = "bigdecimal"))]
fn too_precise(value: &str) -> Error {
    Error::new(
        ErrorKind::Serialization,
        format!(
            "{value} has more digits than SQLite keeps in a NUMERIC column (an integer, or a REAL \
             of 15 significant digits): it would be stored changed. Round it, or keep such \
             values in a `Text` column"
        ),
    )
}

#[cfg(feature = "decimal")]
impl FromSql<types::Numeric, Sqlite> for rust_decimal::Decimal {
    #[inline]
    fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
        match value {
            ValueRef::Integer(i) => Ok(rust_decimal::Decimal::from(i)),
            ValueRef::Real(r) => philtre::types::decimal_from_f64(r),
            other => philtre::types::decimal_from_text(text(other)?),
        }
    }
}

#[cfg(feature = "json")]
mod json {
    use philtre::{Error, ErrorKind, Json};
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    use super::*;

    fn to_text<T: Serialize + ?Sized>(value: &T) -> QueryResult<ToSqlOutput<'static>> {
        serde_json::to_string(value)
            .map(|s| ToSqlOutput::Owned(Value::Text(s)))
            .map_err(|e| Error::new(ErrorKind::Serialization, e.to_string()).with_source(e))
    }

    macro_rules! json_types {
        ($($st:ty),*) => {$(
            impl ToSql<$st, Sqlite> for serde_json::Value {
                fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
                    to_text(self)
                }
            }
            impl FromSql<$st, Sqlite> for serde_json::Value {
                #[inline]
                fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
                    Ok(serde_json::from_str(text(value)?)?)
                }
            }
            impl<T: Serialize> ToSql<$st, Sqlite> for Json<T> {
                fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
                    to_text(&self.0)
                }
            }
            impl<T: DeserializeOwned> FromSql<$st, Sqlite> for Json<T> {
                #[inline]
                fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
                    Ok(Json(serde_json::from_str(text(value)?)?))
                }
            }
        )*};
    }

    json_types!(types::Json, types::Jsonb);
}

/// An enum's label is text.
impl types::BindsEnums for Sqlite {
    fn bind_label<'a>(label: &'static str) -> ToSqlOutput<'a> {
        ToSqlOutput::Borrowed(ValueRef::Text(label.as_bytes()))
    }
    fn read_label<'a>(
        value: <Self as philtre::backend::Backend>::RawValue<'a>,
    ) -> DecodeResult<&'a str> {
        match value {
            ValueRef::Text(bytes) => Ok(std::str::from_utf8(bytes)?),
            other => Err(format!("an enum label is text, not {}", type_name(&other)).into()),
        }
    }
}

/// Bound as a number when that is exact, as `rust_decimal::Decimal` is; a value neither an
/// INTEGER nor a REAL holds exactly is an error (a NUMERIC column would drop its digits).
#[cfg(feature = "bigdecimal")]
impl ToSql<types::Numeric, Sqlite> for bigdecimal::BigDecimal {
    fn to_sql(&self) -> QueryResult<ToSqlOutput<'_>> {
        use bigdecimal::ToPrimitive;
        if self.is_integer()
            && let Some(whole) = self.to_i64()
        {
            return Ok(ToSqlOutput::Owned(Value::Integer(whole)));
        }
        if let Some(real) = self.to_f64()
            && real.is_finite()
            && format!("{real}")
                .parse::<bigdecimal::BigDecimal>()
                .is_ok_and(|back| back == *self)
        {
            return Ok(ToSqlOutput::Owned(Value::Real(real)));
        }
        Err(too_precise(&self.to_plain_string()))
    }
}

#[cfg(feature = "bigdecimal")]
impl FromSql<types::Numeric, Sqlite> for bigdecimal::BigDecimal {
    #[inline]
    fn from_sql(value: ValueRef<'_>) -> DecodeResult<Self> {
        match value {
            ValueRef::Integer(i) => Ok(bigdecimal::BigDecimal::from(i)),
            // The shortest text that reads back as the same REAL: the decimal it was written as.
            ValueRef::Real(r) if r.is_finite() => Ok(format!("{r}").parse()?),
            ValueRef::Real(r) => Err(format!("{r} is not a decimal number").into()),
            other => Ok(text(other)?.trim().parse()?),
        }
    }
}
