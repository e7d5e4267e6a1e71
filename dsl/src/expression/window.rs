//! Window functions: `row_number`, `rank`, `dense_rank`, `lag`, `lead`, `first_value`, and any
//! aggregate, each computed `OVER (PARTITION BY … ORDER BY … frame)`.
//!
//! A window function is only an expression once `.over(..)` gives it its window. Its
//! arguments, partition keys and order keys are checked in the select list's own scope (in a
//! grouped query they must be grouped or aggregated, as for any select item); the result is
//! marked [`Window`](super::Window), which WHERE refuses.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::types::{self, BigInt, Double, Integer, Nullable, SqlType};

use super::aggregate::{AggregateCall, CountStar};
use super::{Aggregation, AppearsIn, ConstantValue, Expression, QueryFragment, Seen};
use crate::query::{CheckedGrouping, GroupedRows, Scope, UngroupedRows};

/// A window function before `.over(..)`: function `Name` of arguments `Args`, of SQL type `ST`.
#[derive(Debug, Clone, Copy)]
#[must_use = "a window function needs `.over(window())` before it can be used"]
pub struct WindowFn<Name, Args, ST> {
    args: Args,
    _f: PhantomData<(Name, ST)>,
}

/// Window function markers: their SQL names.
pub mod window_fn {
    macro_rules! names {
        ($($(#[$doc:meta])* $name:ident = $sql:literal;)*) => {$(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, Default)]
            pub struct $name;
            impl super::WindowFunctionName for $name {
                const NAME: &'static str = $sql;
            }
        )*};
    }
    names! {
        /// `row_number()`
        RowNumber = "row_number";
        /// `rank()`
        Rank = "rank";
        /// `dense_rank()`
        DenseRank = "dense_rank";
        /// `lag(x, n)`
        Lag = "lag";
        /// `lead(x, n)`
        Lead = "lead";
        /// `first_value(x)`
        FirstValue = "first_value";
        /// `last_value(x)`
        LastValue = "last_value";
        /// `percent_rank()`
        PercentRank = "percent_rank";
        /// `cume_dist()`
        CumeDist = "cume_dist";
        /// `ntile(n)`
        Ntile = "ntile";
        /// `nth_value(x, n)`
        NthValue = "nth_value";
    }
}

/// The SQL name of a window function.
pub trait WindowFunctionName {
    /// The name as written in SQL.
    const NAME: &'static str;
}

fn window_fn<Name, Args, ST>(args: Args) -> WindowFn<Name, Args, ST> {
    WindowFn {
        args,
        _f: PhantomData,
    }
}

/// `row_number()`: 1, 2, 3, … within each partition, in window order.
pub fn row_number() -> WindowFn<window_fn::RowNumber, (), BigInt> {
    window_fn(())
}

/// `rank()`: the row's rank in window order, with gaps after ties.
pub fn rank() -> WindowFn<window_fn::Rank, (), BigInt> {
    window_fn(())
}

/// `dense_rank()`: the row's rank in window order, without gaps.
pub fn dense_rank() -> WindowFn<window_fn::DenseRank, (), BigInt> {
    window_fn(())
}

/// The SQL type of `lag`/`lead` of an expression of type `ST`: NULL where no such row exists.
pub type Shifted<ST> = Nullable<<ST as SqlType>::NotNull>;

/// `lag(expr, offset)`: `expr` of the row `offset` rows before this one in the window, NULL if
/// there is none.
pub fn lag<E: Expression>(
    expr: E,
    offset: u32,
) -> WindowFn<window_fn::Lag, (E, RowOffset), Shifted<E::SqlType>> {
    window_fn((expr, RowOffset(offset)))
}

/// `lead(expr, offset)`: `expr` of the row `offset` rows after this one in the window, NULL if
/// there is none.
pub fn lead<E: Expression>(
    expr: E,
    offset: u32,
) -> WindowFn<window_fn::Lead, (E, RowOffset), Shifted<E::SqlType>> {
    window_fn((expr, RowOffset(offset)))
}

/// `first_value(expr)`: `expr` of the first row of the window frame.
pub fn first_value<E: Expression>(expr: E) -> WindowFn<window_fn::FirstValue, (E,), E::SqlType> {
    window_fn((expr,))
}

/// `last_value(expr)`: `expr` of the last row of the window frame. With an ORDER BY and the
/// default frame that is the current row (or its last peer): give the window
/// `.rows_between(FrameBound::UnboundedPreceding, FrameBound::UnboundedFollowing)` for the
/// partition's last row.
pub fn last_value<E: Expression>(expr: E) -> WindowFn<window_fn::LastValue, (E,), E::SqlType> {
    window_fn((expr,))
}

/// `nth_value(expr, n)`: `expr` of the `n`th row (from 1) of the window frame, NULL while the
/// frame has fewer rows. As with [`last_value`], the default frame with an ORDER BY ends at the
/// current row.
pub fn nth_value<E: Expression>(
    expr: E,
    n: u32,
) -> WindowFn<window_fn::NthValue, (E, RowOffset), Shifted<E::SqlType>> {
    window_fn((expr, RowOffset(n)))
}

/// `percent_rank()`: `(rank - 1) / (rows in the partition - 1)`, a `Double` from 0 to 1.
pub fn percent_rank() -> WindowFn<window_fn::PercentRank, (), Double> {
    window_fn(())
}

/// `cume_dist()`: the fraction of the partition's rows up to and including this row's peers,
/// a `Double` above 0 and at most 1.
pub fn cume_dist() -> WindowFn<window_fn::CumeDist, (), Double> {
    window_fn(())
}

/// `ntile(buckets)`: which of `buckets` nearly equal groups, numbered from 1, the row falls in,
/// in window order (quartiles: `ntile(4)`). An `Integer`.
pub fn ntile(buckets: u32) -> WindowFn<window_fn::Ntile, RowOffset, Integer> {
    window_fn(RowOffset(buckets))
}

/// The row offset of `lag`/`lead`, written into the SQL as a number (MySQL accepts no
/// placeholder there).
#[derive(Debug, Clone, Copy)]
pub struct RowOffset(u32);

impl<DB: Backend> QueryFragment<DB> for RowOffset {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(&self.0.to_string());
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        false
    }
}

