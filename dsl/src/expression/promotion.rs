//! Numeric promotion: an `Integer` compared with a `Double` (`score > 2.5`) or multiplied by a
//! `Numeric` (`quantity * unit_price`) without a cast, typed as SQL types the result.
//!
//! SQL compares and combines any two numeric types; the result of arithmetic has the wider
//! type (`INTEGER * NUMERIC` is `NUMERIC`, `INTEGER + REAL` is `DOUBLE PRECISION` on
//! PostgreSQL). Three traits carry this into the DSL:
//!
//! - [`PromotesWith`] is the rule on SQL types: which pairs meet, and the type arithmetic of
//!   the two yields.
//! - [`Comparand`] is what `eq`, `gt`, `between` … accept: a value or expression of the same
//!   SQL type (through [`AsExpression`], so a type of your own works unchanged), or of another
//!   numeric type ([`PromotedOperand`]). Its second parameter only tells the two routes apart.
//! - [`NumericOperand`] is what `+ - * /` accept on the right.
//!
//! A Rust value of another numeric *kind* is promoted (`2.5` against an `Integer` column, `5`
//! against a `Double` one); one of the same kind but another width is not (`5` against a
//! `BigInt` column is an `i64`), so an integer literal always takes the column's own type.
//! Storing is stricter than comparing: [`crate::query::FitsColumn`] lets a value into a column
//! only where no digit can be lost.

use crate::types::{BigInt, Double, Float, Integer, Nullable, NumericType, SmallInt, SqlType};

use super::{AsExpression, Bound, Expression};

/// Rule: two numeric SQL types meet in a comparison or in arithmetic, which yields `Output`.
///
/// Implemented on the NOT NULL forms: every numeric type with itself, and every pair of two
/// numeric types.
#[diagnostic::on_unimplemented(
    message = "the SQL types do not match: `{Self}` cannot be compared with or combined with `{Other}`",
    label = "expected a numeric SQL type",
    note = "numbers of any numeric SQL type meet each other; other types meet only their own"
)]
pub trait PromotesWith<Other: SqlType>: SqlType {
    /// The SQL type of `self + other`.
    type Output: SqlType;
}

#[diagnostic::do_not_recommend]
impl<T: NumericType> PromotesWith<T> for T {
    type Output = T;
}

/// Rule: two *different* numeric SQL types (the pairs [`PromotesWith`] adds to a type with
/// itself).
#[diagnostic::on_unimplemented(
    message = "the SQL types do not match: expected `{Other}`, found `{Self}`",
    note = "both sides of a comparison must have the same SQL type, or both be numeric"
)]
pub trait OtherNumericType<Other> {}

macro_rules! promotions {
    ($($a:ty, $b:ty => $out:ty;)*) => {$(
        impl PromotesWith<$b> for $a {
            type Output = $out;
        }
        impl PromotesWith<$a> for $b {
            type Output = $out;
        }
        impl OtherNumericType<$b> for $a {}
        impl OtherNumericType<$a> for $b {}
    )*};
}

promotions! {
    SmallInt, Integer => Integer;
    SmallInt, BigInt => BigInt;
    Integer, BigInt => BigInt;
    // PostgreSQL adds an integer and a REAL in DOUBLE PRECISION; MySQL and SQLite in a double.
    SmallInt, Float => Double;
    Integer, Float => Double;
    BigInt, Float => Double;
    SmallInt, Double => Double;
    Integer, Double => Double;
    BigInt, Double => Double;
    Float, Double => Double;
}

#[cfg(feature = "decimal")]
promotions! {
    SmallInt, crate::types::Numeric => crate::types::Numeric;
    Integer, crate::types::Numeric => crate::types::Numeric;
    BigInt, crate::types::Numeric => crate::types::Numeric;
    // An exact number meets an approximate one as a float, as PostgreSQL and MySQL do it.
    Float, crate::types::Numeric => Double;
    Double, crate::types::Numeric => Double;
}

