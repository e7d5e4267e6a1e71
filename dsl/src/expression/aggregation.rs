//! Whether an expression aggregates, as a type: the rules of GROUP BY, checked by the compiler.
//!
//! Every expression, seen in a query's scope, has an [`Aggregation`] state `Agg<A, W>`: `A` says
//! whether it uses ungrouped columns ([`Plain`]), only aggregates of them ([`Aggregate`]), or
//! neither ([`Constant`]: literals, bound values, grouped columns); `W` whether it holds a
//! window function. Combining [`Plain`] with [`Aggregate`] gives [`Mixed`], which no select list
//! accepts: `SELECT users.name, count(*) FROM users` does not compile.

use std::marker::PhantomData;

/// Uses a column that is neither grouped nor inside an aggregate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Plain;
/// Uses columns only inside aggregate functions.
#[derive(Debug, Clone, Copy, Default)]
pub struct Aggregate;
/// Uses no ungrouped column: a literal, a bound value, a grouped column.
#[derive(Debug, Clone, Copy, Default)]
pub struct Constant;
/// Uses an ungrouped column and an aggregate together: invalid in any select list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mixed;
/// An aggregate over an aggregate or a window function (`max(count(x))`): invalid everywhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nested;
/// Holds no window function.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoWindow;
/// Holds a window function (`… OVER (…)`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Window;
/// Holds a window function without its `.over(..)`: refused by every select list.
#[derive(Debug, Clone, Copy, Default)]
pub struct BareWindow;

/// The aggregation state of an expression: `A` is [`Plain`], [`Aggregate`], [`Constant`] or
/// [`Mixed`]; `W` is [`NoWindow`] or [`Window`].
pub struct Agg<A, W>(PhantomData<(A, W)>);

/// The state of a column outside GROUP BY.
pub type PlainColumn = Agg<Plain, NoWindow>;
/// The state of a literal, a bound value or a grouped column.
pub type ConstantValue = Agg<Constant, NoWindow>;

/// An aggregation state, combinable with another.
pub trait Aggregation {
    /// The state of an expression built from both.
    type And<Other: Aggregation>: Aggregation;
    /// The state after wrapping in an aggregate function.
    type Aggregated: Aggregation;
    /// The state after wrapping in a window function.
    type Windowed: Aggregation;
    /// The `A` part.
    type Kind: AggregateKind;
    /// The `W` part.
    type HasWindow: WindowKind;
}

/// The `A` part of [`Agg`].
pub trait AggregateKind {
    /// Combines two kinds.
    type And<Other: AggregateKind>: AggregateKind;
    /// `Plain` + `Aggregate` = `Mixed`: the right side's view of the combination.
    type WithPlain: AggregateKind;
    /// The left side combined with `Aggregate`.
    type WithAggregate: AggregateKind;
    /// The left side combined with `Mixed`.
    type WithMixed: AggregateKind;
    /// The kind after wrapping in an aggregate function: [`Nested`] when it already aggregates.
    type Aggregated: AggregateKind;
}

impl AggregateKind for Constant {
    type And<Other: AggregateKind> = Other;
    type WithPlain = Plain;
    type WithAggregate = Aggregate;
    type Aggregated = Aggregate;
    type WithMixed = Mixed;
}
impl AggregateKind for Plain {
    type And<Other: AggregateKind> = Other::WithPlain;
    type WithPlain = Plain;
    type WithAggregate = Mixed;
    type Aggregated = Aggregate;
    type WithMixed = Mixed;
}
impl AggregateKind for Aggregate {
    type And<Other: AggregateKind> = Other::WithAggregate;
    type WithPlain = Mixed;
    type WithAggregate = Aggregate;
    type Aggregated = Nested;
    type WithMixed = Mixed;
}
impl AggregateKind for Mixed {
    type And<Other: AggregateKind> = Other::WithMixed;
    type WithPlain = Mixed;
    type WithAggregate = Mixed;
    type Aggregated = Nested;
    type WithMixed = Mixed;
}
impl AggregateKind for Nested {
    type And<Other: AggregateKind> = Nested;
    type WithPlain = Nested;
    type WithAggregate = Nested;
    type Aggregated = Nested;
    type WithMixed = Nested;
}

