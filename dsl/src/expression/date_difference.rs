//! How far apart two dates or timestamps are: `days_between(start, end)` in whole days,
//! `seconds_between(start, end)` in seconds — written the way each database spells it
//! (PostgreSQL and Oracle subtract, MySQL has `DATEDIFF` / `TIMESTAMPDIFF`, SQL Server
//! `DATEDIFF` / `DATEDIFF_BIG`, SQLite counts Julian days and Unix seconds).

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

/// A piece of the SQL of a difference: text, or one of the two operands.
#[derive(Debug, Clone, Copy)]
enum Piece {
    Sql(&'static str),
    Start,
    End,
}

use Piece::{End, Sql, Start};

type Pieces = super::sql_pieces::SqlPieces<Piece>;

/// The SQL of the difference on backend `DB`, `seconds` or days.
fn pieces<DB: Backend>(seconds: bool) -> Pieces {
    match (DB::DATE_DIFFERENCE, seconds) {
        (DateDifference::Subtraction, false) => {
            Pieces::of(&[Sql("("), End, Sql(" - "), Start, Sql(")")])
        }
        // An Oracle DATE has a time of day, which would make the days fractional.
        (DateDifference::OracleSubtraction, false) => {
            Pieces::of(&[Sql("(TRUNC("), End, Sql(") - TRUNC("), Start, Sql("))")])
        }
        (DateDifference::Subtraction, true) => Pieces::of(&[
            Sql("CAST(EXTRACT(EPOCH FROM ("),
            End,
            Sql(" - "),
            Start,
            Sql(")) AS DOUBLE PRECISION)"),
        ]),
        // Timestamps subtract to an INTERVAL DAY TO SECOND, summed up field by field.
        (DateDifference::OracleSubtraction, true) => {
            let mut pieces = Pieces::of(&[Sql("(")]);
            for (field, factor) in [
                ("EXTRACT(DAY FROM (", ")) * 86400 + "),
                ("EXTRACT(HOUR FROM (", ")) * 3600 + "),
                ("EXTRACT(MINUTE FROM (", ")) * 60 + "),
                ("EXTRACT(SECOND FROM (", ")))"),
            ] {
                pieces.extend([Sql(field), End, Sql(" - "), Start, Sql(factor)]);
            }
            pieces
        }
        (DateDifference::Functions, false) => {
            Pieces::of(&[Sql("DATEDIFF("), End, Sql(", "), Start, Sql(")")])
        }
        (DateDifference::Functions, true) => Pieces::of(&[
            Sql("(CAST(TIMESTAMPDIFF(MICROSECOND, "),
            Start,
            Sql(", "),
            End,
            Sql(") AS DOUBLE) / 1000000)"),
        ]),
        (DateDifference::DateDiffFunction | DateDifference::DateDiffByDays, false) => {
            Pieces::of(&[Sql("DATEDIFF(DAY, "), Start, Sql(", "), End, Sql(")")])
        }
        (DateDifference::DateDiffFunction, true) => Pieces::of(&[
            Sql("(CAST(DATEDIFF_BIG(MICROSECOND, "),
            Start,
            Sql(", "),
            End,
            Sql(") AS FLOAT) / 1000000)"),
        ]),
        (DateDifference::DateDiffByDays, true) => Pieces::of(&[
            Sql("(CAST(DATEDIFF(DAY, "),
            Start,
            Sql(", "),
            End,
            Sql(") AS FLOAT) * 86400 + CAST(DATEDIFF(MILLISECOND, DATEADD(DAY, DATEDIFF(DAY, "),
            Start,
            Sql(", "),
            End,
            Sql("), "),
            Start,
            Sql("), "),
            End,
            Sql(") AS FLOAT) / 1000)"),
        ]),
        (DateDifference::JulianDays, false) => Pieces::of(&[
            Sql("CAST(julianday("),
            End,
            Sql(") - julianday("),
            Start,
            Sql(") AS INTEGER)"),
        ]),
        (DateDifference::JulianDays, true) => Pieces::of(&[
            Sql("(unixepoch("),
            End,
            Sql(", 'subsec') - unixepoch("),
            Start,
            Sql(", 'subsec'))"),
        ]),
    }
}

impl<S, E, DB, const SECONDS: bool> QueryFragment<DB> for Elapsed<S, E, SECONDS>
where
    S: QueryFragment<DB>,
    E: QueryFragment<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        for piece in pieces::<DB>(SECONDS).iter() {
            match piece {
                Sql(sql) => out.push_sql(sql),
                Start => self.0.to_sql(out),
                End => self.1.to_sql(out),
            }
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        for piece in pieces::<DB>(SECONDS).iter() {
            match piece {
                Sql(_) => {}
                Start => self.0.collect_binds(out)?,
                End => self.1.collect_binds(out)?,
            }
        }
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && self.1.has_static_sql()
    }
}

crate::__impl_arithmetic!([S, E, const SECONDS: bool] Elapsed<S, E, SECONDS>);
crate::__impl_as_expression!([S, E, const SECONDS: bool] Elapsed<S, E, SECONDS>);
