use std::marker::PhantomData;

use crate::backend::{BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::types::{self, BindsValue, HoldsSqlType, Nullable, SqlType};

use super::{AsExpression, Expression, QueryFragment};

/// A Rust value sent to the database as a bind parameter of SQL type `ST`.
///
/// It renders as a placeholder; the value never becomes part of the SQL text.
#[derive(Debug, Clone, Copy)]
pub struct Bound<ST, T> {
    value: T,
    _sql_type: PhantomData<ST>,
}

impl<ST, T> Bound<ST, T> {
    /// Wraps `value` as a parameter of SQL type `ST`.
    pub fn new(value: T) -> Self {
        Bound {
            value,
            _sql_type: PhantomData,
        }
    }

    /// The Rust value.
    pub fn value(&self) -> &T {
        &self.value
    }
}

impl<ST: SqlType, T> Expression for Bound<ST, T> {
    type SqlType = ST;
}

crate::__impl_constant_appears_in!([ST, T] Bound<ST, T>);
// `lit(0) + 1`: a bound value on the left of arithmetic, or given where an expression goes.
crate::__impl_arithmetic!([ST, T] Bound<ST, T>);
crate::__impl_as_expression!([ST, T] Bound<ST, T>);

// The backend is asked for the conversion (`BindsValue`, which every `ToSql` gives), so that
// generic code's one bound `DB: StandardBackend` covers every bound value.
impl<ST, T, DB> QueryFragment<DB> for Bound<ST, T>
where
    DB: BindsValue<ST, T>,
    ST: SqlType,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        if out.inline_literals() {
            if let Some(literal) = DB::literal_value(&self.value) {
                return out.push_literal(literal, ST::KIND);
            }
        }
        out.push_bind_param();
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        // One call per value on the hot path; only a GROUP BY key's sink drops literals.
        let literal = DB::literal_value(&self.value).is_some();
        out.push_bound(DB::bind_value(&self.value)?, ST::KIND, literal)
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

/// Declares that Rust type `$rust` is a value of SQL type `$st`: usable in comparisons and
/// assignments (`AsExpression`), and readable from a column of that type (`HoldsSqlType`).
macro_rules! value_type {
    ($st:ty => $([$($lt:lifetime)?] $rust:ty, $holds:tt);+ $(;)?) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($lt)?> AsExpression<$st> for $rust {
            type Expression = Bound<$st, $rust>;
            fn into_expression(self) -> Self::Expression { Bound::new(self) }
        }
        #[diagnostic::do_not_recommend]
        impl<'x, $($lt)?> AsExpression<$st> for &'x $rust {
            type Expression = Bound<$st, &'x $rust>;
            fn into_expression(self) -> Self::Expression { Bound::new(self) }
        }
        #[diagnostic::do_not_recommend]
        impl<$($lt)?> AsExpression<Nullable<$st>> for $rust {
            type Expression = Bound<$st, $rust>;
            fn into_expression(self) -> Self::Expression { Bound::new(self) }
        }
        #[diagnostic::do_not_recommend]
        impl<'x, $($lt)?> AsExpression<Nullable<$st>> for &'x $rust {
            type Expression = Bound<$st, &'x $rust>;
            fn into_expression(self) -> Self::Expression { Bound::new(self) }
        }
        #[diagnostic::do_not_recommend]
        impl<$($lt)?> AsExpression<Nullable<$st>> for Option<$rust> {
            type Expression = Bound<Nullable<$st>, Option<$rust>>;
            fn into_expression(self) -> Self::Expression { Bound::new(self) }
        }
        #[diagnostic::do_not_recommend]
        impl<'x, $($lt)?> AsExpression<Nullable<$st>> for &'x Option<$rust> {
            type Expression = Bound<Nullable<$st>, &'x Option<$rust>>;
            fn into_expression(self) -> Self::Expression { Bound::new(self) }
        }
        value_type!(@holds $holds $st, [$($lt)?] $rust);
    )+};
    (@holds read $st:ty, [$($lt:lifetime)?] $rust:ty) => {
        impl HoldsSqlType<$st> for $rust {}
    };
    (@holds write_only $st:ty, [$($lt:lifetime)?] $rust:ty) => {};
}

value_type!(types::Bool => [] bool, read);
value_type!(types::SmallInt => [] i16, read);
value_type!(types::Integer => [] i32, read);
value_type!(types::BigInt => [] i64, read);
value_type!(types::Float => [] f32, read);
value_type!(types::Double => [] f64, read);
value_type!(types::Text => [] String, read; ['a] &'a str, write_only);
value_type!(types::Binary => [] Vec<u8>, read; ['a] &'a [u8], write_only);

#[cfg(feature = "time")]
value_type!(types::Date => [] time::Date, read);
#[cfg(feature = "time")]
value_type!(types::Time => [] time::Time, read);
#[cfg(feature = "time")]
value_type!(types::Timestamp => [] time::PrimitiveDateTime, read);

#[cfg(feature = "time")]
value_type!(types::Timestamptz => [] time::OffsetDateTime, read);
#[cfg(feature = "chrono")]
value_type!(types::Date => [] chrono::NaiveDate, read);
#[cfg(feature = "chrono")]
value_type!(types::Time => [] chrono::NaiveTime, read);
#[cfg(feature = "chrono")]
value_type!(types::Timestamp => [] chrono::NaiveDateTime, read);
#[cfg(feature = "chrono")]
value_type!(types::Timestamptz => [] chrono::DateTime<chrono::Utc>, read);
#[cfg(feature = "uuid")]
value_type!(types::Uuid => [] uuid::Uuid, read);
#[cfg(feature = "time")]
value_type!(types::Interval => [] time::Duration, read);
#[cfg(feature = "chrono")]
value_type!(types::Interval => [] chrono::TimeDelta, read);
value_type!(types::Interval => [] types::PgInterval, read);
value_type!(types::Inet => [] std::net::IpAddr, read);
#[cfg(feature = "decimal")]
value_type!(types::Numeric => [] rust_decimal::Decimal, read);
#[cfg(feature = "bigdecimal")]
value_type!(types::Numeric => [] bigdecimal::BigDecimal, read);
#[cfg(feature = "json")]
value_type!(types::Json => [] serde_json::Value, read);
#[cfg(feature = "json")]
value_type!(types::Jsonb => [] serde_json::Value, read);
value_type!(types::Unsigned<types::SmallInt> => [] u16, read);
value_type!(types::Unsigned<types::Integer> => [] u32, read);
value_type!(types::Unsigned<types::BigInt> => [] u64, read);

/// Arrays: a `Vec<T>` or a slice of values of the element type.
mod arrays {
    use super::*;
    use types::Array;

    impl<T: HoldsSqlType<ST>, ST> HoldsSqlType<Array<ST>> for Vec<T> {}

    #[diagnostic::do_not_recommend]
    impl<T, ST: SqlType> AsExpression<Array<ST>> for Vec<T>
    where
        T: HoldsSqlType<ST>,
    {
        type Expression = Bound<Array<ST>, Vec<T>>;
        fn into_expression(self) -> Self::Expression {
            Bound::new(self)
        }
    }

    #[diagnostic::do_not_recommend]
    impl<'x, T, ST: SqlType> AsExpression<Array<ST>> for &'x Vec<T>
    where
        T: HoldsSqlType<ST>,
    {
        type Expression = Bound<Array<ST>, &'x Vec<T>>;
        fn into_expression(self) -> Self::Expression {
            Bound::new(self)
        }
    }
}
