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

impl<T, ST> ToSql<Nullable<ST>, Pg> for Option<T>
where
    T: ToSql<ST, Pg> + tokio_postgres::types::ToSql + Sync,
{
    fn to_sql(&self) -> QueryResult<PgBind<'_>> {
        Ok(PgBind::Value(self))
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
driver_types! { types::Numeric => rust_decimal::Decimal }
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