// Without `.over(..)` a window function still has a type and a place, so that the select list's
// `NoBareWindow` rule is the one error its mistake gets.
impl<Name, Args, ST: SqlType, QS> super::AppearsIn<QS, ()> for WindowFn<Name, Args, ST> {
    type Nullability = crate::types::NotNullable;
    type Aggregation = super::Agg<super::Constant, super::BareWindow>;
    type SqlRow = ST;
}

impl<Name: WindowFunctionName, Args: QueryFragment<DB>, ST, DB: Backend> QueryFragment<DB>
    for WindowFn<Name, Args, ST>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        super::functions::write_call(Name::NAME, &self.args, out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if !DB::NTH_VALUE && Name::NAME == window_fn::NthValue::NAME {
            return Err(crate::error::Error::new(
                crate::error::ErrorKind::InvalidQuery,
                format!(
                    "{} has no nth_value window function: number the rows with row_number() in a subquery and pick the nth",
                    DB::NAME
                ),
            ));
        }
        self.args.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.args.has_static_sql()
    }
}

/// A part of a windowed call (its arguments, partition keys, order keys) as seen in a scope:
/// whether an outer join can NULL it and how it aggregates.
pub trait WindowPart<Scope, Index> {
    /// [`IsNullable`](types::IsNullable) when an outer join can make it NULL.
    type Nullability: types::Nullability;
    /// Its aggregation state.
    type Aggregation: Aggregation;
}

impl<QS> WindowPart<QS, ()> for () {
    type Nullability = types::NotNullable;
    type Aggregation = ConstantValue;
}

/// `ntile`'s bucket count: a number written into the SQL.
impl<QS> WindowPart<QS, ()> for RowOffset {
    type Nullability = types::NotNullable;
    type Aggregation = ConstantValue;
}

impl<QS, I, A: AppearsIn<QS, I>> WindowPart<QS, I> for (A,) {
    type Nullability = A::Nullability;
    type Aggregation = A::Aggregation;
}

impl<QS, I, A: AppearsIn<QS, I>> WindowPart<QS, I> for (A, RowOffset) {
    type Nullability = A::Nullability;
    type Aggregation = A::Aggregation;
}

