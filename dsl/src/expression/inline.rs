//! Numbers and booleans written into the SQL text instead of bound, where a database compares
//! expressions as text: a computed GROUP BY key must read the same in GROUP BY and in the select
//! list, HAVING or ORDER BY, and PostgreSQL cannot tell that `$1` and `$3` hold the same value.
//!
//! Only values whose literal cannot carry SQL are ever inlined: integers, finite floats and
//! booleans ([`crate::types::ToSql::to_literal`]). Text stays bound.

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;

use super::QueryFragment;

/// A value that may be written into SQL as a literal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LiteralValue {
    /// A signed whole number.
    Integer(i64),
    /// An unsigned whole number.
    Unsigned(u64),
    /// A finite floating-point number.
    Float(f64),
    /// `TRUE` / `FALSE`.
    Bool(bool),
}

macro_rules! from_whole {
    ($variant:ident: $($t:ty),*) => {$(
        impl From<$t> for LiteralValue {
            fn from(value: $t) -> Self {
                LiteralValue::$variant(value.into())
            }
        }
    )*};
}

from_whole!(Integer: i8, i16, i32, i64);
from_whole!(Unsigned: u8, u16, u32, u64);

impl From<bool> for LiteralValue {
    fn from(value: bool) -> Self {
        LiteralValue::Bool(value)
    }
}

impl LiteralValue {
    /// A float as a literal; `None` for NaN and the infinities, which SQL has no literal for.
    pub fn float(value: f64) -> Option<Self> {
        value.is_finite().then_some(LiteralValue::Float(value))
    }

    /// The literal as standard SQL writes it: `42`, `-1.5`, `2.0`, `TRUE`. A whole float keeps
    /// a `.0`, so it reads as a decimal and not as an integer.
    pub fn write(self, out: &mut String) {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = match self {
            LiteralValue::Integer(v) => write!(out, "{v}"),
            LiteralValue::Unsigned(v) => write!(out, "{v}"),
            LiteralValue::Float(v) if v.fract() == 0.0 && v.abs() < 1e15 => write!(out, "{v:.1}"),
            // `Display` for f64 is the shortest text that reads back the same value, without
            // an exponent.
            LiteralValue::Float(v) => write!(out, "{v}"),
            LiteralValue::Bool(v) => write!(out, "{}", if v { "TRUE" } else { "FALSE" }),
        };
    }
}

/// Forwards the values that stay bound to `inner`, and leaves out the ones written as literals.
struct WithLiterals<'s, 'a, DB: Backend> {
    inner: &'s mut dyn BindSink<'a, DB>,
}

impl<'a, DB: Backend> BindSink<'a, DB> for WithLiterals<'_, 'a, DB> {
    fn push_value(&mut self, value: DB::BindValue<'a>) -> QueryResult<()> {
        self.inner.push_value(value)
    }
    fn push_bound(
        &mut self,
        value: DB::BindValue<'a>,
        sql_type: crate::schema::TypeKind,
        literal: bool,
    ) -> QueryResult<()> {
        if literal {
            return Ok(());
        }
        self.inner.push_bound(value, sql_type, false)
    }
}

/// Counts the values that would be written as literals.
struct CountLiterals(usize);

impl<'a, DB: Backend> BindSink<'a, DB> for CountLiterals {
    fn push_value(&mut self, _: DB::BindValue<'a>) -> QueryResult<()> {
        Ok(())
    }
    fn push_bound(
        &mut self,
        _: DB::BindValue<'a>,
        _: crate::schema::TypeKind,
        literal: bool,
    ) -> QueryResult<()> {
        self.0 += usize::from(literal);
        Ok(())
    }
}

/// Writes `fragment` with its numbers and booleans as literals.
pub(crate) fn to_sql_with_literals<DB: Backend, X: QueryFragment<DB>>(
    fragment: &X,
    out: &mut SqlWriter<DB>,
) {
    let before = out.set_inline_literals(true);
    fragment.to_sql(out);
    out.set_inline_literals(before);
}

/// Hands over the values of `fragment` that stay bound when its literals are inlined.
pub(crate) fn collect_binds_with_literals<'a, DB: Backend, X: QueryFragment<DB>>(
    fragment: &'a X,
    out: &mut dyn BindSink<'a, DB>,
) -> QueryResult<()> {
    fragment.collect_binds(&mut WithLiterals { inner: out })
}

/// Whether `fragment` has values that are inlined, so its SQL depends on them and is not
/// cached by type.
pub(crate) fn has_literals<DB: Backend, X: QueryFragment<DB>>(fragment: &X) -> bool {
    let mut count = CountLiterals(0);
    // A value that cannot be converted fails the statement when it runs; here it counts as
    // none, which at worst renders the SQL again.
    let _ = fragment.collect_binds(&mut count);
    count.0 > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: LiteralValue) -> String {
        let mut out = String::new();
        value.write(&mut out);
        out
    }

    #[test]
    fn literals_read_back_as_the_same_value() {
        assert_eq!(text(LiteralValue::from(-42_i32)), "-42");
        assert_eq!(text(LiteralValue::from(u64::MAX)), "18446744073709551615");
        assert_eq!(text(LiteralValue::Float(2.0)), "2.0");
        assert_eq!(text(LiteralValue::Float(0.1)), "0.1");
        assert_eq!(text(LiteralValue::Float(-1.5e-7)), "-0.00000015");
        assert_eq!(text(LiteralValue::from(true)), "TRUE");
        assert_eq!(LiteralValue::float(f64::NAN), None);
        let big = 1e300_f64;
        assert_eq!(
            text(LiteralValue::Float(big)).parse::<f64>().ok(),
            Some(big)
        );
    }
}
