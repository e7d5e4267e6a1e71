//! SQL expressions: columns, bound values, operators and functions, each a Rust type.
//!
//! An expression's SQL type is [`Expression::SqlType`]. Where it may appear is checked by
//! [`AppearsIn`]: a column only in a query whose FROM clause holds its table.

mod aggregate;
mod aggregate_filter;
mod aggregation;
mod array_functions;
mod bound;
mod case;
mod collect;
mod constant;
mod containment;
mod conversion;
mod custom_operator;
mod date_arithmetic;
mod date_difference;
mod date_time;
mod functions;
pub(crate) use functions::call_fragment;
pub(crate) mod inline;
mod interval_arithmetic;
mod json_access;
mod math;
mod methods;
mod nullable;
mod operators;
mod ordering;
mod promotion;
mod row_value;
mod sql_literal;
mod sql_pieces;
mod text_match;
mod window;

pub use aggregate::{
    AggregateCall, AggregateName, Avg, Count, CountDistinct, CountStar, Max, Min, Sum,
    SummableType, aggregate_fn, avg, count, count_distinct, count_star, max, min, sum,
};
pub use aggregate_filter::FilteredAggregate;
pub use aggregation::{
    Agg, Aggregate, AggregateKind, Aggregation, BareWindow, Constant, ConstantValue, Mixed, Nested,
    NoBareWindow, NoNestedAggregate, NoWindow, Plain, PlainColumn, ValidInWhere, ValidSelectList,
    Window, WindowKind,
};
pub use array_functions::{ArraySlice, Unnest, unnest};
pub use bound::Bound;
pub use case::{Case, CaseBranches, Else, IntoExpression, NoElse, When, WriteBranches, case_when};
pub use collect::{
    AggregateOrder, ArrayAgg, OrderKeysIn, OrderedBy, Percentile, StringAgg, Unordered, array_agg,
    percentile_cont, percentile_disc, string_agg,
};
pub use constant::{LiteralType, lit};
use containment::key_array;
pub use containment::{
    ArrayContainedBy, ArrayContains, ArrayElement, ArrayOverlaps, ArrayQuantified,
    ArrayQuantifiedOperand, ArrayType, Cardinality, Containment, ContainmentOperator, HasOperator,
    JsonbContainedBy, JsonbContains, JsonbHasAllKeys, JsonbHasAnyKey, JsonbHasKey, JsonbType,
    WritesOperator, array_all, array_any,
};
pub use conversion::{Cast, Coalesce, DistinctFrom, NullIf, cast, coalesce, nullif};
pub use custom_operator::{CustomOperator, CustomResult, SameAsLeft};
pub use date_arithmetic::{DateAdd, IntervalUnit, ShiftsBy, date_add};
pub use date_difference::{DifferenceOperand, Elapsed, days_between, seconds_between};
pub use date_time::{
    CurrentDate, CurrentTime, DatePart, DateTrunc, Extract, HasDatePart, HasTimePart, Now,
    TruncatesTo, TruncationUnit, current_date, current_time, current_timestamp, date_part,
    date_trunc, day, hour, minute, month, now, second, year,
};
pub use functions::{
    AggregateFn, Func, Length, Pad, Position, Roundable, Scalar, SqlFunction, abs, builtin,
    char_length, length, lower, lpad, position, replace, round, rpad, substr, trim, upper,
};
pub use inline::LiteralValue;
pub use interval_arithmetic::{IntervalBetween, IntervalOperand, IntervalShift, interval_between};
pub use json_access::{JsonGet, JsonKey, JsonStep, JsonType, JsonValue};
pub use math::{
    Extreme, MathCall, MathOperand, MathResult, MathResultType, Random, RoundTo, Sign,
    UnpromotedRoute, ceil, exp, floor, greatest, least, ln, math_fn, power, random, round_to, sign,
    sqrt,
};
pub use methods::{ExpressionMethods, InValues, not};
pub use nullable::{AsNullable, AssumeNotNull};
pub use operators::op as operators_op;
pub use operators::{
    Add, And, ArithmeticRhs, Between, Binary, BinaryOperator, Concat, Div, Eq, Ge, Gt, ILike,
    InList, InOperator, IsNotNull, IsNull, Le, Like, Lt, Mul, Ne, Negated, Not, NotLike,
    NullableIfEither, OperatorResult, Or, Postfix, PostfixOperator, Rem, Sub,
};
pub use ordering::OrderKey;
pub use ordering::{Asc, Desc, Directed, NullsPlaced, OrderTerm};
pub use promotion::{
    Comparand, NumericOperand, OtherNumericType, PromotedOperand, PromotedRoute, PromotesWith,
    SameSqlTypeRoute,
};
pub use row_value::{
    Parenthesized, Row, RowComparison, RowExpressions, RowInList, RowInValues, RowOperator,
    SameRowTypes, TupleOfRow, row, row_op,
};
pub use sql_literal::{SqlLiteral, sql};
pub use text_match::{Collate, Escaped, Lowered, TextValue};
pub use window::{
    FrameBound, Over, OverDsl, PartitionBy, RowOffset, Shifted, WindowFn, WindowFunction,
    WindowFunctionName, WindowOrderBy, WindowPart, WindowSpec, cume_dist, dense_rank, first_value,
    lag, last_value, lead, nth_value, ntile, percent_rank, rank, row_number, window, window_fn,
};

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::types::SqlType;