impl<Name, Args: WindowPart<QS, I>, ST, QS, I> WindowPart<QS, I> for WindowFn<Name, Args, ST> {
    type Nullability = Args::Nullability;
    type Aggregation = Args::Aggregation;
}

// As a window function, an aggregate's argument is read in the select list's scope: the
// window runs after grouping.
impl<F, E: AppearsIn<QS, I>, ST, QS, I, const D: bool> WindowPart<QS, I>
    for AggregateCall<F, E, ST, D>
{
    type Nullability = types::NotNullable;
    type Aggregation = E::Aggregation;
}

impl<QS> WindowPart<QS, ()> for CountStar {
    type Nullability = types::NotNullable;
    type Aggregation = ConstantValue;
}

/// A function that can be computed over a window: the result type of `f OVER (…)`.
pub trait WindowFunction {
    /// The SQL type of its value.
    type SqlType: SqlType;
}

impl<Name, Args, ST: SqlType> WindowFunction for WindowFn<Name, Args, ST> {
    type SqlType = ST;
}

impl<F, E, ST: SqlType, const D: bool> WindowFunction for AggregateCall<F, E, ST, D> {
    type SqlType = ST;
}

impl WindowFunction for CountStar {
    type SqlType = BigInt;
}

/// `OVER`, on window functions and aggregates.
pub trait OverDsl: WindowFunction + Sized {
    /// `self OVER (window)`: computes the function over the rows of `window` instead of
    /// collapsing them.
    fn over<P, O>(self, window: WindowSpec<P, O>) -> Over<Self, P, O> {
        Over {
            function: self,
            window,
        }
    }
}

impl<F: WindowFunction> OverDsl for F {}

/// `function OVER (window)`.
#[derive(Debug, Clone, Copy)]
pub struct Over<F, P, O> {
    function: F,
    window: WindowSpec<P, O>,
}

impl<F: WindowFunction, P, O> Expression for Over<F, P, O> {
    type SqlType = F::SqlType;
}

impl<F, P, O, FL, G, IF, IP, IO> AppearsIn<Scope<FL, G>, (IF, IP, IO)> for Over<F, P, O>
where
    G: CheckedGrouping,
    F: WindowFunction + WindowPart<Scope<FL, G>, IF>,
    P: WindowPart<Scope<FL, G>, IP>,
    O: WindowPart<Scope<FL, G>, IO>,
{
    type Nullability = F::Nullability;
    type Aggregation = <<F::Aggregation as Aggregation>::And<
        <P::Aggregation as Aggregation>::And<O::Aggregation>,
    > as Aggregation>::Windowed;
    type SqlRow = Seen<F::Nullability, F::SqlType>;
}

// Where the row type of a select list that was already checked is computed, the window's
// PARTITION BY and ORDER BY keys do not count (the row type is the function's): a key of a
// table not in FROM is reported once, at `.select(..)`, and not again at `.load(..)`.
macro_rules! over_in_row_scope {
    ($([$($g:tt)*] $grouping:ty),+) => {$(
        impl<F, P, O, FL, IF, IP, IO, $($g)*> AppearsIn<Scope<FL, $grouping>, (IF, IP, IO)>
            for Over<F, P, O>
        where
            F: WindowFunction + WindowPart<Scope<FL, $grouping>, IF>,
        {
            type Nullability = F::Nullability;
            type Aggregation = <F::Aggregation as Aggregation>::Windowed;
            type SqlRow = Seen<F::Nullability, F::SqlType>;
        }
    )+};
}
over_in_row_scope!([] UngroupedRows, [Kind] GroupedRows<Kind>);

impl<F: QueryFragment<DB>, P: QueryFragment<DB>, O: QueryFragment<DB>, DB: Backend>
    QueryFragment<DB> for Over<F, P, O>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.function.to_sql(out);
        out.push_sql(" OVER (");
        self.window.partition.to_sql(out);
        self.window.order.to_sql(out);
        if let Some(frame) = &self.window.frame {
            frame.write(out);
        }
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.function.collect_binds(out)?;
        self.window.partition.collect_binds(out)?;
        self.window.order.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.function.has_static_sql()
            && self.window.partition.has_static_sql()
            && self.window.order.has_static_sql()
            && self.window.frame.is_none()
    }
}

crate::__impl_as_expression!([F, P, O] Over<F, P, O>);
crate::__impl_arithmetic!([F, P, O] Over<F, P, O>);

