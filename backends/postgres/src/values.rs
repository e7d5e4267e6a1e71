//! Conversions between Rust values and PostgreSQL values for each SQL type.

use philtre::QueryResult;
use philtre::expression::LiteralValue;
use philtre::types::{self, FromSql, Nullable, ToSql};

use crate::{Pg, PgBind, PgValue};

type DecodeResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Decodes with the driver's conversion after checking that it accepts the column's type, so a
/// mismatch is an error and never a misread of bytes.
#[inline(always)]
fn decode<'a, T: tokio_postgres::types::FromSql<'a>>(value: PgValue<'a>) -> DecodeResult<T> {
    if !T::accepts(value.ty) {
        return Err(format!(
            "a PostgreSQL {} value cannot be read as {}",
            value.ty,
            std::any::type_name::<T>()
        )
        .into());
    }
    T::from_sql(value.ty, value.raw)
}

/// SQL NULL, checked against the parameter's type as a value of the query's SQL type would be:
/// where the server guessed another type for the placeholder (`text` for a NULL inside
/// COALESCE), the statement is prepared again with the query's type.
#[derive(Debug)]
///
/// It holds the SQL type's kind, a constant, so that binding a NULL allocates nothing: each
/// `Option` binds a reference to a `'static` value.
struct TypedNull(philtre::schema::TypeKind);

impl TypedNull {
    fn accepts_type(&self, ty: &tokio_postgres::types::Type) -> bool {
        use tokio_postgres::types::Type;
        let Some(own) = &crate::params::pg_type(self.0) else {
            return true;
        };
        own == ty
            || (*own == Type::TEXT
                && (matches!(
                    *ty,
                    Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
                ) || ty.name() == "citext"))
            || (matches!(*own, Type::JSON | Type::JSONB) && matches!(*ty, Type::JSON | Type::JSONB))
    }
}

impl tokio_postgres::types::ToSql for TypedNull {
    fn to_sql(
        &self,
        _: &tokio_postgres::types::Type,
        _: &mut bytes::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        Ok(tokio_postgres::types::IsNull::Yes)
    }
    fn accepts(_: &tokio_postgres::types::Type) -> bool {
        true
    }
    fn to_sql_checked(
        &self,
        ty: &tokio_postgres::types::Type,
        _: &mut bytes::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        if self.accepts_type(ty) {
            Ok(tokio_postgres::types::IsNull::Yes)
        } else {
            Err(format!("a NULL of type {:?} sent as {ty}", self.0).into())
        }
    }
}

/// `Some` binds as the value does, `None` as NULL: so every type philtre converts itself
/// (`chrono`, `BigDecimal`, intervals) is nullable too, not only those the driver sends.
impl<T, ST> ToSql<Nullable<ST>, Pg> for Option<T>
where
    T: ToSql<ST, Pg>,
    ST: types::SqlType,
{
    fn to_sql(&self) -> QueryResult<PgBind<'_>> {
        match self {
            Some(value) => value.to_sql(),
            None => Ok(PgBind::Value(&const { TypedNull(ST::KIND) })),
        }
    }
    fn to_literal(&self) -> Option<LiteralValue> {
        self.as_ref().and_then(ToSql::to_literal)
    }
}

/// A whole number or boolean as a literal.
fn whole(value: impl Into<LiteralValue>) -> Option<LiteralValue> {
    Some(value.into())
}

/// A float as a literal, when it is finite.
fn real(value: impl Into<f64>) -> Option<LiteralValue> {
    LiteralValue::float(value.into())
}

macro_rules! driver_types {
    ($($st:ty => $t:ty $(as literal $literal:ident)?),* $(,)?) => {$(
        impl ToSql<$st, Pg> for $t {
            fn to_sql(&self) -> QueryResult<PgBind<'_>> {
                Ok(PgBind::Value(self))
            }
            $(
                fn to_literal(&self) -> Option<LiteralValue> {
                    $literal(*self)
                }
            )?
        }
        impl FromSql<$st, Pg> for $t {
            #[inline]
            fn from_sql(value: PgValue<'_>) -> DecodeResult<Self> {
                decode(value)
            }
        }
    )*};
}