/// The `W` part of [`Agg`].
pub trait WindowKind {
    /// Either holds a window function.
    type Or<Other: WindowKind>: WindowKind;
    /// `Window` or this one, whichever says more ([`BareWindow`] wins).
    type OrWindow: WindowKind;
    /// The kind of an aggregate over an expression of kind `A` (a window function inside an
    /// aggregate is [`Nested`]).
    type Aggregated<A: AggregateKind>: AggregateKind;
}
impl WindowKind for NoWindow {
    type Or<Other: WindowKind> = Other;
    type OrWindow = Window;
    type Aggregated<A: AggregateKind> = A::Aggregated;
}
impl WindowKind for Window {
    type Or<Other: WindowKind> = Other::OrWindow;
    type OrWindow = Window;
    type Aggregated<A: AggregateKind> = Nested;
}
impl WindowKind for BareWindow {
    type Or<Other: WindowKind> = BareWindow;
    type OrWindow = BareWindow;
    type Aggregated<A: AggregateKind> = A::Aggregated;
}

impl<A: AggregateKind, W: WindowKind> Aggregation for Agg<A, W> {
    type And<Other: Aggregation> = Agg<A::And<Other::Kind>, W::Or<Other::HasWindow>>;
    type Aggregated = Agg<W::Aggregated<A>, W>;
    type Windowed = Agg<A, Window>;
    type Kind = A;
    type HasWindow = W;
}

/// Rule: a select list (or HAVING, or ORDER BY of a grouped query) does not mix aggregates with
/// columns that are not grouped.
#[diagnostic::on_unimplemented(
    message = "this select list mixes aggregate functions with columns that are not in GROUP BY",
    label = "an aggregate next to an ungrouped column",
    note = "add `.group_by(..)` with the plain columns, or wrap them in an aggregate such as `max(..)`"
)]
pub trait ValidSelectList {}
#[diagnostic::do_not_recommend]
impl<W> ValidSelectList for Agg<Plain, W> {}
#[diagnostic::do_not_recommend]
impl<W> ValidSelectList for Agg<Aggregate, W> {}
#[diagnostic::do_not_recommend]
impl<W> ValidSelectList for Agg<Constant, W> {}
// Refused by `NoNestedAggregate`, with its own message, and by that rule alone.
#[diagnostic::do_not_recommend]
impl<W> ValidSelectList for Agg<Nested, W> {}

/// Rule: a window function is used with its window, `.over(..)`.
#[diagnostic::on_unimplemented(
    message = "a window function needs its window: add `.over(window())` (with `.partition_by(..)` / `.order_by(..)` as needed)",
    label = "a window function without `.over(..)`",
    note = "`row_number().over(window().order_by(users::name))`; an aggregate such as `sum(x)` can be a window function the same way"
)]
pub trait NoBareWindow {}
#[diagnostic::do_not_recommend]
impl<A> NoBareWindow for Agg<A, NoWindow> {}
#[diagnostic::do_not_recommend]
impl<A> NoBareWindow for Agg<A, Window> {}

/// Rule: an aggregate function's argument holds no aggregate or window function
/// (`max(count(x))`; every database refuses it).
#[diagnostic::on_unimplemented(
    message = "an aggregate function cannot take another aggregate or a window function as its argument",
    label = "an aggregate of an aggregate",
    note = "aggregate in a derived table or CTE first, then aggregate its column: `max(per_user::n)` over `select((user_id, count(id))).into_table(per_user::table)`"
)]
pub trait NoNestedAggregate {}
#[diagnostic::do_not_recommend]
impl<W> NoNestedAggregate for Agg<Plain, W> {}
#[diagnostic::do_not_recommend]
impl<W> NoNestedAggregate for Agg<Aggregate, W> {}
#[diagnostic::do_not_recommend]
impl<W> NoNestedAggregate for Agg<Constant, W> {}
#[diagnostic::do_not_recommend]
impl<W> NoNestedAggregate for Agg<Mixed, W> {}

/// Rule: WHERE holds neither aggregate nor window functions.
#[diagnostic::on_unimplemented(
    message = "aggregate and window functions are not allowed in WHERE",
    label = "this condition uses an aggregate or window function",
    note = "WHERE filters rows before grouping: filter groups with `.having(..)`, or window results in an outer query"
)]
pub trait ValidInWhere {}
#[diagnostic::do_not_recommend]
impl ValidInWhere for Agg<Plain, NoWindow> {}
#[diagnostic::do_not_recommend]
impl ValidInWhere for Agg<Constant, NoWindow> {}
