//! Aggregate functions: `count(*)`, `count`, `sum`, `avg`, `min`, `max`.
//!
//! An aggregate's argument is checked against the query's FROM list without its GROUP BY keys
//! (inside an aggregate any column may appear); the aggregate itself makes the expression
//! [`Aggregate`](super::Aggregate), which a select list cannot mix with ungrouped columns.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::query::UngroupedScope;
use crate::schema::TypeKind;
use crate::types::{self, BigInt, Nullable, SqlType};

use super::{Agg, Aggregate, Aggregation, AppearsIn, Expression, NoWindow, QueryFragment};

/// `COUNT(*)`: the number of rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountStar;

/// `COUNT(*)`: the number of rows, as `BigInt` (`i64`).
pub fn count_star() -> CountStar {
    CountStar
}

impl Expression for CountStar {
    type SqlType = BigInt;
}

impl<QS> AppearsIn<QS, ()> for CountStar
where
    Self: crate::expression::Expression,
{
    type Nullability = types::NotNullable;
    type Aggregation = Agg<Aggregate, NoWindow>;
    type SqlRow = crate::expression::Seen<
        <Self as crate::expression::AppearsIn<QS, ()>>::Nullability,
        <Self as crate::expression::Expression>::SqlType,
    >;
}

impl<DB: Backend> QueryFragment<DB> for CountStar {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("COUNT(*)");
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

/// Rule: SUM and AVG need a numeric argument.
#[diagnostic::on_unimplemented(
    message = "SUM and AVG need a numeric argument, found SQL type `{Self}`",
    label = "not a number"
)]
pub trait SummableType: SqlType {
    /// The type of `SUM(x)` before NULL is added: `BigInt` for integers (so sums do not
    /// overflow), `Numeric` for `BigInt` and `Numeric`, `Double` for floats.
    type Sum: SqlType;
    /// The type of `AVG(x)`: `Numeric` for integers and decimals, `Double` for floats.
    type Avg: SqlType;
}

macro_rules! summable {
    ($($st:ty => $sum:ty, $avg:ty;)*) => {$(
        impl SummableType for $st {
            type Sum = $sum;
            type Avg = $avg;
        }
    )*};
}

summable! {
    types::SmallInt => BigInt, types::Numeric;
    types::Integer => BigInt, types::Numeric;
    types::BigInt => types::Numeric, types::Numeric;
    types::Numeric => types::Numeric, types::Numeric;
    types::Float => types::Double, types::Double;
    types::Double => types::Double, types::Double;
}

/// Aggregate function markers.
pub mod aggregate_fn {
    /// `COUNT(x)`
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Count;
    /// `SUM(x)`
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Sum;
    /// `AVG(x)`
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Avg;
    /// `MIN(x)`
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Min;
    /// `MAX(x)`
    #[derive(Debug, Clone, Copy, Default)]
    pub struct Max;
}

/// `F(expr)`, an aggregate over the rows of a group; `DISTINCT` when `D` is `true`.
#[derive(Debug, Clone, Copy)]
pub struct AggregateCall<F, E, ST, const D: bool = false> {
    expr: E,
    _f: PhantomData<(F, ST)>,
}

impl<F, E, ST, const D: bool> AggregateCall<F, E, ST, D> {
    fn new(expr: E) -> Self {
        AggregateCall {
            expr,
            _f: PhantomData,
        }
    }

    /// What it aggregates.
    pub(crate) fn argument(&self) -> &E {
        &self.expr
    }
}

impl<F, E, ST: SqlType, const D: bool> Expression for AggregateCall<F, E, ST, D> {
    type SqlType = ST;
}

impl<F, E, ST, QS, I, const D: bool> AppearsIn<QS, I> for AggregateCall<F, E, ST, D>
where
    QS: UngroupedScope,
    E: AppearsIn<QS::Ungrouped, I>,
    Self: crate::expression::Expression,
{
    type Nullability = types::NotNullable;
    type Aggregation = <E::Aggregation as Aggregation>::Aggregated;
    type SqlRow = crate::expression::Seen<
        <Self as crate::expression::AppearsIn<QS, I>>::Nullability,
        <Self as crate::expression::Expression>::SqlType,
    >;
}

/// The SQL name of an aggregate.
pub trait AggregateName {
    /// The name as written in SQL.
    const NAME: &'static str;
    /// The SQL type an integer argument of kind `argument` is cast to first where the
    /// backend's aggregates of integers keep the integer type
    /// ([`Backend::INTEGER_AGGREGATES_KEEP_TYPE`]), so that the result is the one philtre
    /// types it as; `None` leaves it as it is.
    fn widened_integer(argument: TypeKind) -> Option<&'static str> {
        let _ = argument;
        None
    }
}
impl AggregateName for aggregate_fn::Count {
    const NAME: &'static str = "COUNT";
}
/// A SUM of `SmallInt` / `Integer` is a `BigInt`, of `BigInt` a `Numeric`.
impl AggregateName for aggregate_fn::Sum {
    const NAME: &'static str = "SUM";
    fn widened_integer(argument: TypeKind) -> Option<&'static str> {
        match argument {
            TypeKind::SmallInt | TypeKind::Integer => Some("BIGINT"),
            TypeKind::BigInt => Some("DECIMAL(38, 0)"),
            _ => None,
        }
    }
}
/// An AVG of integers is a `Numeric` (`DECIMAL(19, 0)` averages to 6 decimal places).
impl AggregateName for aggregate_fn::Avg {
    const NAME: &'static str = "AVG";
    fn widened_integer(argument: TypeKind) -> Option<&'static str> {
        match argument {
            TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt => Some("DECIMAL(19, 0)"),
            _ => None,
        }
    }
}
impl AggregateName for aggregate_fn::Min {
    const NAME: &'static str = "MIN";
}
impl AggregateName for aggregate_fn::Max {
    const NAME: &'static str = "MAX";
}