driver_types! {
    types::Bool => bool as literal whole,
    types::SmallInt => i16 as literal whole,
    types::Integer => i32 as literal whole,
    types::BigInt => i64 as literal whole,
    types::Float => f32 as literal real,
    types::Double => f64 as literal real,
    types::Text => String,
    types::Binary => Vec<u8>,
}

#[cfg(feature = "time")]
driver_types! {
    types::Date => time::Date,
    types::Time => time::Time,
    types::Timestamp => time::PrimitiveDateTime,
}

impl ToSql<types::Text, Pg> for str {
    fn to_sql(&self) -> QueryResult<PgBind<'_>> {
        Ok(PgBind::Text(self))
    }
}

impl ToSql<types::Binary, Pg> for [u8] {
    fn to_sql(&self) -> QueryResult<PgBind<'_>> {
        Ok(PgBind::Bytes(self))
    }
}

#[cfg(feature = "time")]
driver_types! { types::Timestamptz => time::OffsetDateTime }
#[cfg(feature = "uuid")]
driver_types! { types::Uuid => uuid::Uuid }
#[cfg(feature = "decimal")]
impl ToSql<types::Numeric, Pg> for rust_decimal::Decimal {
    fn to_sql(&self) -> QueryResult<PgBind<'_>> {
        Ok(PgBind::Value(self))
    }
}

/// NUMERIC is read from its binary form through its decimal text, exactly: the driver's own
/// conversion rounds a value with more than 28 decimal places (PostgreSQL's `1e-30` would read
/// as 0) where this one fails.
#[cfg(feature = "decimal")]
impl FromSql<types::Numeric, Pg> for rust_decimal::Decimal {
    fn from_sql(value: PgValue<'_>) -> DecodeResult<Self> {
        if value.ty != &tokio_postgres::types::Type::NUMERIC {
            return decode(value);
        }
        philtre::types::decimal_from_text(&numeric_text(value.raw)?)
    }
}

/// A NUMERIC read as the nearest `f64` (`avg` of integers, read as a float); NaN and the
/// infinities as themselves.
impl FromSql<types::Numeric, Pg> for f64 {
    fn from_sql(value: PgValue<'_>) -> DecodeResult<Self> {
        if value.ty != &tokio_postgres::types::Type::NUMERIC {
            return decode(value);
        }
        match value
            .raw
            .get(4..6)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
        {
            Some(0xC000) => Ok(f64::NAN),
            Some(0xD000) => Ok(f64::INFINITY),
            Some(0xF000) => Ok(f64::NEG_INFINITY),
            _ => philtre::types::f64_from_decimal_text(&numeric_text(value.raw)?),
        }
    }
}

/// The decimal text of a NUMERIC in PostgreSQL's binary format: digit count, weight (the power
/// of 10000 of the first digit), sign, display scale, then base-10000 digits.
fn numeric_text(raw: &[u8]) -> DecodeResult<String> {
    use std::fmt::Write;
    let word = |i: usize| -> DecodeResult<u16> {
        raw.get(2 * i..2 * i + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "a NUMERIC value ended early".into())
    };
    let count = usize::from(word(0)?);
    let weight = i32::from(word(1)? as i16);
    let sign = word(2)?;
    let scale = usize::from(word(3)?);
    match sign {
        0x0000 | 0x4000 => {}
        0xC000 => return Err("a NaN NUMERIC has no decimal digits".into()),
        _ => return Err("an infinite NUMERIC has no decimal digits".into()),
    }
    let digit = |i: i32| -> DecodeResult<u16> {
        match usize::try_from(i) {
            Ok(i) if i < count => word(4 + i),
            _ => Ok(0),
        }
    };
    let mut text = String::with_capacity(8 + 4 * count + scale);
    if sign == 0x4000 {
        text.push('-');
    }
    if weight < 0 {
        text.push('0');
    } else {
        let _ = write!(text, "{}", digit(0)?);
        for i in 1..=weight {
            let _ = write!(text, "{:04}", digit(i)?);
        }
    }
    if scale > 0 {
        text.push('.');
        let mut fraction = String::with_capacity(scale + 4);
        let mut i = weight + 1;
        while fraction.len() < scale {
            let _ = write!(fraction, "{:04}", digit(i)?);
            i += 1;
        }
        fraction.truncate(scale);
        text.push_str(&fraction);
    }
    Ok(text)
}
#[cfg(feature = "json")]
driver_types! { types::Json => serde_json::Value, types::Jsonb => serde_json::Value }

