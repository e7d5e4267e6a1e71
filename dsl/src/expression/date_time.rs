//! Dates and times: the current date and time, date parts (`year(x)` …) and truncation
//! (`date_trunc(date_part::Month, x)`), each written the way its database spells it.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, DatePartStyle, DateTruncation, SqlWriter};
use crate::error::QueryResult;
use crate::types::{self, Integer, Nullability, SqlType, Timestamp};

use super::functions::NotNullOf;
use super::{Expression, QueryFragment};

/// A value every row of a statement sees alike, written as one SQL keyword per backend.
macro_rules! clock {
    ($(#[$doc:meta])* $fn:ident, $ty:ident, $st:ty, $sql:ident) => {
        $(#[$doc])*
        pub fn $fn() -> $ty {
            $ty
        }

        #[doc = concat!("See [`", stringify!($fn), "`].")]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $ty;

        impl Expression for $ty {
            type SqlType = $st;
        }

        crate::__impl_constant_appears_in!([] $ty);

        impl<DB: Backend> QueryFragment<DB> for $ty {
            fn to_sql(&self, out: &mut SqlWriter<DB>) {
                out.push_sql(DB::$sql);
            }
            fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                Ok(())
            }
            fn has_static_sql(&self) -> bool {
                true
            }
        }

        crate::__impl_as_expression!([] $ty);
    };
}

clock!(
    /// The current date and time, without time zone: `CURRENT_TIMESTAMP` (PostgreSQL:
    /// `LOCALTIMESTAMP`). In the session's time zone on PostgreSQL and MySQL, in UTC on SQLite.
    now, Now, Timestamp, LOCAL_TIMESTAMP
);
clock!(
    /// The current date: `CURRENT_DATE` (in the session's time zone on PostgreSQL and MySQL, in
    /// UTC on SQLite).
    current_date, CurrentDate, types::Date, CURRENT_DATE
);
clock!(
    /// The current time of day, without time zone: `CURRENT_TIME` (PostgreSQL: `LOCALTIME`,
    /// since its `CURRENT_TIME` carries a time zone). UTC on SQLite.
    current_time, CurrentTime, types::Time, LOCAL_TIME
);

/// SQLAlchemy's `func.current_timestamp()`: the same as [`now`].
pub fn current_timestamp() -> Now {
    Now
}

/// A part of a date or time.
pub trait DatePart {
    /// The part's name for `EXTRACT(… FROM x)`.
    const EXTRACT: &'static str;
    /// The part's `strftime` format (SQLite).
    const STRFTIME: &'static str;
    /// Whether `EXTRACT` gives it with a fraction (seconds, on PostgreSQL), which is cut off
    /// rather than rounded: 59.5 seconds are 59.
    const FRACTIONAL: bool = false;
}

/// Rule: `year`, `month` and `day` read a date or a timestamp.
#[diagnostic::on_unimplemented(
    message = "`year`, `month` and `day` need a date or a timestamp, found SQL type `{Self}`",
    label = "not a date",
    note = "cast text to a date first: `cast::<Date, _>(x)`"
)]
pub trait HasDatePart: SqlType {}
#[diagnostic::do_not_recommend]
impl HasDatePart for types::Date {}
#[diagnostic::do_not_recommend]
impl HasDatePart for Timestamp {}
#[diagnostic::do_not_recommend]
impl HasDatePart for types::Timestamptz {}

/// Rule: `hour`, `minute` and `second` read a time of day or a timestamp.
#[diagnostic::on_unimplemented(
    message = "`hour`, `minute` and `second` need a time or a timestamp, found SQL type `{Self}`",
    label = "not a time of day",
    note = "a `Date` has no time of day; cast text to a `Time` or `Timestamp` first"
)]
pub trait HasTimePart: SqlType {}
#[diagnostic::do_not_recommend]
impl HasTimePart for types::Time {}
#[diagnostic::do_not_recommend]
impl HasTimePart for Timestamp {}
#[diagnostic::do_not_recommend]
impl HasTimePart for types::Timestamptz {}

