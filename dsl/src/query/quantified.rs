//! `x > ALL (SELECT …)` and `x = ANY (SELECT …)`: a comparison with every, or with some, value
//! a subquery returns — SQLAlchemy's `all_()` and `any_()`. PostgreSQL, MySQL and MariaDB;
//! SQLite has neither (a compile error that names the rewrite).
//!
//! [`all_of`] and [`any_of`] are not expressions of their own: they stand only on the right
//! of a comparison (`users::score.gt(all_of(q))`), so that `select(all_of(q))` — which SQL
//! would read as `SELECT ALL (subquery)`, a different thing — does not compile.

use std::marker::PhantomData;

use crate::backend::{BindSink, SqlWriter, SupportsQuantifiedComparison};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, AsExpression, ConstantValue, Expression, QueryFragment};
use crate::types::{NotNullable, Nullable, SqlType};

use super::Query;
use super::scope::ScopeFrom;
use super::subquery::{OuterTablesIn, Subquery, SubqueryOf};

/// `ALL (subquery)`, for the right side of a comparison: `x > ALL (q)` holds when `x` is larger
/// than every value `q` returns (and when `q` returns none).
///
/// ```
/// use philtre::prelude::*;
/// use philtre::query::all_of;
/// # philtre::table! { users (id) { id -> Integer, score -> Integer, team -> Integer, } }
/// // Users who beat every member of team 2:
/// // … WHERE users.score > ALL (SELECT users.score FROM users WHERE users.team = $1)
/// let best = users::table.filter(users::score.gt(all_of(
///     users::table.filter(users::team.eq(2)).select(users::score),
/// )));
/// # let _ = best;
/// ```
pub fn all_of<Q: Subquery>(subquery: Q) -> Quantified<Q, true> {
    Quantified(subquery)
}

/// `ANY (subquery)`, for the right side of a comparison: `x < ANY (q)` holds when `x` is
/// smaller than some value `q` returns. (`x = ANY (q)` is `x IN (q)`: [`eq_any`] writes that.)
///
/// [`eq_any`]: crate::expression::ExpressionMethods::eq_any
pub fn any_of<Q: Subquery>(subquery: Q) -> Quantified<Q, false> {
    Quantified(subquery)
}

/// See [`all_of`] (`ALL` is `true`) and [`any_of`]; becomes a [`QuantifiedOperand`] on the
/// right of a comparison.
#[derive(Debug, Clone, Copy)]
pub struct Quantified<Q, const ALL: bool>(Q);

/// `ANY (subquery)` or `ALL (subquery)` on the right of a comparison, compared as SQL type
/// `ST` (nullable: a NULL among the subquery's values can make the comparison NULL).
#[derive(Debug, Clone, Copy)]
pub struct QuantifiedOperand<Q, ST, const ALL: bool>(Q, PhantomData<ST>);

#[diagnostic::do_not_recommend]
impl<Q, ST, const ALL: bool> AsExpression<ST> for Quantified<Q, ALL>
where
    ST: SqlType,
    Q: Query,
    Q::SqlRow: SubqueryOf<ST>,
{
    type Expression = QuantifiedOperand<Q, ST, ALL>;
    fn into_expression(self) -> Self::Expression {
        QuantifiedOperand(self.0, PhantomData)
    }
}

/// Rule: `all_of(..)` and `any_of(..)` stand on the right of a comparison, never alone. (Never
/// implemented: it only names the mistake.)
#[diagnostic::on_unimplemented(
    message = "`all_of(..)` and `any_of(..)` are not values: they stand on the right of a comparison",
    label = "compare with it instead: `column.gt(all_of(subquery))`",
    note = "alone, SQL would read `ALL (subquery)` as `SELECT ALL` over a scalar subquery; for the subquery's value use `.single_value()`"
)]
pub trait StandsRightOfAComparison {}

impl<Q, QS, I, const ALL: bool> AppearsIn<QS, I> for Quantified<Q, ALL>
where
    Self: StandsRightOfAComparison,
{
    type Nullability = NotNullable;
    type Aggregation = ConstantValue;
    type SqlRow = ();
}

impl<Q, const ALL: bool> super::SelectItem for Quantified<Q, ALL>
where
    Self: StandsRightOfAComparison,
{
    type SqlRow = ();
}

impl<Q, ST: SqlType, const ALL: bool> Expression for QuantifiedOperand<Q, ST, ALL> {
    type SqlType = Nullable<ST::NotNull>;
}

impl<Q: Subquery, ST: SqlType, QS: ScopeFrom, I, const ALL: bool> AppearsIn<QS, I>
    for QuantifiedOperand<Q, ST, ALL>
where
    Q::Outer: OuterTablesIn<QS::FromList, I>,
{
    type Nullability = NotNullable;
    type Aggregation = ConstantValue;
    type SqlRow = Nullable<ST::NotNull>;
}

impl<Q, ST, DB, const ALL: bool> QueryFragment<DB> for QuantifiedOperand<Q, ST, ALL>
where
    Q: QueryFragment<DB>,
    DB: SupportsQuantifiedComparison,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(if ALL { "ALL (" } else { "ANY (" });
        self.0.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}