#[cfg(feature = "json")]
mod json {
    use philtre::Json;
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    use super::*;

    macro_rules! typed_json {
        ($($st:ty),*) => {$(
            impl<T: Serialize + std::fmt::Debug + Sync> ToSql<$st, Pg> for Json<T> {
                fn to_sql(&self) -> QueryResult<PgBind<'_>> {
                    Ok(PgBind::Owned(Box::new(tokio_postgres::types::Json(&self.0))))
                }
            }
            impl<T: DeserializeOwned + std::fmt::Debug> FromSql<$st, Pg> for Json<T> {
                #[inline]
                fn from_sql(value: PgValue<'_>) -> DecodeResult<Self> {
                    decode::<tokio_postgres::types::Json<T>>(value).map(|j| Json(j.0))
                }
            }
        )*};
    }

    typed_json!(types::Json, types::Jsonb);
}

/// PostgreSQL arrays of any element type the driver handles.
impl<T, ST> ToSql<types::Array<ST>, Pg> for Vec<T>
where
    T: philtre::types::HoldsSqlType<ST> + tokio_postgres::types::ToSql + Sync,
{
    fn to_sql(&self) -> QueryResult<PgBind<'_>> {
        Ok(PgBind::Value(self))
    }
}

impl<T, ST> FromSql<types::Array<ST>, Pg> for Vec<T>
where
    T: philtre::types::HoldsSqlType<ST> + for<'a> tokio_postgres::types::FromSql<'a>,
{
    #[inline]
    fn from_sql(value: PgValue<'_>) -> DecodeResult<Self> {
        decode(value)
    }
}

/// `chrono` values travel as the `time` values they convert to (stored alike).
#[cfg(feature = "chrono")]
mod chrono_values {
    use philtre::types::{date_to_time, datetime_to_time, time_to_time, utc_to_time};

    use super::*;

    impl ToSql<types::Date, Pg> for chrono::NaiveDate {
        fn to_sql(&self) -> QueryResult<PgBind<'_>> {
            Ok(PgBind::Owned(Box::new(date_to_time(self)?)))
        }
    }
    impl ToSql<types::Time, Pg> for chrono::NaiveTime {
        fn to_sql(&self) -> QueryResult<PgBind<'_>> {
            Ok(PgBind::Owned(Box::new(time_to_time(self)?)))
        }
    }
    impl ToSql<types::Timestamp, Pg> for chrono::NaiveDateTime {
        fn to_sql(&self) -> QueryResult<PgBind<'_>> {
            Ok(PgBind::Owned(Box::new(datetime_to_time(self)?)))
        }
    }
    impl ToSql<types::Timestamptz, Pg> for chrono::DateTime<chrono::Utc> {
        fn to_sql(&self) -> QueryResult<PgBind<'_>> {
            Ok(PgBind::Owned(Box::new(utc_to_time(self)?)))
        }
    }
}

/// An enum's label, sent as the enum type the server expects (or as text where text is
/// expected): tokio-postgres's `String` accepts only text types.
#[derive(Debug)]
struct EnumLabel(&'static str);

impl tokio_postgres::types::ToSql for EnumLabel {
    fn to_sql(
        &self,
        _: &tokio_postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        out.extend_from_slice(self.0.as_bytes());
        Ok(tokio_postgres::types::IsNull::No)
    }
    fn accepts(ty: &tokio_postgres::types::Type) -> bool {
        matches!(ty.kind(), tokio_postgres::types::Kind::Enum(_))
            || <&str as tokio_postgres::types::ToSql>::accepts(ty)
    }
    tokio_postgres::types::to_sql_checked!();
}

impl types::BindsEnums for Pg {
    fn bind_label<'a>(label: &'static str) -> PgBind<'a> {
        PgBind::Owned(Box::new(EnumLabel(label)))
    }
    fn read_label<'a>(
        value: <Self as philtre::backend::Backend>::RawValue<'a>,
    ) -> DecodeResult<&'a str> {
        let enum_or_text = matches!(value.ty.kind(), tokio_postgres::types::Kind::Enum(_))
            || <&str as tokio_postgres::types::FromSql>::accepts(value.ty);
        if !enum_or_text {
            return Err(format!("a PostgreSQL {} value is not an enum label", value.ty).into());
        }
        Ok(std::str::from_utf8(value.raw)?)
    }
}

