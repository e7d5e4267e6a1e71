//! Arithmetic with PostgreSQL's INTERVAL: a timestamp moved by an interval (`ts + iv`,
//! `ts - iv`) and the interval between two timestamps (`end - start`). A query using one does
//! not compile for a backend without intervals.

use crate::backend::{BindSink, SqlWriter, SupportsIntervals};
use crate::error::QueryResult;
use crate::types::{self, Interval, Nullability, SqlType};

use super::{
    Aggregation, AppearsIn, AsExpression, Expression, NullableIfEither, QueryFragment, Seen,
};

type NotNullOf<E> = <<E as Expression>::SqlType as SqlType>::NotNull;

/// Rule: an interval moves a timestamp, with or without time zone.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be moved by an INTERVAL: `add_interval`, `sub_interval` and `interval_between` take `Timestamp` or `Timestamptz`",
    label = "not a timestamp",
    note = "cast a date first: `cast::<Timestamp, _>(day)`"
)]
pub trait IntervalOperand: SqlType {}

impl IntervalOperand for types::Timestamp {}
impl IntervalOperand for types::Timestamptz {}

/// `timestamp + interval` (`SUBTRACT` false) or `timestamp - interval`: see
/// [`super::ExpressionMethods::add_interval`].
#[derive(Debug, Clone, Copy)]
pub struct IntervalShift<T, I, const SUBTRACT: bool> {
    at: T,
    by: I,
}

impl<T, I, const SUBTRACT: bool> IntervalShift<T, I, SUBTRACT> {
    pub(crate) fn new(at: T, by: I) -> Self {
        IntervalShift { at, by }
    }
}

impl<T: Expression, I: Expression, const SUBTRACT: bool> Expression
    for IntervalShift<T, I, SUBTRACT>
{
    type SqlType = NullableIfEither<T::SqlType, I::SqlType, NotNullOf<T>>;
}

/// `end - start` of two timestamps, an `Interval`: see [`interval_between`].
#[derive(Debug, Clone, Copy)]
pub struct IntervalBetween<S, E> {
    start: S,
    end: E,
}

/// `end - start` as an `INTERVAL` (PostgreSQL): how long from `start` to `end`, negative when
/// `end` is earlier — read it as a `time::Duration`. (`seconds_between` gives a number of
/// seconds on every backend.)
pub fn interval_between<S, E>(start: S, end: E) -> IntervalBetween<S, E::Expression>
where
    S: Expression,
    NotNullOf<S>: IntervalOperand,
    E: AsExpression<NotNullOf<S>>,
{
    IntervalBetween {
        start,
        end: end.into_expression(),
    }
}

impl<S: Expression, E: Expression> Expression for IntervalBetween<S, E> {
    type SqlType = NullableIfEither<S::SqlType, E::SqlType, Interval>;
}

/// Both operand pairs appear in a scope as their two sides do.
macro_rules! two_sided {
    ([$($g:tt)*] $ty:ty, $left:ident, $right:ident) => {
        impl<__QS, __IL, __IR, $($g)*> AppearsIn<__QS, (__IL, __IR)> for $ty
        where
            $left: AppearsIn<__QS, __IL>,
            $right: AppearsIn<__QS, __IR>,
            Self: Expression,
        {
            type Nullability = <$left::Nullability as Nullability>::Or<$right::Nullability>;
            type Aggregation = <$left::Aggregation as Aggregation>::And<$right::Aggregation>;
            type SqlRow = Seen<
                <Self as AppearsIn<__QS, (__IL, __IR)>>::Nullability,
                <Self as Expression>::SqlType,
            >;
        }
        crate::__impl_as_expression!([$($g)*] $ty);
    };
}

two_sided!([T, I, const SUBTRACT: bool] IntervalShift<T, I, SUBTRACT>, T, I);
two_sided!([S, E] IntervalBetween<S, E>, S, E);

impl<T, I, DB, const SUBTRACT: bool> QueryFragment<DB> for IntervalShift<T, I, SUBTRACT>
where
    DB: SupportsIntervals,
    T: QueryFragment<DB>,
    I: QueryFragment<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("(");
        self.at.to_sql(out);
        out.push_sql(if SUBTRACT { " - " } else { " + " });
        self.by.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.at.collect_binds(out)?;
        self.by.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.at.has_static_sql() && self.by.has_static_sql()
    }
}

impl<S, E, DB> QueryFragment<DB> for IntervalBetween<S, E>
where
    DB: SupportsIntervals,
    S: QueryFragment<DB>,
    E: QueryFragment<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("(");
        self.end.to_sql(out);
        out.push_sql(" - ");
        self.start.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.end.collect_binds(out)?;
        self.start.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.start.has_static_sql() && self.end.has_static_sql()
    }
}