/// A value or expression of another numeric SQL type than `ST`, standing opposite an
/// expression of type `ST` (`2.5` opposite an `Integer` column).
#[diagnostic::on_unimplemented(
    message = "the SQL types do not match: expected a value of SQL type `{ST}`, found `{Self}`",
    label = "expected SQL type `{ST}`",
    note = "both sides of a comparison must have the same SQL type, or both be numeric"
)]
pub trait PromotedOperand<ST: SqlType> {
    /// The expression it becomes, of its own SQL type.
    type Expression: Expression;
    /// Converts.
    fn into_operand(self) -> Self::Expression;
}

/// The right operand of `+ - * /` beside an expression of SQL type `ST`: a number of that type
/// or of another numeric type.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs a number: expected a value of a numeric SQL type beside `{ST}`, found `{Self}`",
    label = "not a number of a numeric SQL type",
    note = "`+ - * /` combine numbers of any numeric SQL type; use `concat` for text"
)]
pub trait NumericOperand<ST: SqlType> {
    /// The expression it becomes.
    type Expression: Expression;
    /// Converts.
    fn into_operand(self) -> Self::Expression;
}

/// `How` a [`Comparand`] meets the other side: as the same SQL type.
#[derive(Debug)]
pub enum SameSqlTypeRoute {}
/// `How` a [`Comparand`] meets the other side: as another numeric type.
#[derive(Debug)]
pub enum PromotedRoute {}

/// What a comparison (`eq`, `ne`, `gt`, `ge`, `lt`, `le`, `between`, `is_distinct_from`)
/// accepts opposite an expression of SQL type `ST`: anything that is [`AsExpression<ST>`], or a
/// number of another numeric type. `How` is inferred; you never write it.
#[diagnostic::on_unimplemented(
    message = "the SQL types do not match: expected a value of SQL type `{ST}`, found `{Self}`",
    label = "expected SQL type `{ST}`",
    note = "both sides of a comparison must have the same SQL type, or both be numeric"
)]
pub trait Comparand<ST: SqlType, How> {
    /// The expression it becomes.
    type Expression: Expression;
    /// Converts.
    fn into_comparand(self) -> Self::Expression;
}

#[diagnostic::do_not_recommend]
impl<T: AsExpression<ST>, ST: SqlType> Comparand<ST, SameSqlTypeRoute> for T {
    type Expression = T::Expression;
    fn into_comparand(self) -> Self::Expression {
        self.into_expression()
    }
}

#[diagnostic::do_not_recommend]
impl<T: PromotedOperand<ST>, ST: SqlType> Comparand<ST, PromotedRoute> for T {
    type Expression = T::Expression;
    fn into_comparand(self) -> Self::Expression {
        self.into_operand()
    }
}

/// Implements [`PromotedOperand`] and [`NumericOperand`] for an expression type: it meets
/// expressions of its own SQL type and, when numeric, of every other numeric type.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_numeric_operand {
    // A column, whose SQL type without `Nullable` `table!` writes out: no projections for the
    // compiler to normalize in each column's impls.
    (@column $ty:ty, $not_null:ty) => {
        $crate::__impl_numeric_operand!(@impls [] $ty, $not_null,);
    };
    ([$($g:tt)*] $ty:ty) => {
        $crate::__impl_numeric_operand!(@impls [$($g)*] $ty,
            <<$ty as $crate::expression::Expression>::SqlType as $crate::types::SqlType>::NotNull,
            $ty: $crate::expression::Expression,
        );
    };
    (@impls [$($g:tt)*] $ty:ty, $not_null:ty, $($bound:tt)*) => {
        #[diagnostic::do_not_recommend]
        impl<__ST: $crate::types::SqlType, $($g)*> $crate::expression::PromotedOperand<__ST> for $ty
        where
            $($bound)*
            $not_null: $crate::expression::OtherNumericType<<__ST as $crate::types::SqlType>::NotNull>,
        {
            type Expression = Self;
            fn into_operand(self) -> Self {
                self
            }
        }
        #[diagnostic::do_not_recommend]
        impl<__ST: $crate::types::SqlType, $($g)*> $crate::expression::NumericOperand<__ST> for $ty
        where
            $($bound)*
            $not_null: $crate::expression::PromotesWith<<__ST as $crate::types::SqlType>::NotNull>,
        {
            type Expression = Self;
            fn into_operand(self) -> Self {
                self
            }
        }
    };
}