/// A typed SQL expression.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an SQL expression",
    label = "a column, or an expression built from columns and values, goes here",
    note = "name a column (`users::name`), build on one (`users::score.gt(3)`), or wrap a value: `lit(value)`; raw SQL is `sql::<SqlType>(\"…\")`"
)]
pub trait Expression {
    /// The SQL type of the value this expression computes.
    type SqlType: SqlType;
}

/// Renders a piece of a statement for backend `DB`: its SQL text and its bind values.
///
/// Rendering walks the tree twice, once per purpose, so that SQL text can be cached per
/// query type while bind values are read fresh each run.
pub trait QueryFragment<DB: Backend> {
    /// Writes this fragment's SQL.
    fn to_sql(&self, out: &mut SqlWriter<DB>);

    /// Hands this fragment's bind values to `out`, in placeholder order.
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;

    /// Whether the SQL text depends only on the Rust type of the fragment, never on values.
    ///
    /// When true for a whole statement, its SQL is rendered once per connection and cached
    /// by type. An `IN` list of run-time length, a raw SQL string or a set of optional
    /// changes answers false.
    fn has_static_sql(&self) -> bool;

    /// For SQL that depends on values only through counts (the rows of a multi-row INSERT,
    /// the items of an `IN` list): feeds those counts to `shape` and returns true, so the SQL
    /// can be cached by the statement's type and shape. Returns false when the SQL depends on
    /// values in any other way. Fragments with static SQL need not override it.
    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        let _ = shape;
        self.has_static_sql()
    }

    /// Whether the SQL this writes is a condition (a comparison, `AND`, `NOT`, `EXISTS`,
    /// `IN`, `LIKE`, `IS NULL` …) — `Some(true)` — or a value — `Some(false)`, the default.
    /// Where the two differ ([`Backend::BOOLEAN_CONDITIONS_ARE_VALUES`]: Oracle, SQL Server) a
    /// condition used as a value is written as one ([`write_value`]) and a value used as a
    /// condition compared with 1 ([`write_condition`]). `None` for SQL philtre did not write
    /// (raw [`sql`]), which is left as it is.
    fn condition_form(&self) -> Option<bool> {
        Some(false)
    }
}

/// Writes `expression` where SQL wants a condition (WHERE, HAVING, ON, CASE WHEN, the sides
/// of AND / OR): on a backend whose conditions are not values, a boolean value becomes
/// `(value = 1)`.
pub fn write_condition<DB: Backend, E: QueryFragment<DB> + ?Sized>(
    expression: &E,
    out: &mut SqlWriter<DB>,
) {
    if DB::BOOLEAN_CONDITIONS_ARE_VALUES || expression.condition_form() != Some(false) {
        expression.to_sql(out);
    } else {
        out.push_sql("(");
        expression.to_sql(out);
        out.push_sql(" = 1)");
    }
}

/// Writes `expression` where SQL wants a value (a select list, SET, VALUES, a list of keys):
/// on a backend whose conditions are not values, a condition becomes `CASE WHEN condition
/// THEN 1 ELSE 0 END` — 0 also where the condition is unknown (NULL), as the backend's
/// boolean columns hold only 1 and 0.
pub fn write_value<DB: Backend, E: QueryFragment<DB> + ?Sized>(
    expression: &E,
    out: &mut SqlWriter<DB>,
) {
    if DB::BOOLEAN_CONDITIONS_ARE_VALUES || expression.condition_form() != Some(true) {
        expression.to_sql(out);
    } else {
        out.push_sql("CASE WHEN ");
        expression.to_sql(out);
        out.push_sql(" THEN 1 ELSE 0 END");
    }
}

/// The counts that, with a statement's type, determine its SQL (see
/// [`QueryFragment::sql_shape`]), folded into one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SqlShape(u64);

impl SqlShape {
    /// The shape of a statement with no counts yet.
    pub fn new() -> Self {
        SqlShape(0xcbf2_9ce4_8422_2325)
    }

