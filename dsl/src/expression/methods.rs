use crate::types::{BooleanCondition, LikeOperand, Text, TextOperand};

use super::operators::op;
use super::{
    And, AsExpression, Asc, Between, Binary, Concat, Desc, Eq, Expression, Ge, Gt, ILike, InList,
    IsNotNull, IsNull, Le, Like, Lt, Ne, Not, NotLike, Or, Postfix,
};

/// The SQL operators, as methods on every expression.
///
/// Each method checks its operands where you write it: `users::id.eq("x")` does not compile,
/// because `"x"` is not an `Integer`.
pub trait ExpressionMethods: Expression + Sized {
    /// `self = other`
    fn eq<T: AsExpression<Self::SqlType>>(self, other: T) -> Eq<Self, T::Expression> {
        Binary::new(self, other.into_expression())
    }
    /// `self <> other`
    fn ne<T: AsExpression<Self::SqlType>>(self, other: T) -> Ne<Self, T::Expression> {
        Binary::new(self, other.into_expression())
    }
    /// `self > other`
    fn gt<T: AsExpression<Self::SqlType>>(self, other: T) -> Gt<Self, T::Expression> {
        Binary::new(self, other.into_expression())
    }
    /// `self >= other`
    fn ge<T: AsExpression<Self::SqlType>>(self, other: T) -> Ge<Self, T::Expression> {
        Binary::new(self, other.into_expression())
    }
    /// `self < other`
    fn lt<T: AsExpression<Self::SqlType>>(self, other: T) -> Lt<Self, T::Expression> {
        Binary::new(self, other.into_expression())
    }
    /// `self <= other`
    fn le<T: AsExpression<Self::SqlType>>(self, other: T) -> Le<Self, T::Expression> {
        Binary::new(self, other.into_expression())
    }
    /// `self IS NULL`
    #[allow(clippy::wrong_self_convention)] // named after the SQL operator; builds an expression
    fn is_null(self) -> IsNull<Self> {
        Postfix::new(self)
    }
    /// `self IS NOT NULL`
    #[allow(clippy::wrong_self_convention)] // named after the SQL operator; builds an expression
    fn is_not_null(self) -> IsNotNull<Self> {
        Postfix::new(self)
    }
    /// `self IN (v1, v2, …)`; an empty list matches no row.
    fn eq_any<I>(
        self,
        values: I,
    ) -> InList<op::In, Self, <I::Item as AsExpression<Self::SqlType>>::Expression>
    where
        I: IntoIterator,
        I::Item: AsExpression<Self::SqlType>,
    {
        InList::new(
            self,
            values
                .into_iter()
                .map(AsExpression::into_expression)
                .collect(),
        )
    }
    /// `self NOT IN (v1, v2, …)`; an empty list matches every row.
    fn ne_all<I>(
        self,
        values: I,
    ) -> InList<op::NotIn, Self, <I::Item as AsExpression<Self::SqlType>>::Expression>
    where
        I: IntoIterator,
        I::Item: AsExpression<Self::SqlType>,
    {
        InList::new(
            self,
            values
                .into_iter()
                .map(AsExpression::into_expression)
                .collect(),
        )
    }
    /// `self BETWEEN low AND high`
    fn between<L, H>(self, low: L, high: H) -> Between<Self, L::Expression, H::Expression>
    where
        L: AsExpression<Self::SqlType>,
        H: AsExpression<Self::SqlType>,
    {
        Between::new(self, low.into_expression(), high.into_expression())
    }
    /// `self LIKE pattern` (text only).
    fn like<P>(self, pattern: P) -> Like<Self, P::Expression>
    where
        Self::SqlType: LikeOperand,
        P: AsExpression<Text>,
    {
        Binary::new(self, pattern.into_expression())
    }
    /// `self NOT LIKE pattern` (text only).
    fn not_like<P>(self, pattern: P) -> NotLike<Self, P::Expression>
    where
        Self::SqlType: LikeOperand,
        P: AsExpression<Text>,
    {
        Binary::new(self, pattern.into_expression())
    }
    /// `self ILIKE pattern`: case-insensitive LIKE (text only; PostgreSQL only — other
    /// backends reject the query at compile time).
    fn ilike<P>(self, pattern: P) -> ILike<Self, P::Expression>
    where
        Self::SqlType: LikeOperand,
        P: AsExpression<Text>,
    {
        ILike::new(self, pattern.into_expression())
    }
    /// `self || other`: string concatenation (text only).
    fn concat<T>(self, other: T) -> Concat<Self, T::Expression>
    where
        Self::SqlType: TextOperand,
        T: AsExpression<Self::SqlType>,
    {
        Concat::new(self, other.into_expression())
    }
    /// `self AND other` (boolean only).
    fn and<T>(self, other: T) -> And<Self, T::Expression>
    where
        Self::SqlType: BooleanCondition,
        T: Expression + AsExpression<T::SqlType>,
        T::SqlType: BooleanCondition,
    {
        Binary::new(self, other.into_expression())
    }
    /// `self OR other` (boolean only).
    fn or<T>(self, other: T) -> Or<Self, T::Expression>
    where
        Self::SqlType: BooleanCondition,
        T: Expression + AsExpression<T::SqlType>,
        T::SqlType: BooleanCondition,
    {
        Binary::new(self, other.into_expression())
    }
    /// `self ASC`, for `order`.
    fn asc(self) -> Asc<Self> {
        Asc::new(self)
    }
    /// `self DESC`, for `order`.
    fn desc(self) -> Desc<Self> {
        Desc::new(self)
    }
}

impl<E: Expression> ExpressionMethods for E {}

/// `NOT (expr)` (boolean only).
pub fn not<E>(expr: E) -> Not<E>
where
    E: Expression,
    E::SqlType: BooleanCondition,
{
    Not::new(expr)
}