macro_rules! date_parts {
    ($($(#[$doc:meta])* $fn:ident, $ty:ident, $rule:ident, $extract:literal, $strftime:literal;)*) => {
        /// Date part markers.
        pub mod date_part {
            $(
                $(#[$doc])*
                #[derive(Debug, Clone, Copy, Default)]
                pub struct $ty;
                impl super::DatePart for $ty {
                    const EXTRACT: &'static str = $extract;
                    const STRFTIME: &'static str = $strftime;
                    // Of the parts, only seconds come with a fraction.
                    const FRACTIONAL: bool = matches!($extract.as_bytes(), b"SECOND");
                }
            )*
        }
        $(
            $(#[$doc])*
            pub fn $fn<E: Expression>(value: E) -> Extract<date_part::$ty, E>
            where
                NotNullOf<E>: $rule,
            {
                Extract(value, PhantomData)
            }
        )*
    };
}

date_parts! {
    /// The year of a date or timestamp, as an `Integer`.
    year, Year, HasDatePart, "YEAR", "%Y";
    /// The month (1–12) of a date or timestamp.
    month, Month, HasDatePart, "MONTH", "%m";
    /// The day of the month of a date or timestamp.
    day, Day, HasDatePart, "DAY", "%d";
    /// The hour of a time or timestamp.
    hour, Hour, HasTimePart, "HOUR", "%H";
    /// The minute of a time or timestamp.
    minute, Minute, HasTimePart, "MINUTE", "%M";
    /// The whole seconds of a time or timestamp.
    second, Second, HasTimePart, "SECOND", "%S";
}

/// A date part of a value, as an `Integer`: `EXTRACT(part FROM x)`, or `strftime` on SQLite.
#[derive(Debug, Clone, Copy)]
pub struct Extract<P, E>(E, PhantomData<P>);

impl<P, E: Expression> Expression for Extract<P, E> {
    type SqlType = <<E::SqlType as SqlType>::Nullability as Nullability>::Apply<Integer>;
}

crate::__impl_wrapper_appears_in!([P, E] Extract<P, E>, E);

impl<P: DatePart, E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Extract<P, E> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        if DB::DATE_PARTS == DatePartStyle::Datepart {
            // An integer already, and whole seconds.
            out.push_sql("DATEPART(");
            out.push_sql(P::EXTRACT);
            out.push_sql(", ");
            self.0.to_sql(out);
            out.push_sql(")");
            return;
        }
        out.push_sql("CAST(");
        if DB::DATE_PARTS == DatePartStyle::Strftime {
            out.push_sql("strftime('");
            out.push_sql(P::STRFTIME);
            out.push_sql("', ");
            self.0.to_sql(out);
            out.push_sql(")");
        } else {
            out.push_sql(if P::FRACTIONAL {
                "FLOOR(EXTRACT("
            } else {
                "EXTRACT("
            });
            out.push_sql(P::EXTRACT);
            out.push_sql(" FROM ");
            self.0.to_sql(out);
            out.push_sql(if P::FRACTIONAL { "))" } else { ")" });
        }
        out.push_sql(" AS ");
        out.push_sql(DB::cast_type_name(crate::schema::TypeKind::Integer));
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

crate::__impl_arithmetic!([P, E] Extract<P, E>);
crate::__impl_as_expression!([P, E] Extract<P, E>);

/// A unit [`date_trunc`] cuts a date or timestamp down to: `date_part::Year`, `Month`, `Day`,
/// `Hour` or `Minute`.
pub trait TruncationUnit: DatePart + Default {
    /// PostgreSQL's name of the unit for `date_trunc('…', x)`.
    const UNIT: &'static str;
    /// The date as an `strftime` / `DATE_FORMAT` pattern once truncated (`%Y-%m-01`).
    const DATE_PATTERN: &'static str;
    /// The time of day as an `strftime` pattern once truncated (` %H:00:00`).
    const TIME_PATTERN: &'static str;
    /// The same for MySQL's `DATE_FORMAT`, where minutes are `%i`.
    const MYSQL_TIME_PATTERN: &'static str;
    /// The unit as a date part keyword (`MONTH`: SQL Server's `DATEADD` / `DATEDIFF`).
    const KEYWORD: &'static str;
    /// Oracle's `TRUNC` format (`'MM'`).
    const ORACLE_FORMAT: &'static str;
}

macro_rules! truncation_units {
    ($($ty:ident, $unit:literal, $date:literal, $time:literal, $mysql_time:literal,
        $keyword:literal, $oracle:literal;)*) => {$(
        impl TruncationUnit for date_part::$ty {
            const UNIT: &'static str = $unit;
            const DATE_PATTERN: &'static str = $date;
            const TIME_PATTERN: &'static str = $time;
            const MYSQL_TIME_PATTERN: &'static str = $mysql_time;
            const KEYWORD: &'static str = $keyword;
            const ORACLE_FORMAT: &'static str = $oracle;
        }
    )*};
}

truncation_units! {
    Year, "year", "%Y-01-01", " 00:00:00", " 00:00:00", "YEAR", "YYYY";
    Month, "month", "%Y-%m-01", " 00:00:00", " 00:00:00", "MONTH", "MM";
    Day, "day", "%Y-%m-%d", " 00:00:00", " 00:00:00", "DAY", "DD";
    Hour, "hour", "%Y-%m-%d", " %H:00:00", " %H:00:00", "HOUR", "HH24";
    Minute, "minute", "%Y-%m-%d", " %H:%M:00", " %H:%i:00", "MINUTE", "MI";
}

/// Rule: a `Date` is truncated to a year, month or day; a `Timestamp` also to an hour or a
/// minute.
#[diagnostic::on_unimplemented(
    message = "`date_trunc` cannot cut a value of SQL type `{Self}` down to `{Unit}`",
    label = "truncates a `Date` to a year, month or day, a `Timestamp` also to an hour or minute",
    note = "a `Timestamptz` depends on the time zone it is read in: cast it to a `Timestamp` first"
)]
pub trait TruncatesTo<Unit>: SqlType {
    /// Whether the value is a date (and stays one), rather than a timestamp.
    const IS_DATE: bool;
}

macro_rules! truncates_to {
    ($st:ty, $is_date:literal: $($unit:ident),*) => {$(
        #[diagnostic::do_not_recommend]
        impl TruncatesTo<date_part::$unit> for $st {
            const IS_DATE: bool = $is_date;
        }
    )*};
}

truncates_to!(types::Date, true: Year, Month, Day);
truncates_to!(Timestamp, false: Year, Month, Day, Hour, Minute);

/// `value` cut down to the start of its `unit` (`date_part::Month`: the first of the month at
/// midnight), keeping its SQL type: `date_trunc('month', x)` on PostgreSQL, `strftime` on
/// SQLite, `DATE_FORMAT` on MySQL.
///
/// ```
/// use philtre::expression::{date_part, date_trunc};
/// # philtre::table! { orders (id) { id -> Integer, placed_at -> Timestamp, } }
/// let month = date_trunc(date_part::Month, orders::placed_at);
/// # let _ = month;
/// ```
pub fn date_trunc<Unit, E>(unit: Unit, value: E) -> DateTrunc<Unit, E>
where
    Unit: TruncationUnit,
    E: Expression,
    NotNullOf<E>: TruncatesTo<Unit>,
{
    let _ = unit;
    DateTrunc {
        value,
        is_date: <NotNullOf<E> as TruncatesTo<Unit>>::IS_DATE,
        _unit: PhantomData,
    }
}

/// See [`date_trunc`].
#[derive(Debug, Clone, Copy)]
pub struct DateTrunc<Unit, E> {
    value: E,
    // Worked out where the rule is checked, so that rendering does not check it again (a
    // second report of one mistake).
    is_date: bool,
    _unit: PhantomData<Unit>,
}

impl<Unit, E: Expression> Expression for DateTrunc<Unit, E> {
    type SqlType = E::SqlType;
}

crate::__impl_wrapper_appears_in!([Unit, E] DateTrunc<Unit, E>, E);

impl<Unit, E, DB> QueryFragment<DB> for DateTrunc<Unit, E>
where
    Unit: TruncationUnit,
    E: QueryFragment<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        let is_date = self.is_date;
        match DB::DATE_TRUNCATION {
            DateTruncation::DateTrunc => {
                // `date_trunc` of a date would give a timestamp (with time zone).
                out.push_sql(if is_date {
                    "CAST(date_trunc('"
                } else {
                    "date_trunc('"
                });
                out.push_sql(Unit::UNIT);
                out.push_sql("', ");
                self.value.to_sql(out);
                out.push_sql(if is_date { ") AS DATE)" } else { ")" });
            }
            DateTruncation::Strftime => {
                out.push_sql("strftime('");
                out.push_sql(Unit::DATE_PATTERN);
                if !is_date {
                    // As timestamps are stored, so that text comparisons with them hold.
                    out.push_sql(Unit::TIME_PATTERN);
                    out.push_sql(".000000");
                }
                out.push_sql("', ");
                self.value.to_sql(out);
                out.push_sql(")");
            }
            DateTruncation::DateFormat => {
                out.push_sql("CAST(DATE_FORMAT(");
                self.value.to_sql(out);
                out.push_sql(", '");
                out.push_sql(Unit::DATE_PATTERN);
                if !is_date {
                    out.push_sql(Unit::MYSQL_TIME_PATTERN);
                }
                out.push_sql(if is_date {
                    "') AS DATE)"
                } else {
                    "') AS DATETIME)"
                });
            }
            DateTruncation::Trunc => {
                // TRUNC of a TIMESTAMP gives a DATE.
                if !is_date {
                    out.push_sql("CAST(");
                }
                out.push_sql("TRUNC(");
                self.value.to_sql(out);
                out.push_sql(", '");
                out.push_sql(Unit::ORACLE_FORMAT);
                out.push_sql(if is_date { "')" } else { "') AS TIMESTAMP)" });
            }
            DateTruncation::DateAddDateDiff => {
                // Whole units since 1900-01-01 (day 0), added back to it: a DATETIME, exact
                // for whole minutes, cast back to the value's type.
                out.push_sql("CAST(DATEADD(");
                out.push_sql(Unit::KEYWORD);
                out.push_sql(", DATEDIFF(");
                out.push_sql(Unit::KEYWORD);
                out.push_sql(", 0, ");
                self.value.to_sql(out);
                out.push_sql("), 0) AS ");
                out.push_sql(if is_date { "DATE)" } else { "DATETIME2)" });
            }
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.value.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.value.has_static_sql()
    }
}

crate::__impl_as_expression!([Unit, E] DateTrunc<Unit, E>);