    /// Adds a count.
    pub fn push(&mut self, count: usize) {
        // FNV-1a over the count's bytes: order-sensitive and cheap.
        for byte in (count as u64).to_le_bytes() {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// The folded value.
    pub fn value(&self) -> u64 {
        self.0
    }
}

impl Default for SqlShape {
    fn default() -> Self {
        SqlShape::new()
    }
}

impl<DB: Backend, T: QueryFragment<DB> + ?Sized> QueryFragment<DB> for &T {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        (**self).to_sql(out)
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        (**self).collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        (**self).has_static_sql()
    }
    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        (**self).sql_shape(shape)
    }
    fn condition_form(&self) -> Option<bool> {
        (**self).condition_form()
    }
}

impl<DB: Backend> QueryFragment<DB> for () {
    fn to_sql(&self, _: &mut SqlWriter<DB>) {}
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

/// The empty argument list of a function without arguments: a constant, valid anywhere.
impl<QS> AppearsIn<QS, ()> for () {
    type Nullability = crate::types::NotNullable;
    type Aggregation = ConstantValue;
    type SqlRow = ();
}

/// Rule: every column an expression uses must come from a table in the query's FROM clause.
///
/// `Scope` is the query's FROM clause as a type-level list and its GROUP BY keys
/// ([`crate::query::Scope`]); `Index` is inferred by the compiler and says where in that list
/// each column's table sits. Nobody writes it.
#[diagnostic::on_unimplemented(
    message = "this expression uses a column whose table is not in the FROM clause of this query",
    label = "its table is not in FROM",
    note = "select from that table, or join it, before using its columns (a subquery reaches the enclosing query's tables through `.correlate(table)`)"
)]
pub trait AppearsIn<Scope, Index> {
    /// [`IsNullable`](crate::types::IsNullable) when an outer join can make the expression
    /// NULL although its SQL type is not nullable.
    type Nullability: crate::types::Nullability;
    /// Whether it aggregates, uses ungrouped columns, or holds a window function.
    type Aggregation: Aggregation;
    /// The SQL type of its value as this scope sees it: as a select item, its row type
    /// (usually [`Seen`]).
    type SqlRow;
}

/// Rule: a Rust string stands for a value, never for a column's name or a piece of SQL.
#[diagnostic::on_unimplemented(
    message = "a Rust string is not a column: name the column itself (`users::name`), not its name as text",
    label = "a string where a column or expression goes",
    note = "for a text value write `lit(\"…\")`; for raw SQL, `sql::<SqlType>(\"…\")`"
)]
pub trait StringIsNotAColumn {}

/// A Rust string `S` found where a column or expression goes: what [`StringIsNotAColumn`] is
/// checked on (and never holds for). Checking it on this wrapper rather than on the string
/// itself makes the compiler print the rule's own message, and print it once for all the
/// bounds of a call that a string fails.
#[derive(Debug)]
pub struct RustString<S>(std::marker::PhantomData<S>);

// A string where an expression goes (a WHERE condition, a GROUP BY or ORDER BY key) fails on
// the rule above, and only there: every bound of the call that needs an expression meets the
// same unmet bound at the same place, which the compiler reports once (`.order(..)` twice: it
// also reads the key's aggregation state outside its bound). The SQL type is `Bool` so that a
// condition's own type check does not add a second error.
impl Expression for &str
where
    RustString<Self>: StringIsNotAColumn,
{
    type SqlType = crate::types::Bool;
}

// A string in a select list, GROUP BY or ORDER BY reports the rule above, not "a column whose
// table is not in the FROM clause".
impl<FL, G: crate::query::CheckedGrouping> AppearsIn<crate::query::Scope<FL, G>, ()> for &str
where
    RustString<Self>: StringIsNotAColumn,
{
    type Nullability = crate::types::NotNullable;
    type Aggregation = ConstantValue;
    type SqlRow = crate::types::Text;
}

// Where the row type of a select list that was already checked (and refused) is computed: no
// second report of the same string.
#[diagnostic::do_not_recommend]
impl<FL> AppearsIn<crate::query::Scope<FL, crate::query::UngroupedRows>, ()> for &str {
    type Nullability = crate::types::NotNullable;
    type Aggregation = ConstantValue;
    type SqlRow = crate::types::Text;
}

#[diagnostic::do_not_recommend]
impl<FL, Kind> AppearsIn<crate::query::Scope<FL, crate::query::GroupedRows<Kind>>, ()> for &str {
    type Nullability = crate::types::NotNullable;
    type Aggregation = ConstantValue;
    type SqlRow = crate::types::Text;
}

// A string never gets into a statement that compiles (`AppearsIn` above refuses it); this impl
// only spares the user a second error ("`str: QueryFragment` is not satisfied") at `.load(..)`
// after the first. Should some future API take a bare fragment, running it fails instead of
// sending SQL without the string.
impl<DB: Backend> QueryFragment<DB> for str {
    fn to_sql(&self, _out: &mut SqlWriter<DB>) {}

