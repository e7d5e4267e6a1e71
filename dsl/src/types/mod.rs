//! SQL types as Rust marker types, and the traits that say which Rust values fit them.
//!
//! Every expression has an SQL type ([`crate::expression::Expression::SqlType`]). The markers
//! here are zero-sized; they exist only to make the compiler check that both sides of a
//! comparison agree, that `LIKE` gets text, that a nullable column is read into an `Option`.

#[cfg(feature = "chrono")]
mod chrono_values;
#[cfg(feature = "decimal")]
mod decimal;
mod enums;
mod from_sql;
mod interval;
mod rules;
mod standard;
mod to_sql;

#[cfg(feature = "chrono")]
pub use chrono_values::{date_to_time, datetime_to_time, time_to_time, utc_to_time};
#[cfg(feature = "decimal")]
pub use decimal::{decimal_from_f64, decimal_from_text};
pub use enums::{BindsEnums, Enum, SqlEnum, unknown_label};
pub use from_sql::{
    FromSql, FromSqlRow, HoldsSqlType, SqlRowWidth, f64_from_decimal_text, read_column,
};
pub use interval::PgInterval;
#[cfg(feature = "time")]
pub use interval::{duration_from_interval, interval_from_duration};
#[cfg(feature = "chrono")]
pub use interval::{interval_from_time_delta, time_delta_from_interval};
pub use rules::{
    ArithmeticOperand, BooleanCondition, IntegerOperand, LikeOperand, SignedOperand, TextOperand,
};
pub use standard::{BindsValue, ReadsValue, StandardBackend};
pub use to_sql::ToSql;

/// Whether an SQL type admits NULL: [`NotNullable`] or [`IsNullable`].
pub trait Nullability {
    /// NULL if either is nullable.
    type Or<O: Nullability>: Nullability;
    /// `ST` made nullable or not, according to `Self`.
    type Apply<ST: SqlType>: SqlType;
    /// A whole row `R` (a struct's or a table's columns) made nullable or not: on the
    /// nullable side of an outer join it is read into an `Option`.
    type Row<R>;
    /// Whether it admits NULL.
    const IS_NULLABLE: bool;
}

/// The SQL type admits no NULL.
#[derive(Debug, Clone, Copy, Default)]
pub struct NotNullable;
/// The SQL type admits NULL.
#[derive(Debug, Clone, Copy, Default)]
pub struct IsNullable;

impl Nullability for NotNullable {
    type Or<O: Nullability> = O;
    type Apply<ST: SqlType> = ST::NotNull;
    type Row<R> = R;
    const IS_NULLABLE: bool = false;
}

impl Nullability for IsNullable {
    type Or<O: Nullability> = IsNullable;
    type Apply<ST: SqlType> = Nullable<ST::NotNull>;
    type Row<R> = NullableRow<R>;
    const IS_NULLABLE: bool = true;
}

/// The SQL type of several columns that an outer join may leave all NULL: read it into an
/// `Option<T>`, which is `None` when every column is NULL.
pub struct NullableRow<R>(std::marker::PhantomData<R>);

/// An SQL type marker.
pub trait SqlType: 'static {
    /// Whether values of this type may be NULL.
    type Nullability: Nullability;
    /// The same type without NULL.
    type NotNull: SqlType<Nullability = NotNullable>;
    /// The type's name in SQL, for messages and DDL.
    const NAME: &'static str;
    /// Whether values are whole numbers (division of two truncates, as in SQL).
    const IS_INTEGER: bool = false;
    /// The type as DDL needs it.
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Custom(Self::NAME);
}

/// `BOOLEAN`: Rust `bool`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bool;

impl SqlType for Bool {
    type Nullability = NotNullable;
    type NotNull = Bool;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Bool;
    const NAME: &'static str = "BOOLEAN";
}

/// `SMALLINT`: Rust `i16`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SmallInt;

impl SqlType for SmallInt {
    type Nullability = NotNullable;
    type NotNull = SmallInt;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::SmallInt;
    const IS_INTEGER: bool = true;
    const NAME: &'static str = "SMALLINT";
}

/// `INTEGER`: Rust `i32`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Integer;

impl SqlType for Integer {
    type Nullability = NotNullable;
    type NotNull = Integer;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Integer;
    const IS_INTEGER: bool = true;
    const NAME: &'static str = "INTEGER";
}

/// `BIGINT`: Rust `i64`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BigInt;

impl SqlType for BigInt {
    type Nullability = NotNullable;
    type NotNull = BigInt;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::BigInt;
    const IS_INTEGER: bool = true;
    const NAME: &'static str = "BIGINT";
}

/// `REAL` (4 bytes): Rust `f32`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Float;

impl SqlType for Float {
    type Nullability = NotNullable;
    type NotNull = Float;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Float;
    const NAME: &'static str = "REAL";
}

/// `DOUBLE PRECISION`: Rust `f64`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Double;

impl SqlType for Double {
    type Nullability = NotNullable;
    type NotNull = Double;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Double;
    const NAME: &'static str = "DOUBLE PRECISION";
}

/// `TEXT` / `VARCHAR`: Rust `String` or `&str`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Text;

impl SqlType for Text {
    type Nullability = NotNullable;
    type NotNull = Text;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Text;
    const NAME: &'static str = "TEXT";
}

/// `BLOB` / `BYTEA`: Rust `Vec<u8>` or `&[u8]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Binary;

impl SqlType for Binary {
    type Nullability = NotNullable;
    type NotNull = Binary;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Binary;
    const NAME: &'static str = "BLOB";
}

