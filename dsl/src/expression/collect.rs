//! Aggregates that collect a group's values into one: `string_agg` (text joined by a
//! separator, on every backend) and `array_agg` (an array, PostgreSQL), each with an optional
//! `ORDER BY` inside the call; and the percentiles, ordered-set aggregates (`WITHIN GROUP`,
//! PostgreSQL).

use crate::backend::{
    Backend, BindSink, SqlWriter, StringAggregation, SupportsArrays, SupportsOrderedSetAggregates,
};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::query::UngroupedScope;
use crate::types::{self, Array, Nullable, Text, TextOperand};

use super::{Aggregation, AppearsIn, Bound, Expression, QueryFragment};

/// No `ORDER BY` inside an aggregate: the database's order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unordered;

/// `ORDER BY keys` inside an aggregate call.
#[derive(Debug, Clone, Copy)]
pub struct OrderedBy<K>(K);

/// The `ORDER BY` part of an aggregate call: [`Unordered`] or [`OrderedBy`].
pub trait AggregateOrder<DB: Backend> {
    /// Writes ` ORDER BY …`, or nothing.
    fn write_order(&self, out: &mut SqlWriter<DB>);
    /// The order keys' bind values.
    fn collect_order_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether the keys' SQL is the same for every value.
    fn order_is_static(&self) -> bool;
}

impl<DB: Backend> AggregateOrder<DB> for Unordered {
    fn write_order(&self, _: &mut SqlWriter<DB>) {}
    fn collect_order_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn order_is_static(&self) -> bool {
        true
    }
}

impl<K: QueryFragment<DB>, DB: Backend> AggregateOrder<DB> for OrderedBy<K> {
    fn write_order(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" ORDER BY ");
        self.0.to_sql(out);
    }
    fn collect_order_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn order_is_static(&self) -> bool {
        self.0.has_static_sql()
    }
}

/// Where the order keys of an aggregate may come from: like its argument, any column of the
/// query's tables, grouped or not.
pub trait OrderKeysIn<Scope, Index> {}
impl<Scope> OrderKeysIn<Scope, ()> for Unordered {}
impl<K, Scope, Index> OrderKeysIn<Scope, Index> for OrderedBy<K> where
    K: super::OrderTerm<Scope, Index>
{
}

/// `string_agg(text, separator)`: a group's non-NULL values joined by `separator`, NULL for a
/// group without any — `string_agg` on PostgreSQL, `group_concat` on SQLite and
/// `GROUP_CONCAT(… SEPARATOR …)` on MySQL and MariaDB (whose connections philtre opens with
/// `group_concat_max_len` raised, so that a long result is not cut at 1,024 bytes).
///
/// Without [`StringAgg::order_by`] the values come in whatever order the database reads them.
///
/// ```
/// use philtre::prelude::*;
/// use philtre::expression::string_agg;
/// # philtre::table! { users (id) { id -> Integer, name -> Text, team -> Text, } }
/// let names = users::table
///     .group_by(users::team)
///     .select((users::team, string_agg(users::name, ", ").order_by(users::name)));
/// # let _ = names;
/// ```
pub fn string_agg<E>(text: E, separator: impl Into<String>) -> StringAgg<E, Unordered>
where
    E: Expression,
    E::SqlType: TextOperand,
{
    StringAgg {
        text,
        separator: Bound::new(separator.into()),
        order: Unordered,
    }
}

/// See [`string_agg`].
#[derive(Debug, Clone)]
pub struct StringAgg<E, O> {
    text: E,
    separator: Bound<Text, String>,
    order: O,
}

impl<E> StringAgg<E, Unordered> {
    /// Joins the values in the order of `keys` (an expression, `.asc()`, `.desc()` or a
    /// tuple): `string_agg(x, ', ' ORDER BY keys)`. Needs SQLite 3.44 or later (the bundled
    /// one is).
    pub fn order_by<K>(self, keys: K) -> StringAgg<E, OrderedBy<K>> {
        StringAgg {
            text: self.text,
            separator: self.separator,
            order: OrderedBy(keys),
        }
    }
}

