//! Date arithmetic: `date_add(x, n, date_part::Day)`, a date or timestamp moved by a number of
//! units, written the way each database spells it (`make_interval` on PostgreSQL, date
//! modifiers on SQLite, `DATE_ADD … INTERVAL` on MySQL).

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, DateArithmetic, SqlWriter};
use crate::error::QueryResult;
use crate::types::{self, Nullability, SqlType, Timestamp};

use super::date_time::{DatePart, date_part};
use super::functions::NotNullOf;
use super::{
    Aggregation, AppearsIn, AsExpression, Expression, NullableIfEither, QueryFragment, Seen,
};

/// A unit [`date_add`] moves a date or timestamp by: `date_part::Year`, `Month`, `Day`,
/// `Hour`, `Minute` or `Second`.
pub trait IntervalUnit: DatePart + Default {
    /// PostgreSQL's `make_interval` argument (`days`).
    const MAKE_INTERVAL: &'static str;
    /// SQLite's modifier unit (`days`).
    const MODIFIER: &'static str;
    /// MySQL's `INTERVAL` unit (`DAY`).
    const MYSQL: &'static str;
}

macro_rules! interval_units {
    ($($ty:ident, $pg:literal, $sqlite:literal, $mysql:literal;)*) => {$(
        impl IntervalUnit for date_part::$ty {
            const MAKE_INTERVAL: &'static str = $pg;
            const MODIFIER: &'static str = $sqlite;
            const MYSQL: &'static str = $mysql;
        }
    )*};
}

interval_units! {
    Year, "years", "years", "YEAR";
    Month, "months", "months", "MONTH";
    Day, "days", "days", "DAY";
    Hour, "hours", "hours", "HOUR";
    Minute, "mins", "minutes", "MINUTE";
    Second, "secs", "seconds", "SECOND";
}

/// Rule: a `Date` moves by years, months or days; a `Timestamp` also by hours, minutes or
/// seconds.
#[diagnostic::on_unimplemented(
    message = "`date_add` cannot move a value of SQL type `{Self}` by `{Unit}`",
    label = "moves a `Date` by years, months or days, a `Timestamp` also by hours, minutes or seconds",
    note = "a `Timestamptz` depends on the time zone it is read in: cast it to a `Timestamp` first"
)]
pub trait ShiftsBy<Unit>: SqlType {
    /// Whether the value is a date (and stays one), rather than a timestamp.
    const IS_DATE: bool;
}

macro_rules! shifts_by {
    ($st:ty, $is_date:literal: $($unit:ident),*) => {$(
        #[diagnostic::do_not_recommend]
        impl ShiftsBy<date_part::$unit> for $st {
            const IS_DATE: bool = $is_date;
        }
    )*};
}

shifts_by!(types::Date, true: Year, Month, Day);
shifts_by!(Timestamp, false: Year, Month, Day, Hour, Minute, Second);

/// `value` moved by `amount` units (back when negative), keeping its SQL type:
/// `date_add(orders::placed_at, -7, date_part::Day)` is a week earlier. A month or a year
/// from a day the target month lacks gives that month's last day on every backend (January 31
/// plus one month is February 28 or 29), as PostgreSQL and MySQL do; SQLite is told so with
/// its `floor` modifier.
///
/// ```
/// use philtre::expression::{date_add, date_part};
/// use philtre::prelude::*;
/// # philtre::table! { orders (id) { id -> Integer, placed_at -> Timestamp, due -> Date, } }
/// let a_week_before = date_add(orders::placed_at, -7, date_part::Day);
/// let next_month = date_add(orders::due, 1, date_part::Month);
/// # let _ = (a_week_before, next_month);
/// ```
pub fn date_add<Unit, E, N>(value: E, amount: N, unit: Unit) -> DateAdd<Unit, E, N::Expression>
where
    Unit: IntervalUnit,
    E: Expression,
    NotNullOf<E>: ShiftsBy<Unit>,
    N: AsExpression<types::Integer>,
{
    let _ = unit;
    DateAdd(value, amount.into_expression(), PhantomData)
}

/// See [`date_add`].
#[derive(Debug, Clone, Copy)]
pub struct DateAdd<Unit, E, N>(E, N, PhantomData<Unit>);

impl<Unit, E: Expression, N: Expression> Expression for DateAdd<Unit, E, N> {
    type SqlType = NullableIfEither<E::SqlType, N::SqlType, NotNullOf<E>>;
}

