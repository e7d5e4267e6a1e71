//! `lit(value)`: a Rust value as an SQL expression of the type it maps to — `lit(42)` is an
//! `Integer`, `lit("x")` a `Text` — for select lists, CASE branches and arithmetic
//! (`lit(0) + 1`), where no column says what type a value should take. Sent as a bound value,
//! never spliced into the SQL text.

use crate::types;

use super::Bound;

/// A Rust type with one SQL type a [`lit`] of it takes: `i32` → `Integer`, `&str` → `Text`,
/// `Option<T>` → `Nullable<…>`, and so on.
#[diagnostic::on_unimplemented(
    message = "`lit` does not know which SQL type a `{Self}` is",
    label = "no default SQL type",
    note = "`lit` takes bool, integers, f32/f64, text, bytes, dates and times, UUIDs, decimals and `Option`s of them; for another type write `philtre::expression::Bound::<SqlType, _>::new(value)`"
)]
pub trait LiteralType {
    /// The SQL type.
    type SqlType: types::SqlType;
}

macro_rules! literal_types {
    ($($st:ty => $([$($lt:lifetime)?] $rust:ty),+;)*) => {$($(
        #[diagnostic::do_not_recommend]
        impl<$($lt)?> LiteralType for $rust {
            type SqlType = $st;
        }
    )+)*};
}

literal_types! {
    types::Bool => [] bool;
    types::SmallInt => [] i16;
    types::Integer => [] i32;
    types::BigInt => [] i64;
    types::Float => [] f32;
    types::Double => [] f64;
    types::Text => [] String, ['a] &'a str;
    types::Binary => [] Vec<u8>, ['a] &'a [u8];
    types::Unsigned<types::SmallInt> => [] u16;
    types::Unsigned<types::Integer> => [] u32;
    types::Unsigned<types::BigInt> => [] u64;
}

#[cfg(feature = "time")]
literal_types! {
    types::Date => [] time::Date;
    types::Time => [] time::Time;
    types::Timestamp => [] time::PrimitiveDateTime;
    types::Timestamptz => [] time::OffsetDateTime;
}

#[cfg(feature = "chrono")]
literal_types! {
    types::Date => [] chrono::NaiveDate;
    types::Time => [] chrono::NaiveTime;
    types::Timestamp => [] chrono::NaiveDateTime;
    types::Timestamptz => [] chrono::DateTime<chrono::Utc>;
}

#[cfg(feature = "uuid")]
literal_types! {
    types::Uuid => [] uuid::Uuid;
}

#[cfg(feature = "decimal")]
literal_types! {
    types::Numeric => [] rust_decimal::Decimal;
}

#[cfg(feature = "bigdecimal")]
literal_types! {
    types::Numeric => [] bigdecimal::BigDecimal;
}

impl<T: LiteralType> LiteralType for Option<T>
where
    <T::SqlType as types::SqlType>::NotNull: types::SqlType,
{
    type SqlType = types::Nullable<<T::SqlType as types::SqlType>::NotNull>;
}

/// `value` as an SQL expression of the type it maps to ([`LiteralType`]), sent as a bound
/// value: `select((lit(1), lit("one")))`, `lit(0) + users::score`, a CASE branch.
pub fn lit<T, ST>(value: T) -> Bound<ST, T>
where
    // `ST` named apart from `T::SqlType`, so that the return type stays well-formed when `T`
    // has no SQL type: the mistake is then reported once, at this bound.
    T: LiteralType<SqlType = ST>,
{
    Bound::new(value)
}