    fn collect_binds<'a>(&'a self, _out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Err(crate::error::Error::new(
            crate::error::ErrorKind::InvalidQuery,
            "a Rust string is not SQL: name a column, wrap a value in `lit(..)`, or write `sql::<SqlType>(..)`",
        ))
    }

    fn has_static_sql(&self) -> bool {
        false
    }
}

/// SQL type `ST` as a scope sees it: made nullable when `N` is
/// [`IsNullable`](crate::types::IsNullable) (an outer join can NULL-extend it).
pub type Seen<N, ST> = <<N as crate::types::Nullability>::Or<<ST as SqlType>::Nullability> as crate::types::Nullability>::Apply<ST>;

/// Implements [`AppearsIn`] for an expression computed from one argument expression `$arg`
/// (a function of it, a cast): it is where its argument is, nullable when its argument is.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_wrapper_appears_in {
    ([$($g:tt)*] $ty:ty, $arg:ident) => {
        impl<__QS, __I, $($g)*> $crate::expression::AppearsIn<__QS, __I> for $ty
        where
            $arg: $crate::expression::AppearsIn<__QS, __I>,
            Self: $crate::expression::Expression,
        {
            type Nullability = <$arg as $crate::expression::AppearsIn<__QS, __I>>::Nullability;
            type Aggregation = <$arg as $crate::expression::AppearsIn<__QS, __I>>::Aggregation;
            type SqlRow = $crate::expression::Seen<
                Self::Nullability,
                <Self as $crate::expression::Expression>::SqlType,
            >;
        }
    };
}

/// Implements [`AppearsIn`] for an expression that holds no column: a literal, a bound value.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_constant_appears_in {
    ([$($g:tt)*] $ty:ty) => {
        impl<__QS, $($g)*> $crate::expression::AppearsIn<__QS, ()> for $ty
where
    Self: $crate::expression::Expression,
{
            type Nullability = $crate::types::NotNullable;
            type Aggregation = $crate::expression::ConstantValue;
            type SqlRow = $crate::expression::Seen<<Self as $crate::expression::AppearsIn<__QS, ()>>::Nullability, <Self as $crate::expression::Expression>::SqlType>;
        }
    };
}

/// Converts a Rust value or an expression into an expression of SQL type `ST`.
///
/// `users::id.eq(5)` accepts `5` because `i32: AsExpression<Integer>`; it accepts
/// `posts::user_id` because that column's SQL type is `Integer` too.
#[diagnostic::on_unimplemented(
    message = "the SQL types do not match: expected a value of SQL type `{ST}`, found `{Self}`",
    label = "expected SQL type `{ST}`",
    note = "both sides of a comparison or an assignment must have the same SQL type"
)]
pub trait AsExpression<ST: SqlType> {
    /// The expression it becomes.
    type Expression: Expression;
    /// Converts.
    fn into_expression(self) -> Self::Expression;
}

/// Implements `AsExpression` for an expression type: it stands for itself wherever its SQL
/// type is expected. (One impl per type rather than a blanket impl, so that a Rust value of the
/// wrong type fails with one error instead of a cascade.)
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_as_expression {
    ([$($g:tt)*] $ty:ty) => {
        $crate::__impl_as_expression!(@column [$($g)*] $ty);
        // As a GROUP BY key it is computed, not a column (see `query::KeyIdentity`).
        impl<$($g)*> $crate::query::KeyIdentity for $ty {
            type Id = $crate::query::NotAColumn;
        }
    };
    // For a column type, whose key identity is its own.
    (@column [$($g:tt)*] $ty:ty) => {
        #[diagnostic::do_not_recommend]
        impl<__ST, $($g)*> $crate::expression::AsExpression<__ST> for $ty
        where
            $ty: $crate::expression::Expression,
            __ST: $crate::types::SqlType,
            <<$ty as $crate::expression::Expression>::SqlType as $crate::types::SqlType>::NotNull:
                $crate::expression::SameSqlType<<__ST as $crate::types::SqlType>::NotNull>,
        {
            type Expression = Self;
            fn into_expression(self) -> Self {
                self
            }
        }
        $crate::__impl_numeric_operand!([$($g)*] $ty);
    };
}

/// Rule: two expressions compared or assigned to each other have the same SQL type, apart from
/// nullability (a nullable column compares with a non-null one; assigning a nullable value to a
/// NOT NULL column is refused by [`crate::query::FitsColumn`]).
#[diagnostic::on_unimplemented(
    message = "the SQL types do not match: expected `{ST}`, found `{Self}`",
    label = "expected an expression of SQL type `{ST}`",
    note = "both sides of a comparison or an assignment must have the same SQL type"
)]
pub trait SameSqlType<ST> {}
impl<ST: SqlType> SameSqlType<ST> for ST {}