impl<E, O> Expression for StringAgg<E, O> {
    type SqlType = Nullable<Text>;
}

impl<E, O, QS, IE, IO> AppearsIn<QS, (IE, IO)> for StringAgg<E, O>
where
    QS: UngroupedScope,
    E: AppearsIn<QS::Ungrouped, IE>,
    O: OrderKeysIn<QS::Ungrouped, IO>,
{
    type Nullability = types::NotNullable;
    type Aggregation = <E::Aggregation as Aggregation>::Aggregated;
    type SqlRow = Nullable<Text>;
}

impl<E, O, DB> QueryFragment<DB> for StringAgg<E, O>
where
    E: QueryFragment<DB>,
    O: AggregateOrder<DB>,
    Bound<Text, String>: QueryFragment<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        match DB::STRING_AGGREGATION {
            StringAggregation::StringAgg | StringAggregation::GroupConcat => {
                out.push_sql(if DB::STRING_AGGREGATION == StringAggregation::StringAgg {
                    "string_agg("
                } else {
                    "group_concat("
                });
                self.text.to_sql(out);
                out.push_sql(", ");
                self.separator.to_sql(out);
                self.order.write_order(out);
                out.push_sql(")");
            }
            StringAggregation::ListAgg | StringAggregation::StringAggWithinGroup => {
                out.push_sql(if DB::STRING_AGGREGATION == StringAggregation::ListAgg {
                    "LISTAGG("
                } else {
                    "STRING_AGG("
                });
                self.text.to_sql(out);
                out.push_sql(", ");
                self.separator.to_sql(out);
                out.push_sql(")");
                let mut order = out.fork();
                self.order.write_order(&mut order);
                if !order.as_str().is_empty() {
                    out.push_sql(" WITHIN GROUP (");
                    out.push_sql(order.as_str().trim_start());
                    out.push_sql(")");
                    out.join_binds(&order);
                } else if DB::STRING_AGGREGATION == StringAggregation::ListAgg {
                    // Oracle before 18c requires the clause.
                    out.push_sql(" WITHIN GROUP (ORDER BY NULL)");
                }
            }
            StringAggregation::GroupConcatSeparator => {
                // The separator must be a literal there; as hexadecimal it needs no escaping
                // whatever the server's `sql_mode` says of backslashes.
                out.push_sql("GROUP_CONCAT(");
                self.text.to_sql(out);
                self.order.write_order(out);
                out.push_sql(" SEPARATOR ");
                if self.separator.value().is_empty() {
                    out.push_sql("''");
                } else {
                    use std::fmt::Write;
                    let mut hex = String::with_capacity(2 + 2 * self.separator.value().len());
                    hex.push_str("0x");
                    for byte in self.separator.value().bytes() {
                        // Writing to a String cannot fail.
                        let _ = write!(hex, "{byte:02x}");
                    }
                    out.push_sql(&hex);
                }
                out.push_sql(")");
            }
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.text.collect_binds(out)?;
        if DB::STRING_AGGREGATION != StringAggregation::GroupConcatSeparator {
            self.separator.collect_binds(out)?;
        }
        self.order.collect_order_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        DB::STRING_AGGREGATION != StringAggregation::GroupConcatSeparator
            && self.text.has_static_sql()
            && self.order.order_is_static()
    }
}

crate::__impl_as_expression!([E, O] StringAgg<E, O>);

/// `array_agg(x)`: a group's values, NULLs included, as an array (PostgreSQL; elsewhere a
/// compile error: use [`string_agg`], or load the rows and collect them in Rust).
pub fn array_agg<E: Expression>(value: E) -> ArrayAgg<E, Unordered> {
    ArrayAgg {
        value,
        order: Unordered,
    }
}

/// See [`array_agg`].
#[derive(Debug, Clone, Copy)]
pub struct ArrayAgg<E, O> {
    value: E,
    order: O,
}

impl<E> ArrayAgg<E, Unordered> {
    /// The values in the order of `keys`: `array_agg(x ORDER BY keys)`.
    pub fn order_by<K>(self, keys: K) -> ArrayAgg<E, OrderedBy<K>> {
        ArrayAgg {
            value: self.value,
            order: OrderedBy(keys),
        }
    }
}