impl<Unit, E, N, QS, IE, IN> AppearsIn<QS, (IE, IN)> for DateAdd<Unit, E, N>
where
    E: AppearsIn<QS, IE>,
    N: AppearsIn<QS, IN>,
    Self: Expression,
{
    type Nullability = <E::Nullability as Nullability>::Or<N::Nullability>;
    type Aggregation = <E::Aggregation as Aggregation>::And<N::Aggregation>;
    type SqlRow =
        Seen<<Self as AppearsIn<QS, (IE, IN)>>::Nullability, <Self as Expression>::SqlType>;
}

impl<Unit, E, N, DB> QueryFragment<DB> for DateAdd<Unit, E, N>
where
    Unit: IntervalUnit,
    E: Expression + QueryFragment<DB>,
    N: QueryFragment<DB>,
    NotNullOf<E>: ShiftsBy<Unit>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        let is_date = <NotNullOf<E> as ShiftsBy<Unit>>::IS_DATE;
        match DB::DATE_ARITHMETIC {
            DateArithmetic::MakeInterval => {
                // A date plus an interval would be a timestamp.
                out.push_sql(if is_date { "CAST((" } else { "(" });
                self.0.to_sql(out);
                out.push_sql(" + make_interval(");
                out.push_sql(Unit::MAKE_INTERVAL);
                out.push_sql(" => ");
                self.1.to_sql(out);
                out.push_sql(if is_date { ")) AS DATE)" } else { "))" });
            }
            DateArithmetic::Modifier => {
                // A timestamp keeps its stored form: whole seconds from `strftime`, then the
                // original fraction (`.123456`), which moving by whole units leaves alone.
                out.push_sql(if is_date {
                    "date("
                } else {
                    "(strftime('%Y-%m-%d %H:%M:%S', "
                });
                self.0.to_sql(out);
                out.push_sql(", printf('%+d ");
                out.push_sql(Unit::MODIFIER);
                out.push_sql("', ");
                self.1.to_sql(out);
                out.push_sql("), 'floor')");
                if !is_date {
                    out.push_sql(" || substr(");
                    self.0.to_sql(out);
                    out.push_sql(", 20))");
                }
            }
            DateArithmetic::DateAddFunction => {
                out.push_sql("DATEADD(");
                out.push_sql(Unit::MYSQL);
                out.push_sql(", ");
                self.1.to_sql(out);
                out.push_sql(", ");
                self.0.to_sql(out);
                out.push_sql(")");
            }
            DateArithmetic::OracleIntervals if matches!(Unit::MYSQL, "YEAR" | "MONTH") => {
                // ADD_MONTHS keeps the day within the month (31 January + 1 month is 28/29
                // February), as PostgreSQL and MySQL do; an interval would fail on it.
                out.push_sql("ADD_MONTHS(");
                self.0.to_sql(out);
                out.push_sql(if Unit::MYSQL == "YEAR" {
                    ", 12 * "
                } else {
                    ", "
                });
                self.1.to_sql(out);
                out.push_sql(")");
            }
            DateArithmetic::OracleIntervals => {
                out.push_sql("(");
                self.0.to_sql(out);
                out.push_sql(" + NUMTODSINTERVAL(");
                self.1.to_sql(out);
                out.push_sql(", '");
                out.push_sql(Unit::MYSQL);
                out.push_sql("'))");
            }
            DateArithmetic::DateAdd => {
                out.push_sql("DATE_ADD(");
                self.0.to_sql(out);
                out.push_sql(", INTERVAL ");
                self.1.to_sql(out);
                out.push_sql(" ");
                out.push_sql(Unit::MYSQL);
                out.push_sql(")");
            }
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if DB::DATE_ARITHMETIC == DateArithmetic::DateAddFunction {
            // `DATEADD(unit, n, x)`: the count comes first.
            self.1.collect_binds(out)?;
            return self.0.collect_binds(out);
        }
        self.0.collect_binds(out)?;
        self.1.collect_binds(out)?;
        // SQLite writes a timestamp twice (see `to_sql`).
        let is_date = <NotNullOf<E> as ShiftsBy<Unit>>::IS_DATE;
        if DB::DATE_ARITHMETIC == DateArithmetic::Modifier && !is_date {
            self.0.collect_binds(out)?;
        }
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && self.1.has_static_sql()
    }
}

crate::__impl_arithmetic!([Unit, E, N] DateAdd<Unit, E, N>);
crate::__impl_as_expression!([Unit, E, N] DateAdd<Unit, E, N>);