/// The window of `OVER (…)`: partition keys `P`, order keys `O`, and a frame. Start with
/// [`window()`].
#[derive(Debug, Clone, Copy)]
pub struct WindowSpec<P, O> {
    partition: P,
    order: O,
    frame: Option<Frame>,
}

/// An empty window, `OVER ()`: every row of the result.
pub fn window() -> WindowSpec<(), ()> {
    WindowSpec {
        partition: (),
        order: (),
        frame: None,
    }
}

impl<O> WindowSpec<(), O> {
    /// `PARTITION BY keys`: an expression or a tuple of them.
    pub fn partition_by<K>(self, keys: K) -> WindowSpec<PartitionBy<K>, O> {
        WindowSpec {
            partition: PartitionBy(keys),
            order: self.order,
            frame: self.frame,
        }
    }
}

impl<P> WindowSpec<P, ()> {
    /// `ORDER BY terms` inside the window: an expression, `.asc()`, `.desc()`, or a tuple.
    pub fn order_by<T>(self, terms: T) -> WindowSpec<P, WindowOrderBy<T>> {
        WindowSpec {
            partition: self.partition,
            order: WindowOrderBy(terms),
            frame: self.frame,
        }
    }
}

impl<P, O> WindowSpec<P, O> {
    /// `ROWS BETWEEN start AND end`: the frame counted in rows.
    pub fn rows_between(mut self, start: FrameBound, end: FrameBound) -> Self {
        self.frame = Some(Frame {
            unit: "ROWS",
            start,
            end,
        });
        self
    }

    /// `RANGE BETWEEN start AND end`: the frame counted in peers of the ORDER BY value.
    pub fn range_between(mut self, start: FrameBound, end: FrameBound) -> Self {
        self.frame = Some(Frame {
            unit: "RANGE",
            start,
            end,
        });
        self
    }
}

/// `PARTITION BY keys`.
#[derive(Debug, Clone, Copy)]
pub struct PartitionBy<K>(K);

/// `ORDER BY terms` inside a window.
#[derive(Debug, Clone, Copy)]
pub struct WindowOrderBy<T>(T);

impl<K: AppearsIn<QS, I>, QS, I> WindowPart<QS, I> for PartitionBy<K> {
    type Nullability = K::Nullability;
    type Aggregation = K::Aggregation;
}

impl<T: AppearsIn<QS, I>, QS, I> WindowPart<QS, I> for WindowOrderBy<T> {
    type Nullability = T::Nullability;
    type Aggregation = T::Aggregation;
}

impl<K: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for PartitionBy<K> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("PARTITION BY ");
        self.0.to_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

impl<T: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for WindowOrderBy<T> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        // After PARTITION BY, if any; a leading space is harmless inside the parentheses.
        out.push_sql(" ORDER BY ");
        self.0.to_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

/// One end of a window frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameBound {
    /// `UNBOUNDED PRECEDING`: the partition's first row.
    UnboundedPreceding,
    /// `n PRECEDING`.
    Preceding(u32),
    /// `CURRENT ROW`.
    CurrentRow,
    /// `n FOLLOWING`.
    Following(u32),
    /// `UNBOUNDED FOLLOWING`: the partition's last row.
    UnboundedFollowing,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    unit: &'static str,
    start: FrameBound,
    end: FrameBound,
}

impl Frame {
    fn write<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" ");
        out.push_sql(self.unit);
        out.push_sql(" BETWEEN ");
        write_bound(self.start, out);
        out.push_sql(" AND ");
        write_bound(self.end, out);
    }
}

fn write_bound<DB: Backend>(bound: FrameBound, out: &mut SqlWriter<DB>) {
    match bound {
        FrameBound::UnboundedPreceding => out.push_sql("UNBOUNDED PRECEDING"),
        FrameBound::Preceding(n) => {
            out.push_sql(&n.to_string());
            out.push_sql(" PRECEDING");
        }
        FrameBound::CurrentRow => out.push_sql("CURRENT ROW"),
        FrameBound::Following(n) => {
            out.push_sql(&n.to_string());
            out.push_sql(" FOLLOWING");
        }
        FrameBound::UnboundedFollowing => out.push_sql("UNBOUNDED FOLLOWING"),
    }
}
