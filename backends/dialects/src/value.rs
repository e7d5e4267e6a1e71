//! The values a rendered statement binds, and the rows a driver's results can be read from.
//!
//! Neither dialect has a driver here, so values are plain owned data ([`Value`]): hand them to
//! `oracle` or `tiberius` one by one, in order. Rows fetched through such a driver can be read
//! back into philtre's Rust types by filling a [`ValueRow`].

use philtre::QueryResult;

/// A bind value, or a value read from a row.
///
/// Neither Oracle nor SQL Server has a boolean a parameter can carry (SQL Server's BIT comes
/// closest): `true` and `false` are bound as the integers `1` and `0`, as SQLAlchemy does.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// An integer (also a boolean: `1` or `0`).
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// An exact decimal number, as its text (`"12.50"`), for NUMBER / NUMERIC columns.
    Decimal(String),
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
    /// A date.
    Date(time::Date),
    /// A time of day.
    Time(time::Time),
    /// A date and time without a time zone.
    Timestamp(time::PrimitiveDateTime),
    /// A date and time with an offset.
    TimestampTz(time::OffsetDateTime),
    /// An output parameter of Oracle's `RETURNING … INTO :n`: bind a variable of the
    /// column's type here and read the returned value from it after the statement.
    Output,
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Decimal(_) => "a decimal",
            Value::Text(_) => "text",
            Value::Bytes(_) => "bytes",
            Value::Date(_) => "a date",
            Value::Time(_) => "a time",
            Value::Timestamp(_) => "a timestamp",
            Value::TimestampTz(_) => "a timestamp with offset",
            Value::Output => "an output parameter",
        }
    }

    /// The value as [`philtre::query::debug_query`] shows it.
    pub fn debug(&self) -> String {
        match self {
            Value::Null => "NULL".to_owned(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Decimal(d) => d.clone(),
            Value::Text(t) => format!("{t:?}"),
            Value::Bytes(b) => format!("<{} bytes>", b.len()),
            Value::Date(d) => d.to_string(),
            Value::Time(t) => t.to_string(),
            Value::Timestamp(t) => t.to_string(),
            Value::TimestampTz(t) => t.to_string(),
            Value::Output => "<output>".to_owned(),
        }
    }
}

/// A result row fetched through some driver: its column names and values, in order. Read it
/// with [`philtre::types::FromSqlRow::from_row`] like a row of any backend.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueRow {
    /// The column names (for error messages).
    pub names: Vec<String>,
    /// The values.
    pub values: Vec<Value>,
}

pub(crate) type DecodeResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub(crate) fn unexpected<T>(value: &Value, wanted: &str) -> DecodeResult<T> {
    Err(format!("expected {wanted}, found {}", value.kind()).into())
}

pub(crate) fn column_value(row: &ValueRow, index: usize) -> QueryResult<Option<&Value>> {
    match row.values.get(index) {
        Some(Value::Null) => Ok(None),
        Some(value) => Ok(Some(value)),
        None => Err(philtre::Error::deserialization(
            &format!("#{index}"),
            "the row has fewer columns than the Rust type reads",
        )),
    }
}

pub(crate) fn column_name(row: &ValueRow, index: usize) -> String {
    row.names
        .get(index)
        .cloned()
        .unwrap_or_else(|| format!("#{index}"))
}

pub(crate) fn integer(value: &Value) -> DecodeResult<i64> {
    match value {
        Value::Int(i) => Ok(*i),
        // Oracle's NUMBER comes back as a float through some drivers: take it when whole.
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(*f as i64),
        other => unexpected(other, "an integer"),
    }
}

/// The `Backend` items both dialects share: owned [`Value`] binds, rows as [`ValueRow`],
/// booleans written as 1 and 0.
macro_rules! value_backend_items {
    () => {
        type BindValue<'a> = $crate::value::Value;
        type RawValue<'a> = &'a $crate::value::Value;
        type Row<'a> = $crate::value::ValueRow;

        fn limit_value(count: &i64) -> $crate::value::Value {
            $crate::value::Value::Int(*count)
        }

        fn column_value(
            row: &$crate::value::ValueRow,
            index: usize,
        ) -> philtre::QueryResult<Option<&$crate::value::Value>> {
            $crate::value::column_value(row, index)
        }

        fn column_name(row: &$crate::value::ValueRow, index: usize) -> String {
            $crate::value::column_name(row, index)
        }

        fn debug_bind(value: &$crate::value::Value) -> String {
            value.debug()
        }

        fn push_literal(
            out: &mut String,
            value: philtre::expression::LiteralValue,
            kind: philtre::schema::TypeKind,
        ) {
            $crate::push_literal(out, value, kind);
        }
    };
}