/// `DATE`: `time::Date` (feature `time`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Date;

impl SqlType for Date {
    type Nullability = NotNullable;
    type NotNull = Date;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Date;
    const NAME: &'static str = "DATE";
}

/// `TIME`: `time::Time` (feature `time`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Time;

impl SqlType for Time {
    type Nullability = NotNullable;
    type NotNull = Time;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Time;
    const NAME: &'static str = "TIME";
}

/// `TIMESTAMP` without time zone: `time::PrimitiveDateTime` (feature `time`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timestamp;

impl SqlType for Timestamp {
    type Nullability = NotNullable;
    type NotNull = Timestamp;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Timestamp;
    const NAME: &'static str = "TIMESTAMP";
}

/// `NUMERIC` / `DECIMAL`: exact decimal numbers, `rust_decimal::Decimal` (feature `decimal`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Numeric;

impl SqlType for Numeric {
    type Nullability = NotNullable;
    type NotNull = Numeric;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Numeric;
    const NAME: &'static str = "NUMERIC";
}

impl NumericType for Numeric {}

/// `UUID` (PostgreSQL; text elsewhere): `uuid::Uuid` (feature `uuid`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Uuid;

impl SqlType for Uuid {
    type Nullability = NotNullable;
    type NotNull = Uuid;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Uuid;
    const NAME: &'static str = "UUID";
}

/// `JSON`: `serde_json::Value`, or any serde type through `philtre::Json` (feature `json`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json;

impl SqlType for Json {
    type Nullability = NotNullable;
    type NotNull = Json;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Json;
    const NAME: &'static str = "JSON";
}

/// PostgreSQL `JSONB`: like [`Json`], stored parsed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Jsonb;

impl SqlType for Jsonb {
    type Nullability = NotNullable;
    type NotNull = Jsonb;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Jsonb;
    const NAME: &'static str = "JSONB";
}

/// `INTERVAL` (PostgreSQL): a length of time — `time::Duration` (feature `time`),
/// `chrono::TimeDelta` (feature `chrono`), or [`PgInterval`] for an interval counted in months
/// (`'1 month'` has no fixed length, so reading it as a duration is an error).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Interval;

impl SqlType for Interval {
    type Nullability = NotNullable;
    type NotNull = Interval;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Interval;
    const NAME: &'static str = "INTERVAL";
}

/// `INET` (PostgreSQL): an IPv4 or IPv6 address, `std::net::IpAddr`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inet;

impl SqlType for Inet {
    type Nullability = NotNullable;
    type NotNull = Inet;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Inet;
    const NAME: &'static str = "INET";
}

/// `TIMESTAMP WITH TIME ZONE`: `time::OffsetDateTime` (feature `time`). MySQL and SQLite store
/// the instant in UTC.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timestamptz;

impl SqlType for Timestamptz {
    type Nullability = NotNullable;
    type NotNull = Timestamptz;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Timestamptz;
    const NAME: &'static str = "TIMESTAMP WITH TIME ZONE";
}

/// A PostgreSQL array of `ST`: `Vec<T>`. Other backends do not compile queries reading it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Array<ST>(std::marker::PhantomData<ST>);

impl<ST: SqlType> SqlType for Array<ST> {
    type Nullability = NotNullable;
    type NotNull = Array<ST>;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Array(&ST::KIND);
    const NAME: &'static str = "ARRAY";
}

/// A MySQL `UNSIGNED` integer: `Unsigned<SmallInt>` is `u16`, `Unsigned<Integer>` `u32`,
/// `Unsigned<BigInt>` `u64`. Other backends do not compile queries reading it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unsigned<ST>(std::marker::PhantomData<ST>);

impl<ST: SqlType> SqlType for Unsigned<ST> {
    type Nullability = NotNullable;
    type NotNull = Unsigned<ST>;
    const KIND: crate::schema::TypeKind = crate::schema::TypeKind::Unsigned(&ST::KIND);
    const NAME: &'static str = ST::NAME;
    const IS_INTEGER: bool = ST::IS_INTEGER;
}

impl<ST: NumericType> NumericType for Unsigned<ST> {}

/// An SQL type that admits NULL: `Nullable<Text>` reads into `Option<String>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nullable<ST>(std::marker::PhantomData<ST>);

impl<ST: SqlType<Nullability = NotNullable>> SqlType for Nullable<ST> {
    type Nullability = IsNullable;
    type NotNull = ST;
    const NAME: &'static str = ST::NAME;
    const IS_INTEGER: bool = ST::IS_INTEGER;
    const KIND: crate::schema::TypeKind = ST::KIND;
}

/// Marker: a numeric SQL type (arithmetic is defined on it).
pub trait NumericType: SqlType {}
impl NumericType for SmallInt {}
impl NumericType for Integer {}
impl NumericType for BigInt {}
impl NumericType for Float {}
impl NumericType for Double {}

/// Marker: a signed numeric SQL type (unary minus is defined on it).
pub trait SignedType: NumericType {}
impl SignedType for SmallInt {}
impl SignedType for Integer {}
impl SignedType for BigInt {}
impl SignedType for Float {}
impl SignedType for Double {}
impl SignedType for Numeric {}

/// Marker: an integer SQL type (`%` is defined on it).
pub trait IntegerType: NumericType {}
impl IntegerType for SmallInt {}
impl IntegerType for Integer {}
impl IntegerType for BigInt {}
impl<ST: IntegerType> IntegerType for Unsigned<ST> {}

/// Marker: a character string SQL type.
pub trait TextType: SqlType {}
impl TextType for Text {}