/// A NUMERIC in PostgreSQL's binary format, from plain decimal text (`-123.4500`): digit
/// count, weight, sign, display scale, then base-10000 digits.
#[cfg(feature = "bigdecimal")]
#[derive(Debug)]
struct NumericText(String);

#[cfg(feature = "bigdecimal")]
impl tokio_postgres::types::ToSql for NumericText {
    fn to_sql(
        &self,
        _: &tokio_postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        let (negative, digits) = match self.0.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, self.0.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let whole = whole.trim_start_matches('0');
        let scale = u16::try_from(fraction.len())?;
        let group = |text: &str| -> Result<Vec<i16>, Box<dyn std::error::Error + Sync + Send>> {
            text.as_bytes()
                .chunks(4)
                .map(|chunk| Ok(std::str::from_utf8(chunk)?.parse::<i16>()?))
                .collect()
        };
        let whole_padded = format!("{}{whole}", "0".repeat((4 - whole.len() % 4) % 4));
        let fraction_padded = format!("{fraction}{}", "0".repeat((4 - fraction.len() % 4) % 4));
        let whole_groups = group(&whole_padded)?;
        let mut weight = i16::try_from(whole_groups.len())? - 1;
        let mut groups: Vec<i16> = whole_groups;
        groups.extend(group(&fraction_padded)?);
        while groups.first() == Some(&0) {
            groups.remove(0);
            weight -= 1;
        }
        while groups.last() == Some(&0) {
            groups.pop();
        }
        let sign: u16 = if negative && !groups.is_empty() {
            0x4000
        } else {
            0
        };
        if groups.is_empty() {
            weight = 0;
        }
        out.extend_from_slice(&i16::try_from(groups.len())?.to_be_bytes());
        out.extend_from_slice(&weight.to_be_bytes());
        out.extend_from_slice(&sign.to_be_bytes());
        out.extend_from_slice(&scale.to_be_bytes());
        for g in groups {
            out.extend_from_slice(&g.to_be_bytes());
        }
        Ok(tokio_postgres::types::IsNull::No)
    }
    fn accepts(ty: &tokio_postgres::types::Type) -> bool {
        *ty == tokio_postgres::types::Type::NUMERIC
    }
    tokio_postgres::types::to_sql_checked!();
}

#[cfg(feature = "bigdecimal")]
impl ToSql<types::Numeric, Pg> for bigdecimal::BigDecimal {
    fn to_sql(&self) -> QueryResult<PgBind<'_>> {
        Ok(PgBind::Owned(Box::new(NumericText(self.to_plain_string()))))
    }
}

/// Read through its exact decimal text: every digit PostgreSQL keeps.
#[cfg(feature = "bigdecimal")]
impl FromSql<types::Numeric, Pg> for bigdecimal::BigDecimal {
    fn from_sql(value: PgValue<'_>) -> DecodeResult<Self> {
        if value.ty != &tokio_postgres::types::Type::NUMERIC {
            return Err(format!("a PostgreSQL {} value is not a NUMERIC", value.ty).into());
        }
        Ok(numeric_text(value.raw)?.parse()?)
    }
}

/// INTERVAL in PostgreSQL's binary format: microseconds (`i64`), days (`i32`), months (`i32`),
/// big-endian. The driver has no conversion for it.
mod intervals {
    use philtre::types::PgInterval;
    use tokio_postgres::types::Type;

    use super::*;

    #[derive(Debug)]
    struct IntervalBits(PgInterval);

