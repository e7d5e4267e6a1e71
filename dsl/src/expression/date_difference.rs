//! How far apart two dates or timestamps are: `days_between(start, end)` in whole days,
//! `seconds_between(start, end)` in seconds — written the way each database spells it
//! (PostgreSQL subtracts, MySQL has `DATEDIFF` / `TIMESTAMPDIFF`, SQLite counts Julian days and
//! Unix seconds).

use crate::backend::{Backend, BindSink, DateDifference, SqlWriter};
use crate::error::QueryResult;
use crate::types::{self, Double, Integer, Nullability, SqlType};

use super::{
    Aggregation, AppearsIn, AsExpression, Expression, NullableIfEither, QueryFragment, Seen,
};

type NotNullOf<E> = <<E as Expression>::SqlType as SqlType>::NotNull;

/// Rule: `days_between` takes dates, `seconds_between` timestamps.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not the type this difference takes: `days_between` takes `Date`s, `seconds_between` `Timestamp`s",
    label = "not a date or timestamp of that kind",
    note = "cast with `cast::<Date, _>(..)` or `cast::<Timestamp, _>(..)` first"
)]
pub trait DifferenceOperand<const SECONDS: bool>: SqlType {}

impl DifferenceOperand<false> for types::Date {}
impl DifferenceOperand<true> for types::Timestamp {}

/// `end - start` in whole days, an `Integer` (negative when `end` is earlier).
pub fn days_between<S, E>(start: S, end: E) -> Elapsed<S, E::Expression, false>
where
    S: Expression,
    NotNullOf<S>: DifferenceOperand<false>,
    E: AsExpression<NotNullOf<S>>,
{
    Elapsed(start, end.into_expression())
}

/// `end - start` in seconds, a `Double` with the fraction (microseconds on PostgreSQL and
/// MySQL, milliseconds on SQLite).
pub fn seconds_between<S, E>(start: S, end: E) -> Elapsed<S, E::Expression, true>
where
    S: Expression,
    NotNullOf<S>: DifferenceOperand<true>,
    E: AsExpression<NotNullOf<S>>,
{
    Elapsed(start, end.into_expression())
}

/// See [`days_between`] (`SECONDS` false) and [`seconds_between`].
#[derive(Debug, Clone, Copy)]
pub struct Elapsed<S, E, const SECONDS: bool>(S, E);

impl<S: Expression, E: Expression> Expression for Elapsed<S, E, false> {
    type SqlType = NullableIfEither<S::SqlType, E::SqlType, Integer>;
}

impl<S: Expression, E: Expression> Expression for Elapsed<S, E, true> {
    type SqlType = NullableIfEither<S::SqlType, E::SqlType, Double>;
}

impl<S, E, QS, IS, IE, const SECONDS: bool> AppearsIn<QS, (IS, IE)> for Elapsed<S, E, SECONDS>
where
    S: AppearsIn<QS, IS>,
    E: AppearsIn<QS, IE>,
    Self: Expression,
{
    type Nullability = <S::Nullability as Nullability>::Or<E::Nullability>;
    type Aggregation = <S::Aggregation as Aggregation>::And<E::Aggregation>;
    type SqlRow =
        Seen<<Self as AppearsIn<QS, (IS, IE)>>::Nullability, <Self as Expression>::SqlType>;
}

impl<S, E, DB, const SECONDS: bool> QueryFragment<DB> for Elapsed<S, E, SECONDS>
where
    S: QueryFragment<DB>,
    E: QueryFragment<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        // (before start, between, after end) for each spelling.
        let (open, middle, close, end_first) = match (DB::DATE_DIFFERENCE, SECONDS) {
            (DateDifference::Subtraction, false) => ("(", " - ", ")", true),
            (DateDifference::Subtraction, true) => (
                "CAST(EXTRACT(EPOCH FROM (",
                " - ",
                ")) AS DOUBLE PRECISION)",
                true,
            ),
            (DateDifference::Functions, false) => ("DATEDIFF(", ", ", ")", true),
            (DateDifference::Functions, true) => (
                "(CAST(TIMESTAMPDIFF(MICROSECOND, ",
                ", ",
                ") AS DOUBLE) / 1000000)",
                false,
            ),
            (DateDifference::JulianDays, false) => {
                ("CAST(julianday(", ") - julianday(", ") AS INTEGER)", true)
            }
            (DateDifference::JulianDays, true) => (
                "(unixepoch(",
                ", 'subsec') - unixepoch(",
                ", 'subsec'))",
                true,
            ),
        };
        out.push_sql(open);
        if end_first {
            self.1.to_sql(out);
            out.push_sql(middle);
            self.0.to_sql(out);
        } else {
            self.0.to_sql(out);
            out.push_sql(middle);
            self.1.to_sql(out);
        }
        out.push_sql(close);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        let end_first = !matches!(
            (DB::DATE_DIFFERENCE, SECONDS),
            (DateDifference::Functions, true)
        );
        if end_first {
            self.1.collect_binds(out)?;
            self.0.collect_binds(out)
        } else {
            self.0.collect_binds(out)?;
            self.1.collect_binds(out)
        }
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && self.1.has_static_sql()
    }
}

crate::__impl_arithmetic!([S, E, const SECONDS: bool] Elapsed<S, E, SECONDS>);
crate::__impl_as_expression!([S, E, const SECONDS: bool] Elapsed<S, E, SECONDS>);
