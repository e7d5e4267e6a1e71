//! One marker trait per SQL typing rule, each with its own compiler message.
//!
//! They are implemented on SQL type markers. Keeping a separate trait per rule lets the
//! compiler's first line name the rule the query broke.

use super::{Bool, NumericType, SqlType, TextType};

/// Rule: `WHERE`, `HAVING` and `ON` take a boolean expression.
#[diagnostic::on_unimplemented(
    message = "this condition has SQL type `{Self}`, but a filter needs a boolean expression",
    label = "not a boolean SQL expression",
    note = "compare it with something, e.g. `column.eq(value)` or `column.is_not_null()`"
)]
pub trait BooleanCondition {}
#[diagnostic::do_not_recommend]
impl<ST: SqlType> BooleanCondition for ST where ST::NotNull: IsBool {}

#[doc(hidden)]
pub trait IsBool {}
impl IsBool for Bool {}

/// Rule: `LIKE` and `NOT LIKE` apply to text.
#[diagnostic::on_unimplemented(
    message = "`LIKE` needs a text expression, but this one has SQL type `{Self}`",
    label = "not a text expression",
    note = "`like`, `not_like`, `contains`, `starts_with` and `ends_with` apply to `Text` columns and expressions"
)]
pub trait LikeOperand {}
#[diagnostic::do_not_recommend]
impl<ST: SqlType> LikeOperand for ST where ST::NotNull: TextType {}

/// Rule: arithmetic (`+ - * /`) applies to numeric types.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs a numeric expression, but this one has SQL type `{Self}`",
    label = "not a numeric SQL expression",
    note = "`+ - * /` apply to SmallInt, Integer, BigInt, Float and Double; use `concat` for text"
)]
///
/// `Rhs` is the other operand's Rust type; it only keeps the bound generic so that it is
/// checked where `+` is used, not where the column is declared.
pub trait ArithmeticOperand<Rhs = ()> {}
#[diagnostic::do_not_recommend]
impl<ST: SqlType, Rhs> ArithmeticOperand<Rhs> for ST where ST::NotNull: NumericType {}

/// Rule: unary minus applies to signed numbers (an unsigned MySQL column has no negative
/// values: `-x` would fail on the server).
#[diagnostic::on_unimplemented(
    message = "unary `-` needs a signed number, but this expression has SQL type `{Self}`",
    label = "not a signed numeric SQL expression",
    note = "`-x` applies to SmallInt, Integer, BigInt, Float, Double and Numeric; for an unsigned column write `lit(0) - cast::<BigInt, _>(x)`"
)]
pub trait SignedOperand {}
#[diagnostic::do_not_recommend]
impl<ST: SqlType> SignedOperand for ST where ST::NotNull: super::SignedType {}

/// Rule: `%` (the remainder) applies to integers.
#[diagnostic::on_unimplemented(
    message = "`%` needs an integer expression, but this one has SQL type `{Self}`",
    label = "not an integer SQL expression",
    note = "`%` takes SmallInt, Integer and BigInt on both sides, of one type; PostgreSQL has no remainder of floats"
)]
///
/// `Rhs` is the other operand's Rust type, kept generic as for [`ArithmeticOperand`].
pub trait IntegerOperand<Rhs = ()> {}
#[diagnostic::do_not_recommend]
impl<ST: SqlType, Rhs> IntegerOperand<Rhs> for ST where ST::NotNull: super::IntegerType {}

/// Rule: the text operators and functions (`||`, `LOWER`, `TRIM`, `COLLATE`, …) apply to text.
#[diagnostic::on_unimplemented(
    message = "text operators and functions (`concat`, `lower`, `upper`, `trim`, `collate`, …) need a text expression, but this one has SQL type `{Self}`",
    label = "not a text expression"
)]
pub trait TextOperand {}
#[diagnostic::do_not_recommend]
impl<ST: SqlType> TextOperand for ST where ST::NotNull: TextType {}