/// `ToSql` / `FromSql` for the standard types, for one backend type.
macro_rules! standard_values {
    ($backend:ty) => {
        impl<T, ST> ToSql<Nullable<ST>, $backend> for Option<T>
        where
            T: ToSql<ST, $backend>,
        {
            fn to_sql(&self) -> QueryResult<Value> {
                match self {
                    Some(v) => v.to_sql(),
                    None => Ok(Value::Null),
                }
            }
            fn to_literal(&self) -> Option<LiteralValue> {
                self.as_ref().and_then(ToSql::to_literal)
            }
        }

        $crate::value::integers!($backend; types::SmallInt => i16, types::Integer => i32, types::BigInt => i64);

        impl ToSql<types::Bool, $backend> for bool {
            fn to_sql(&self) -> QueryResult<Value> {
                Ok(Value::Int(i64::from(*self)))
            }
            fn to_literal(&self) -> Option<LiteralValue> {
                Some(LiteralValue::Bool(*self))
            }
        }
        impl FromSql<types::Bool, $backend> for bool {
            fn from_sql(value: &Value) -> $crate::value::DecodeResult<Self> {
                match $crate::value::integer(value)? {
                    0 => Ok(false),
                    1 => Ok(true),
                    other => Err(format!("{other} is not a boolean (0 or 1)").into()),
                }
            }
        }
        impl ToSql<types::Double, $backend> for f64 {
            fn to_sql(&self) -> QueryResult<Value> {
                Ok(Value::Float(*self))
            }
            fn to_literal(&self) -> Option<LiteralValue> {
                LiteralValue::float(*self)
            }
        }
        impl FromSql<types::Double, $backend> for f64 {
            fn from_sql(value: &Value) -> $crate::value::DecodeResult<Self> {
                match value {
                    Value::Float(f) => Ok(*f),
                    Value::Int(i) => Ok(*i as f64),
                    other => $crate::value::unexpected(other, "a number"),
                }
            }
        }
        impl ToSql<types::Float, $backend> for f32 {
            fn to_sql(&self) -> QueryResult<Value> {
                Ok(Value::Float(f64::from(*self)))
            }
            fn to_literal(&self) -> Option<LiteralValue> {
                LiteralValue::float(f64::from(*self))
            }
        }
        impl FromSql<types::Float, $backend> for f32 {
            fn from_sql(value: &Value) -> $crate::value::DecodeResult<Self> {
                let wide = <f64 as FromSql<types::Double, $backend>>::from_sql(value)?;
                let narrow = wide as f32;
                if f64::from(narrow) == wide || !wide.is_finite() {
                    Ok(narrow)
                } else {
                    Err(format!("{wide} does not fit in f32 without rounding").into())
                }
            }
        }
        #[cfg(feature = "decimal")]
        impl ToSql<types::Numeric, $backend> for rust_decimal::Decimal {
            fn to_sql(&self) -> QueryResult<Value> {
                Ok(Value::Decimal(self.to_string()))
            }
        }
        #[cfg(feature = "decimal")]
        impl FromSql<types::Numeric, $backend> for rust_decimal::Decimal {
            fn from_sql(value: &Value) -> $crate::value::DecodeResult<Self> {
                match value {
                    Value::Decimal(text) => Ok(text.parse()?),
                    Value::Int(i) => Ok(rust_decimal::Decimal::from(*i)),
                    other => $crate::value::unexpected(other, "a decimal"),
                }
            }
        }
        $crate::value::owned!($backend; types::Text, str => String, Text, to_owned, "text");
        $crate::value::owned!($backend; types::Binary, [u8] => Vec<u8>, Bytes, to_vec, "bytes");
        $crate::value::copied!($backend;
            types::Date => time::Date, Date;
            types::Time => time::Time, Time;
            types::Timestamp => time::PrimitiveDateTime, Timestamp;
            types::Timestamptz => time::OffsetDateTime, TimestampTz
        );
    };
}

macro_rules! integers {
    ($backend:ty; $($st:ty => $t:ty),*) => {$(
        impl ToSql<$st, $backend> for $t {
            fn to_sql(&self) -> QueryResult<Value> {
                Ok(Value::Int(i64::from(*self)))
            }
            fn to_literal(&self) -> Option<LiteralValue> {
                Some(LiteralValue::from(*self))
            }
        }
        impl FromSql<$st, $backend> for $t {
            fn from_sql(value: &Value) -> $crate::value::DecodeResult<Self> {
                let i = $crate::value::integer(value)?;
                <$t>::try_from(i).map_err(|_| format!("{i} does not fit in {}", stringify!($t)).into())
            }
        }
    )*};
}

macro_rules! owned {
    ($backend:ty; $st:ty, $borrowed:ty => $owned:ty, $variant:ident, $to_owned:ident, $what:literal) => {
        impl ToSql<$st, $backend> for $borrowed {
            fn to_sql(&self) -> QueryResult<Value> {
                Ok(Value::$variant(self.$to_owned()))
            }
        }
        impl ToSql<$st, $backend> for $owned {
            fn to_sql(&self) -> QueryResult<Value> {
                Ok(Value::$variant(self.clone()))
            }
        }
        impl FromSql<$st, $backend> for $owned {
            fn from_sql(value: &Value) -> $crate::value::DecodeResult<Self> {
                match value {
                    Value::$variant(v) => Ok(v.clone()),
                    other => $crate::value::unexpected(other, $what),
                }
            }
        }
    };
}

macro_rules! copied {
    ($backend:ty; $($st:ty => $t:ty, $variant:ident);*) => {$(
        impl ToSql<$st, $backend> for $t {
            fn to_sql(&self) -> QueryResult<Value> {
                Ok(Value::$variant(*self))
            }
        }
        impl FromSql<$st, $backend> for $t {
            fn from_sql(value: &Value) -> $crate::value::DecodeResult<Self> {
                match value {
                    Value::$variant(v) => Ok(*v),
                    other => $crate::value::unexpected(other, stringify!($variant)),
                }
            }
        }
    )*};
}

pub(crate) use {copied, integers, owned, standard_values, value_backend_items};