/// Rust numbers as operands. `$rust` is a value of SQL type `$own`; it meets `$same` (its own
/// type and the unsigned one it stands for) and is promoted opposite each of `$other`.
macro_rules! numeric_values {
    ($($rust:ty => $own:ty: [$($other:ty),*];)*) => {$(
        numeric_values!(@operand $rust => $own, $own);
        $(
            numeric_values!(@operand $rust => $own, $other);
            numeric_values!(@promoted $rust => $own, $other);
        )*
    )*};
    (@operand $rust:ty => $own:ty, $target:ty) => {
        numeric_values!(@impls NumericOperand $rust => $own, $target);
    };
    (@promoted $rust:ty => $own:ty, $target:ty) => {
        numeric_values!(@impls PromotedOperand $rust => $own, $target);
    };
    // By value and by reference, opposite `$target` and its nullable form.
    (@impls $trait:ident $rust:ty => $own:ty, $target:ty) => {
        #[diagnostic::do_not_recommend]
        impl $trait<$target> for $rust {
            type Expression = Bound<$own, $rust>;
            fn into_operand(self) -> Self::Expression { Bound::new(self) }
        }
        #[diagnostic::do_not_recommend]
        impl $trait<Nullable<$target>> for $rust {
            type Expression = Bound<$own, $rust>;
            fn into_operand(self) -> Self::Expression { Bound::new(self) }
        }
        #[diagnostic::do_not_recommend]
        impl<'x> $trait<$target> for &'x $rust {
            type Expression = Bound<$own, &'x $rust>;
            fn into_operand(self) -> Self::Expression { Bound::new(self) }
        }
        #[diagnostic::do_not_recommend]
        impl<'x> $trait<Nullable<$target>> for &'x $rust {
            type Expression = Bound<$own, &'x $rust>;
            fn into_operand(self) -> Self::Expression { Bound::new(self) }
        }
    };
}

// An integer is promoted opposite a float (and NUMERIC), a float opposite an integer; never an
// integer opposite another integer width, so that `5` takes the column's own type.
numeric_values! {
    i16 => SmallInt: [Float, Double];
    i32 => Integer: [Float, Double];
    i64 => BigInt: [Float, Double];
    f32 => Float: [SmallInt, Integer, BigInt];
    f64 => Double: [SmallInt, Integer, BigInt];
    u16 => crate::types::Unsigned<SmallInt>: [];
    u32 => crate::types::Unsigned<Integer>: [];
    u64 => crate::types::Unsigned<BigInt>: [];
}

#[cfg(feature = "decimal")]
mod decimal_values {
    use super::*;
    use crate::types::Numeric;
    use rust_decimal::Decimal;

    numeric_values! {
        Decimal => Numeric: [SmallInt, Integer, BigInt, Float, Double];
    }
    // Integers and floats opposite a NUMERIC column.
    numeric_values!(@promoted i16 => SmallInt, Numeric);
    numeric_values!(@promoted i32 => Integer, Numeric);
    numeric_values!(@promoted i64 => BigInt, Numeric);
    numeric_values!(@promoted f32 => Float, Numeric);
    numeric_values!(@promoted f64 => Double, Numeric);
    numeric_values!(@operand i16 => SmallInt, Numeric);
    numeric_values!(@operand i32 => Integer, Numeric);
    numeric_values!(@operand i64 => BigInt, Numeric);
    numeric_values!(@operand f32 => Float, Numeric);
    numeric_values!(@operand f64 => Double, Numeric);
}