    impl tokio_postgres::types::ToSql for IntervalBits {
        fn to_sql(
            &self,
            _: &Type,
            out: &mut bytes::BytesMut,
        ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
        {
            out.extend_from_slice(&self.0.microseconds.to_be_bytes());
            out.extend_from_slice(&self.0.days.to_be_bytes());
            out.extend_from_slice(&self.0.months.to_be_bytes());
            Ok(tokio_postgres::types::IsNull::No)
        }
        fn accepts(ty: &Type) -> bool {
            *ty == Type::INTERVAL
        }
        tokio_postgres::types::to_sql_checked!();
    }

    fn read(value: PgValue<'_>) -> DecodeResult<PgInterval> {
        if *value.ty != Type::INTERVAL {
            return Err(format!("a PostgreSQL {} value is not an INTERVAL", value.ty).into());
        }
        let raw: &[u8; 16] = value
            .raw
            .try_into()
            .map_err(|_| "an INTERVAL value is not 16 bytes long")?;
        let (micros, rest) = raw.split_at(8);
        let (days, months) = rest.split_at(4);
        // The lengths are fixed above, so the conversions cannot fail.
        let word = |bytes: &[u8]| -> [u8; 4] { bytes.try_into().unwrap_or_default() };
        Ok(PgInterval {
            microseconds: i64::from_be_bytes(micros.try_into().unwrap_or_default()),
            days: i32::from_be_bytes(word(days)),
            months: i32::from_be_bytes(word(months)),
        })
    }

    fn send<'a>(interval: PgInterval) -> PgBind<'a> {
        PgBind::Owned(Box::new(IntervalBits(interval)))
    }

    impl ToSql<types::Interval, Pg> for PgInterval {
        fn to_sql(&self) -> QueryResult<PgBind<'_>> {
            Ok(send(*self))
        }
    }
    impl FromSql<types::Interval, Pg> for PgInterval {
        fn from_sql(value: PgValue<'_>) -> DecodeResult<Self> {
            read(value)
        }
    }

    #[cfg(feature = "time")]
    impl ToSql<types::Interval, Pg> for time::Duration {
        fn to_sql(&self) -> QueryResult<PgBind<'_>> {
            philtre::types::interval_from_duration(self).map(send)
        }
    }
    #[cfg(feature = "time")]
    impl FromSql<types::Interval, Pg> for time::Duration {
        fn from_sql(value: PgValue<'_>) -> DecodeResult<Self> {
            Ok(philtre::types::duration_from_interval(&read(value)?)?)
        }
    }

    #[cfg(feature = "chrono")]
    impl ToSql<types::Interval, Pg> for chrono::TimeDelta {
        fn to_sql(&self) -> QueryResult<PgBind<'_>> {
            philtre::types::interval_from_time_delta(self).map(send)
        }
    }
    #[cfg(feature = "chrono")]
    impl FromSql<types::Interval, Pg> for chrono::TimeDelta {
        fn from_sql(value: PgValue<'_>) -> DecodeResult<Self> {
            Ok(philtre::types::time_delta_from_interval(&read(value)?)?)
        }
    }
}

/// INET as `IpAddr`, a host address. The driver sends it with the full netmask; it would read
/// `192.168.0.1/24` as `192.168.0.1`, dropping the mask, so reading checks it here.
impl ToSql<types::Inet, Pg> for std::net::IpAddr {
    fn to_sql(&self) -> QueryResult<PgBind<'_>> {
        Ok(PgBind::Value(self))
    }
}

impl FromSql<types::Inet, Pg> for std::net::IpAddr {
    fn from_sql(value: PgValue<'_>) -> DecodeResult<Self> {
        // family (2: IPv4, 3: IPv6), netmask bits, is-CIDR flag, address length, address.
        let address: std::net::IpAddr = decode(value)?;
        let full = if address.is_ipv4() { 32 } else { 128 };
        match value.raw.get(1) {
            Some(&bits) if bits == full => Ok(address),
            Some(&bits) => Err(format!(
                "the INET value {address}/{bits} has a netmask, which std::net::IpAddr cannot hold"
            )
            .into()),
            None => Err("an INET value ended early".into()),
        }
    }
}