impl<F, E, ST, DB, const D: bool> QueryFragment<DB> for AggregateCall<F, E, ST, D>
where
    F: AggregateName,
    E: Expression + QueryFragment<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(F::NAME);
        out.push_sql(if D { "(DISTINCT " } else { "(" });
        write_argument::<F, E, DB>(|out| self.expr.to_sql(out), out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.expr.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.expr.has_static_sql()
    }
}

/// Writes an aggregate's argument (`write`): as it is, or cast first to
/// [`AggregateName::widened_integer`] where the backend's SUM and AVG of integers keep the
/// integer type (SQL Server: `SUM(int)` overflows at 2^31, `AVG(int)` cuts the fraction).
pub(super) fn write_argument<F: AggregateName, E: Expression, DB: Backend>(
    write: impl FnOnce(&mut SqlWriter<DB>),
    out: &mut SqlWriter<DB>,
) {
    let widened = if DB::INTEGER_AGGREGATES_KEEP_TYPE {
        F::widened_integer(<E::SqlType as SqlType>::KIND)
    } else {
        None
    };
    match widened {
        Some(sql_type) => {
            out.push_sql("CAST(");
            write(out);
            out.push_sql(" AS ");
            out.push_sql(sql_type);
            out.push_sql(")");
        }
        None => write(out),
    }
}

/// `COUNT(expr)`.
pub type Count<E> = AggregateCall<aggregate_fn::Count, E, BigInt>;
/// `COUNT(DISTINCT expr)`.
pub type CountDistinct<E> = AggregateCall<aggregate_fn::Count, E, BigInt, true>;
/// `SUM(expr)`.
pub type Sum<E> = AggregateCall<aggregate_fn::Sum, E, SumOf<E>>;
/// `AVG(expr)`.
pub type Avg<E> = AggregateCall<aggregate_fn::Avg, E, AvgOf<E>>;
/// `MIN(expr)`.
pub type Min<E> = AggregateCall<aggregate_fn::Min, E, Nullable<NotNullOf<E>>>;
/// `MAX(expr)`.
pub type Max<E> = AggregateCall<aggregate_fn::Max, E, Nullable<NotNullOf<E>>>;

type NotNullOf<E> = <<E as Expression>::SqlType as SqlType>::NotNull;
type SumOf<E> = Nullable<<NotNullOf<E> as SummableType>::Sum>;
type AvgOf<E> = Nullable<<NotNullOf<E> as SummableType>::Avg>;

/// `COUNT(expr)`: the number of rows where `expr` is not NULL, as `BigInt` (`i64`).
pub fn count<E: Expression>(expr: E) -> Count<E> {
    AggregateCall::new(expr)
}

/// `COUNT(DISTINCT expr)`: the number of distinct non-NULL values, as `BigInt` (`i64`).
pub fn count_distinct<E: Expression>(expr: E) -> CountDistinct<E> {
    AggregateCall::new(expr)
}

/// `SUM(expr)`: NULL over no rows. Integers sum to `BigInt`, `BigInt` to `Numeric`.
pub fn sum<E: Expression, ST>(expr: E) -> AggregateCall<aggregate_fn::Sum, E, Nullable<ST>>
where
    // The result type named (`ST`), not projected, so that a SUM of text is one error.
    NotNullOf<E>: SummableType<Sum = ST>,
{
    AggregateCall::new(expr)
}

/// `AVG(expr)`: NULL over no rows; `Numeric` for integers, `Double` for floats.
pub fn avg<E: Expression, ST>(expr: E) -> AggregateCall<aggregate_fn::Avg, E, Nullable<ST>>
where
    NotNullOf<E>: SummableType<Avg = ST>,
{
    AggregateCall::new(expr)
}

/// `MIN(expr)`: the smallest value, NULL over no rows.
pub fn min<E: Expression>(expr: E) -> Min<E> {
    AggregateCall::new(expr)
}

/// `MAX(expr)`: the largest value, NULL over no rows.
pub fn max<E: Expression>(expr: E) -> Max<E> {
    AggregateCall::new(expr)
}

crate::__impl_arithmetic!([] CountStar);
crate::__impl_arithmetic!([F, E, ST, const D: bool] AggregateCall<F, E, ST, D>);
crate::__impl_as_expression!([] CountStar);
crate::__impl_as_expression!([F, E, ST, const D: bool] AggregateCall<F, E, ST, D>);
