//! SQL types as Rust marker types, and the traits that say which Rust values fit them.
//!
//! Every expression has an SQL type ([`crate::expression::Expression::SqlType`]). The markers
//! here are zero-sized; they exist only to make the compiler check that both sides of a
//! comparison agree, that `LIKE` gets text, that a nullable column is read into an `Option`.

mod from_sql;
mod rules;
mod to_sql;

pub use from_sql::{FromSql, FromSqlRow, HoldsSqlType, read_column};
pub use rules::{ArithmeticOperand, BooleanCondition, LikeOperand, TextOperand};
pub use to_sql::ToSql;

/// Whether an SQL type admits NULL: [`NotNullable`] or [`IsNullable`].
pub trait Nullability {
    /// NULL if either is nullable.
    type Or<O: Nullability>: Nullability;
    /// `ST` made nullable or not, according to `Self`.
    type Apply<ST: SqlType>: SqlType;
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
}

impl Nullability for IsNullable {
    type Or<O: Nullability> = IsNullable;
    type Apply<ST: SqlType> = Nullable<ST::NotNull>;
}

/// An SQL type marker.
pub trait SqlType: 'static {
    /// Whether values of this type may be NULL.
    type Nullability: Nullability;
    /// The same type without NULL.
    type NotNull: SqlType<Nullability = NotNullable>;
    /// The type's name in SQL, for messages and DDL.
    const NAME: &'static str;
}

/// Marker: an SQL type of one value (as opposed to a row of several).
pub trait SingleValue: SqlType {}

macro_rules! sql_types {
    ($($(#[$doc:meta])* $name:ident = $sql:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;
        impl SqlType for $name {
            type Nullability = NotNullable;
            type NotNull = $name;
            const NAME: &'static str = $sql;
        }
        impl SingleValue for $name {}
    )*};
}

sql_types! {
    /// `BOOLEAN`: Rust `bool`.
    Bool = "BOOLEAN";
    /// `SMALLINT`: Rust `i16`.
    SmallInt = "SMALLINT";
    /// `INTEGER`: Rust `i32`.
    Integer = "INTEGER";
    /// `BIGINT`: Rust `i64`.
    BigInt = "BIGINT";
    /// `REAL` (4 bytes): Rust `f32`.
    Float = "REAL";
    /// `DOUBLE PRECISION`: Rust `f64`.
    Double = "DOUBLE PRECISION";
    /// `TEXT` / `VARCHAR`: Rust `String` or `&str`.
    Text = "TEXT";
    /// `BLOB` / `BYTEA`: Rust `Vec<u8>` or `&[u8]`.
    Binary = "BLOB";
    /// `DATE`: `time::Date` (feature `time`).
    Date = "DATE";
    /// `TIME`: `time::Time` (feature `time`).
    Time = "TIME";
    /// `TIMESTAMP` without time zone: `time::PrimitiveDateTime` (feature `time`).
    Timestamp = "TIMESTAMP";
}

/// An SQL type that admits NULL: `Nullable<Text>` reads into `Option<String>`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nullable<ST>(std::marker::PhantomData<ST>);

impl<ST: SqlType<Nullability = NotNullable>> SqlType for Nullable<ST> {
    type Nullability = IsNullable;
    type NotNull = ST;
    const NAME: &'static str = ST::NAME;
}

impl<ST: SqlType<Nullability = NotNullable>> SingleValue for Nullable<ST> {}

/// Marker: a numeric SQL type (arithmetic is defined on it).
pub trait Numeric: SqlType {}
impl Numeric for SmallInt {}
impl Numeric for Integer {}
impl Numeric for BigInt {}
impl Numeric for Float {}
impl Numeric for Double {}

/// Marker: a character string SQL type.
pub trait TextType: SqlType {}
impl TextType for Text {}