impl<E: Expression, O> Expression for ArrayAgg<E, O> {
    type SqlType = Nullable<Array<E::SqlType>>;
}

impl<E, O, QS, IE, IO> AppearsIn<QS, (IE, IO)> for ArrayAgg<E, O>
where
    QS: UngroupedScope,
    E: Expression + AppearsIn<QS::Ungrouped, IE>,
    O: OrderKeysIn<QS::Ungrouped, IO>,
{
    type Nullability = types::NotNullable;
    type Aggregation = <E::Aggregation as Aggregation>::Aggregated;
    type SqlRow = Nullable<Array<E::SqlType>>;
}

crate::__impl_as_expression!([E, O] ArrayAgg<E, O>);

impl<E, O, DB> QueryFragment<DB> for ArrayAgg<E, O>
where
    E: QueryFragment<DB>,
    O: AggregateOrder<DB>,
    DB: SupportsArrays,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("array_agg(");
        self.value.to_sql(out);
        self.order.write_order(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.value.collect_binds(out)?;
        self.order.collect_order_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.value.has_static_sql() && self.order.order_is_static()
    }
}

/// `percentile_cont(fraction) WITHIN GROUP (ORDER BY value)`: the value at `fraction` (0 to 1)
/// of the group's sorted values, interpolated between the two nearest (a median is
/// `percentile_cont(0.5, x)`); a `Double`, NULL for an empty group (PostgreSQL).
pub fn percentile_cont<E: Expression>(fraction: f64, value: E) -> Percentile<E, true>
where
    E::SqlType: types::ArithmeticOperand,
{
    Percentile {
        fraction: Bound::new(fraction),
        value,
    }
}

/// `percentile_disc(fraction) WITHIN GROUP (ORDER BY value)`: the first of the group's sorted
/// values at or past `fraction` — one of the values themselves, of their type (PostgreSQL).
pub fn percentile_disc<E: Expression>(fraction: f64, value: E) -> Percentile<E, false> {
    Percentile {
        fraction: Bound::new(fraction),
        value,
    }
}

/// See [`percentile_cont`] (`CONTINUOUS`) and [`percentile_disc`].
#[derive(Debug, Clone, Copy)]
pub struct Percentile<E, const CONTINUOUS: bool> {
    fraction: Bound<types::Double, f64>,
    value: E,
}

impl<E: Expression> Expression for Percentile<E, true> {
    type SqlType = Nullable<types::Double>;
}

impl<E: Expression> Expression for Percentile<E, false>
where
    <E::SqlType as types::SqlType>::NotNull: types::SqlType,
{
    type SqlType = Nullable<<E::SqlType as types::SqlType>::NotNull>;
}

impl<E, QS, IE, const CONTINUOUS: bool> AppearsIn<QS, IE> for Percentile<E, CONTINUOUS>
where
    QS: UngroupedScope,
    E: Expression + AppearsIn<QS::Ungrouped, IE>,
    Self: Expression,
{
    type Nullability = types::NotNullable;
    type Aggregation = <E::Aggregation as Aggregation>::Aggregated;
    type SqlRow = <Self as Expression>::SqlType;
}

impl<E, DB, const CONTINUOUS: bool> QueryFragment<DB> for Percentile<E, CONTINUOUS>
where
    E: QueryFragment<DB>,
    DB: SupportsOrderedSetAggregates,
    f64: types::ToSql<types::Double, DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(if CONTINUOUS {
            "percentile_cont("
        } else {
            "percentile_disc("
        });
        self.fraction.to_sql(out);
        out.push_sql(") WITHIN GROUP (ORDER BY ");
        self.value.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        let fraction = *self.fraction.value();
        if !(0.0..=1.0).contains(&fraction) {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!("a percentile's fraction is between 0 and 1, not {fraction}"),
            ));
        }
        self.fraction.collect_binds(out)?;
        self.value.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.value.has_static_sql()
    }
}

crate::__impl_as_expression!([E, const CONTINUOUS: bool] Percentile<E, CONTINUOUS>);
