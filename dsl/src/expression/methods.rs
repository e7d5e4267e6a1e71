use crate::query::{CompoundSelect, InSubquery, Query, SelectStatement, SubqueryOf};
use crate::types::{Bool, BooleanCondition, LikeOperand, SqlType, Text, TextOperand};

use super::operators::op;
use super::text_match::{Collate, Escaped, Lowered, TextValue};
use super::{
    And, AsExpression, Asc, Between, Binary, Comparand, Concat, Desc, DistinctFrom, Eq, Expression,
    Ge, Gt, ILike, InList, IsNotNull, IsNull, Le, Like, Lt, Ne, Not, NotLike, Or, Postfix,
};

/// The SQL operators, as methods on every expression.
///
/// Each method checks its operands where you write it: `users::id.eq("x")` does not compile,
/// because `"x"` is not an `Integer`.
pub trait ExpressionMethods: Expression + Sized {
    /// `self = other`
    fn eq<T, How>(self, other: T) -> Eq<Self, T::Expression>
    where
        T: Comparand<Self::SqlType, How>,
    {
        Binary::new(self, other.into_comparand())
    }
    /// `self <> other`
    fn ne<T, How>(self, other: T) -> Ne<Self, T::Expression>
    where
        T: Comparand<Self::SqlType, How>,
    {
        Binary::new(self, other.into_comparand())
    }
    /// `self > other`
    fn gt<T, How>(self, other: T) -> Gt<Self, T::Expression>
    where
        T: Comparand<Self::SqlType, How>,
    {
        Binary::new(self, other.into_comparand())
    }
    /// `self >= other`
    fn ge<T, How>(self, other: T) -> Ge<Self, T::Expression>
    where
        T: Comparand<Self::SqlType, How>,
    {
        Binary::new(self, other.into_comparand())
    }
    /// `self < other`
    fn lt<T, How>(self, other: T) -> Lt<Self, T::Expression>
    where
        T: Comparand<Self::SqlType, How>,
    {
        Binary::new(self, other.into_comparand())
    }
    /// `self <= other`
    fn le<T, How>(self, other: T) -> Le<Self, T::Expression>
    where
        T: Comparand<Self::SqlType, How>,
    {
        Binary::new(self, other.into_comparand())
    }
    /// `self IS DISTINCT FROM other`: `<>` in which NULL is a value like any other.
    #[allow(clippy::wrong_self_convention)] // named after the SQL operator; builds an expression
    fn is_distinct_from<T, How>(self, other: T) -> DistinctFrom<Self, T::Expression, false>
    where
        T: Comparand<Self::SqlType, How>,
    {
        DistinctFrom(self, other.into_comparand())
    }
    /// `self IS NOT DISTINCT FROM other`: `=` in which NULL equals NULL.
    #[allow(clippy::wrong_self_convention)] // named after the SQL operator; builds an expression
    fn is_not_distinct_from<T, How>(self, other: T) -> DistinctFrom<Self, T::Expression, true>
    where
        T: Comparand<Self::SqlType, How>,
    {
        DistinctFrom(self, other.into_comparand())
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
    /// `self IN (v1, v2, …)` (an empty list matches no row), or `self IN (subquery)` for a
    /// SELECT of one column of the same SQL type.
    fn eq_any<V>(self, values: V) -> V::In<Self>
    where
        V: InValues<Self::SqlType>,
    {
        values.in_(self)
    }
    /// `self NOT IN (v1, v2, …)` (an empty list matches every row), or
    /// `self NOT IN (subquery)`.
    fn ne_all<V>(self, values: V) -> V::NotIn<Self>
    where
        V: InValues<Self::SqlType>,
    {
        values.not_in(self)
    }
    /// `self BETWEEN low AND high`
    fn between<L, H, HowLow, HowHigh>(
        self,
        low: L,
        high: H,
    ) -> Between<Self, L::Expression, H::Expression>
    where
        L: Comparand<Self::SqlType, HowLow>,
        H: Comparand<Self::SqlType, HowHigh>,
    {
        Between::new(self, low.into_comparand(), high.into_comparand())
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
    /// `self LIKE '%text%'`, with `%`, `_` and `/` in `text` escaped (`ESCAPE '/'`): true
    /// where `self` contains `text` as written. NULL where `self` is NULL.
    fn contains(self, text: &str) -> Escaped<Like<Self, TextValue>, TextValue>
    where
        Self::SqlType: LikeOperand,
    {
        super::text_match::matching(self, "%", text, "%")
    }
    /// `self LIKE 'text%'`, `text` escaped as by [`ExpressionMethods::contains`].
    fn starts_with(self, text: &str) -> Escaped<Like<Self, TextValue>, TextValue>
    where
        Self::SqlType: LikeOperand,
    {
        super::text_match::matching(self, "", text, "%")
    }
    /// `self LIKE '%text'`, `text` escaped as by [`ExpressionMethods::contains`].
    fn ends_with(self, text: &str) -> Escaped<Like<Self, TextValue>, TextValue>
    where
        Self::SqlType: LikeOperand,
    {
        super::text_match::matching(self, "%", text, "")
    }
    /// [`ExpressionMethods::contains`] ignoring case: `LOWER(self) LIKE LOWER('%text%')`
    /// (the database lowers both sides; SQLite's `LOWER` folds ASCII letters only).
    #[allow(clippy::type_complexity)]
    fn icontains(self, text: &str) -> Escaped<Like<Lowered<Self>, Lowered<TextValue>>, TextValue>
    where
        Self::SqlType: LikeOperand,
    {
        super::text_match::matching_any_case(self, "%", text, "%")
    }
    /// [`ExpressionMethods::starts_with`] ignoring case (see [`ExpressionMethods::icontains`]).
    #[allow(clippy::type_complexity)]
    fn istarts_with(self, text: &str) -> Escaped<Like<Lowered<Self>, Lowered<TextValue>>, TextValue>
    where
        Self::SqlType: LikeOperand,
    {
        super::text_match::matching_any_case(self, "", text, "%")
    }
    /// [`ExpressionMethods::ends_with`] ignoring case (see [`ExpressionMethods::icontains`]).
    #[allow(clippy::type_complexity)]
    fn iends_with(self, text: &str) -> Escaped<Like<Lowered<Self>, Lowered<TextValue>>, TextValue>
    where
        Self::SqlType: LikeOperand,
    {
        super::text_match::matching_any_case(self, "%", text, "")
    }
    /// `self COLLATE "collation"`: compares and orders by that collation (the database's name
    /// for it: `"C"` on PostgreSQL, `NOCASE` on SQLite, `utf8mb4_bin` on MySQL). Text only.
    fn collate(self, collation: &str) -> Collate<Self>
    where
        Self::SqlType: TextOperand,
    {
        Collate::new(self, collation)
    }
    /// `self NULLS FIRST` (ascending, as SQL orders a key without ASC or DESC); see
    /// [`super::Asc::nulls_first`].
    fn nulls_first(self) -> super::NullsPlaced<Asc<Self>, true> {
        Asc::new(self).nulls_first()
    }
    /// `self NULLS LAST` (ascending); see [`super::Asc::nulls_last`].
    fn nulls_last(self) -> super::NullsPlaced<Asc<Self>, false> {
        Asc::new(self).nulls_last()
    }
    /// The same expression typed as nullable (`Nullable<…>`, read as `Option<_>`), the SQL
    /// unchanged: so a NOT NULL column can meet a nullable one of its type, as the two sides of
    /// a UNION must.
    fn nullable(self) -> super::AsNullable<Self> {
        super::AsNullable::new(self)
    }
    /// The JSON value under object key `key` (a `&str`) or at array position `key` (an `i32`,
    /// from 0) of a JSON document: PostgreSQL `data -> 'key'`, MySQL `JSON_EXTRACT(data,
    /// '$."key"')`, SQLite `data -> '$."key"'`. NULL when the key is missing; a JSON `null`
    /// when the value is. Chain it for a path (`data.get("author").get("name")`) and read the
    /// value with [`super::JsonGet::as_text`], `as_integer`, `as_float` or `as_bool`.
    fn get<K: super::JsonKey>(self, key: K) -> super::JsonGet<Self>
    where
        <Self::SqlType as SqlType>::NotNull: super::JsonType,
    {
        super::JsonGet::new(self, key.into_step())
    }
    /// `self @> other` on arrays (PostgreSQL): every element of `other` is in `self`. (Named
    /// apart from the text method [`ExpressionMethods::contains`].)
    fn array_contains<T>(
        self,
        other: T,
    ) -> super::Containment<super::ArrayContains, Self, T::Expression>
    where
        <Self::SqlType as SqlType>::NotNull: super::ArrayType,
        T: AsExpression<<Self::SqlType as SqlType>::NotNull>,
    {
        super::Containment::new(self, other.into_expression())
    }
    /// `self <@ other` on arrays (PostgreSQL): every element of `self` is in `other`.
    fn array_contained_by<T>(
        self,
        other: T,
    ) -> super::Containment<super::ArrayContainedBy, Self, T::Expression>
    where
        <Self::SqlType as SqlType>::NotNull: super::ArrayType,
        T: AsExpression<<Self::SqlType as SqlType>::NotNull>,
    {
        super::Containment::new(self, other.into_expression())
    }
    /// `self && other` on arrays (PostgreSQL): they have an element in common.
    fn array_overlaps<T>(
        self,
        other: T,
    ) -> super::Containment<super::ArrayOverlaps, Self, T::Expression>
    where
        <Self::SqlType as SqlType>::NotNull: super::ArrayType,
        T: AsExpression<<Self::SqlType as SqlType>::NotNull>,
    {
        super::Containment::new(self, other.into_expression())
    }
    /// `self[index]` of an array (PostgreSQL): the element at `index`, counted from 1 as SQL
    /// does; NULL past the end.
    fn at(self, index: i32) -> super::ArrayElement<Self>
    where
        <Self::SqlType as SqlType>::NotNull: super::ArrayType,
    {
        super::ArrayElement::new(self, index)
    }
    /// `self + interval` (PostgreSQL): a `Timestamp` or `Timestamptz` moved later by an
    /// `Interval` — a column, or a `time::Duration` (`posts::created_at.add_interval(
    /// Duration::hours(2))`). An interval counting months moves by calendar months.
    fn add_interval<I>(self, interval: I) -> super::IntervalShift<Self, I::Expression, false>
    where
        <Self::SqlType as SqlType>::NotNull: super::IntervalOperand,
        I: AsExpression<crate::types::Interval>,
    {
        super::IntervalShift::new(self, interval.into_expression())
    }
    /// `self - interval` (PostgreSQL): see [`ExpressionMethods::add_interval`].
    fn sub_interval<I>(self, interval: I) -> super::IntervalShift<Self, I::Expression, true>
    where
        <Self::SqlType as SqlType>::NotNull: super::IntervalOperand,
        I: AsExpression<crate::types::Interval>,
    {
        super::IntervalShift::new(self, interval.into_expression())
    }
    /// `self[from:to]` of an array (PostgreSQL): the elements from position `from` to `to`,
    /// both included, counted from 1; the part of the range inside the array (an empty array
    /// when none is).
    fn slice(self, from: i32, to: i32) -> super::ArraySlice<Self>
    where
        <Self::SqlType as SqlType>::NotNull: super::ArrayType,
    {
        super::ArraySlice::new(self, from, to)
    }
    /// `cardinality(self)` of an array (PostgreSQL): its number of elements, 0 when empty
    /// (where `array_length(self, 1)` gives NULL).
    fn cardinality(self) -> super::Cardinality<Self>
    where
        <Self::SqlType as SqlType>::NotNull: super::ArrayType,
    {
        super::Cardinality(self)
    }
    /// `self @> other` on JSONB (PostgreSQL): `other`'s keys and values all appear in `self`,
    /// at the same places (`docs::body.jsonb_contains(json!({"draft": false}))`).
    fn jsonb_contains<T>(
        self,
        other: T,
    ) -> super::Containment<super::JsonbContains, Self, T::Expression>
    where
        <Self::SqlType as SqlType>::NotNull: super::JsonbType,
        T: AsExpression<crate::types::Jsonb>,
    {
        super::Containment::new(self, other.into_expression())
    }
    /// `self <@ other` on JSONB (PostgreSQL): `self`'s keys and values all appear in `other`.
    fn jsonb_contained_by<T>(
        self,
        other: T,
    ) -> super::Containment<super::JsonbContainedBy, Self, T::Expression>
    where
        <Self::SqlType as SqlType>::NotNull: super::JsonbType,
        T: AsExpression<crate::types::Jsonb>,
    {
        super::Containment::new(self, other.into_expression())
    }
    /// `self ? key` on JSONB (PostgreSQL): the object has the top-level key `key`.
    fn has_key(
        self,
        key: &str,
    ) -> super::Containment<super::JsonbHasKey, Self, super::Bound<Text, String>>
    where
        <Self::SqlType as SqlType>::NotNull: super::JsonbType,
    {
        super::Containment::new(self, super::Bound::new(key.to_owned()))
    }
    /// `self ?| keys` on JSONB (PostgreSQL): the object has at least one of the top-level
    /// `keys`.
    fn has_any_key(
        self,
        keys: &[&str],
    ) -> super::Containment<
        super::JsonbHasAnyKey,
        Self,
        super::Bound<crate::types::Array<Text>, Vec<String>>,
    >
    where
        <Self::SqlType as SqlType>::NotNull: super::JsonbType,
    {
        super::Containment::new(self, super::key_array(keys))
    }
    /// `self ?& keys` on JSONB (PostgreSQL): the object has every one of the top-level `keys`.
    fn has_all_keys(
        self,
        keys: &[&str],
    ) -> super::Containment<
        super::JsonbHasAllKeys,
        Self,
        super::Bound<crate::types::Array<Text>, Vec<String>>,
    >
    where
        <Self::SqlType as SqlType>::NotNull: super::JsonbType,
    {
        super::Containment::new(self, super::key_array(keys))
    }
    /// `self OPERATOR other` for an operator philtre does not name, typed as `self`
    /// (SQLAlchemy's `.op()`): `flags.op("&", 4)`. `operator` must be symbols or words — it is
    /// checked before the statement is sent.
    fn op<T>(
        self,
        operator: &'static str,
        other: T,
    ) -> super::CustomOperator<Self, T::Expression, super::SameAsLeft>
    where
        T: AsExpression<Self::SqlType>,
    {
        super::CustomOperator::new(self, operator, other.into_expression())
    }
    /// `self OPERATOR other` for a comparison philtre does not name, a `BOOLEAN` (SQLAlchemy's
    /// `.bool_op()`): PostgreSQL's regular-expression match `users::name.bool_op("~", "^[A-Z]")`,
    /// MySQL's `bool_op("REGEXP", …)`.
    fn bool_op<T>(
        self,
        operator: &'static str,
        other: T,
    ) -> super::CustomOperator<Self, T::Expression, Bool>
    where
        T: AsExpression<Self::SqlType>,
    {
        super::CustomOperator::new(self, operator, other.into_expression())
    }
    /// The same expression typed as NOT NULL, the SQL unchanged: for what the types cannot
    /// know, such as a scalar subquery that always finds its row
    /// (`posts::user_id.eq(lookup.single_value().assume_not_null())`). A NULL that comes anyway
    /// is an error — refused by a NOT NULL column, or unreadable as a non-`Option` value.
    fn assume_not_null(self) -> super::AssumeNotNull<Self> {
        super::AssumeNotNull::new(self)
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

/// The right side of `IN`: a list of values, or a subquery.
#[diagnostic::on_unimplemented(
    message = "the right side of IN must be values of SQL type `{ST}`, or a SELECT of one such column",
    label = "expected a list of values of SQL type `{ST}`, or a SELECT of one such column",
    note = "select exactly one column, of the left side's type, in the subquery (`posts::table.select(posts::user_id)`), or give a `Vec` of values"
)]
pub trait InValues<ST: SqlType> {
    /// `e IN (self)`.
    type In<E>;
    /// `e NOT IN (self)`.
    type NotIn<E>;
    /// Builds `e IN (self)`.
    fn in_<E>(self, expr: E) -> Self::In<E>;
    /// Builds `e NOT IN (self)`.
    fn not_in<E>(self, expr: E) -> Self::NotIn<E>;
}

impl<I, ST: SqlType> InValues<ST> for I
where
    I: IntoIterator,
    I::Item: AsExpression<ST>,
{
    type In<E> = InList<op::In, E, <I::Item as AsExpression<ST>>::Expression>;
    type NotIn<E> = InList<op::NotIn, E, <I::Item as AsExpression<ST>>::Expression>;
    fn in_<E>(self, expr: E) -> Self::In<E> {
        InList::new(
            expr,
            self.into_iter()
                .map(AsExpression::into_expression)
                .collect(),
        )
    }
    fn not_in<E>(self, expr: E) -> Self::NotIn<E> {
        InList::new(
            expr,
            self.into_iter()
                .map(AsExpression::into_expression)
                .collect(),
        )
    }
}

// `x IN (query)` for each kind of query that can be a subquery; one impl per type (not a
// blanket impl over `Query`) so that they stay apart from the impl for lists of values.
// Written out rather than by a macro: a refused IN shows this impl, and a macro adds its
// invocation and a note to that error.

impl<F, S, D, W, G, H, O, L, Off, Lk, ST> InValues<ST>
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
where
    ST: SqlType,
    Self: Query,
    <Self as Query>::SqlRow: SubqueryOf<ST>,
{
    type In<E> = InSubquery<E, Self, false>;
    type NotIn<E> = InSubquery<E, Self, true>;
    fn in_<E>(self, expr: E) -> Self::In<E> {
        InSubquery::with(expr, self)
    }
    fn not_in<E>(self, expr: E) -> Self::NotIn<E> {
        InSubquery::with(expr, self)
    }
}

impl<L, R, Op, O, Lim, Off, ST> InValues<ST> for CompoundSelect<L, R, Op, O, Lim, Off>
where
    ST: SqlType,
    Self: Query,
    <Self as Query>::SqlRow: SubqueryOf<ST>,
{
    type In<E> = InSubquery<E, Self, false>;
    type NotIn<E> = InSubquery<E, Self, true>;
    fn in_<E>(self, expr: E) -> Self::In<E> {
        InSubquery::with(expr, self)
    }
    fn not_in<E>(self, expr: E) -> Self::NotIn<E> {
        InSubquery::with(expr, self)
    }
}
