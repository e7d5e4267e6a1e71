//! `agg FILTER (WHERE condition)`: an aggregate over only the rows of its group that meet a
//! condition — `count_star().filter(posts::published.eq(true))`. PostgreSQL and SQLite have
//! the clause; on MySQL and MariaDB it is written `agg(CASE WHEN condition THEN arg END)`, which
//! gives the same result (the aggregates skip the NULL a row that fails the condition yields).

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::query::UngroupedScope;
use crate::types::BooleanCondition;

use super::aggregate::{AggregateCall, AggregateName, CountStar};
use super::{AppearsIn, Expression, QueryFragment, ValidInWhere};

/// An aggregate with a `FILTER (WHERE condition)`; made by `.filter(..)` on an aggregate.
#[derive(Debug, Clone, Copy)]
pub struct FilteredAggregate<Agg, C> {
    aggregate: Agg,
    condition: C,
}

impl<F, E, ST, const D: bool> AggregateCall<F, E, ST, D> {
    /// `agg(x) FILTER (WHERE condition)`: aggregates only the rows where `condition` holds
    /// (a condition on the rows, not on the groups: no aggregates in it).
    pub fn filter<C>(self, condition: C) -> FilteredAggregate<Self, C>
    where
        C: Expression,
        C::SqlType: BooleanCondition,
    {
        FilteredAggregate {
            aggregate: self,
            condition,
        }
    }
}

impl CountStar {
    /// `COUNT(*) FILTER (WHERE condition)`: counts the rows where `condition` holds.
    pub fn filter<C>(self, condition: C) -> FilteredAggregate<Self, C>
    where
        C: Expression,
        C::SqlType: BooleanCondition,
    {
        FilteredAggregate {
            aggregate: self,
            condition,
        }
    }
}

impl<Agg: Expression, C> Expression for FilteredAggregate<Agg, C> {
    type SqlType = Agg::SqlType;
}

impl<Agg, C, QS, IA, IC> AppearsIn<QS, (IA, IC)> for FilteredAggregate<Agg, C>
where
    QS: UngroupedScope,
    Agg: AppearsIn<QS, IA>,
    // Like the aggregate's argument, the condition sees each row of the group.
    C: AppearsIn<QS::Ungrouped, IC>,
    C::Aggregation: ValidInWhere,
    Self: Expression,
{
    type Nullability = Agg::Nullability;
    type Aggregation = Agg::Aggregation;
    type SqlRow = Agg::SqlRow;
}

/// `CASE WHEN condition THEN` … ` END`, around what `then` writes.
fn write_case<DB: Backend>(
    condition: &impl QueryFragment<DB>,
    then: impl FnOnce(&mut SqlWriter<DB>),
    out: &mut SqlWriter<DB>,
) {
    out.push_sql("CASE WHEN ");
    super::write_condition(condition, out);
    out.push_sql(" THEN ");
    then(out);
    out.push_sql(" END");
}

fn write_filter<DB: Backend>(condition: &impl QueryFragment<DB>, out: &mut SqlWriter<DB>) {
    out.push_sql(" FILTER (WHERE ");
    super::write_condition(condition, out);
    out.push_sql(")");
}

impl<F, E, ST, C, DB, const D: bool> QueryFragment<DB>
    for FilteredAggregate<AggregateCall<F, E, ST, D>, C>
where
    DB: Backend,
    F: AggregateName,
    E: super::Expression + QueryFragment<DB>,
    C: QueryFragment<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        if DB::AGGREGATE_FILTER {
            self.aggregate.to_sql(out);
            write_filter(&self.condition, out);
        } else {
            out.push_sql(F::NAME);
            out.push_sql(if D { "(DISTINCT " } else { "(" });
            write_case(
                &self.condition,
                |out| {
                    super::aggregate::write_argument::<F, E, DB>(
                        |out| self.aggregate.argument().to_sql(out),
                        out,
                    )
                },
                out,
            );
            out.push_sql(")");
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if DB::AGGREGATE_FILTER {
            self.aggregate.collect_binds(out)?;
            self.condition.collect_binds(out)
        } else {
            self.condition.collect_binds(out)?;
            self.aggregate.collect_binds(out)
        }
    }
    fn has_static_sql(&self) -> bool {
        self.aggregate.has_static_sql() && self.condition.has_static_sql()
    }
}

impl<C, DB> QueryFragment<DB> for FilteredAggregate<CountStar, C>
where
    DB: Backend,
    C: QueryFragment<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        if DB::AGGREGATE_FILTER {
            out.push_sql("COUNT(*)");
            write_filter(&self.condition, out);
        } else {
            out.push_sql("COUNT(");
            write_case(&self.condition, |out| out.push_sql("1"), out);
            out.push_sql(")");
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.condition.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.condition.has_static_sql()
    }
}

crate::__impl_arithmetic!([Agg, C] FilteredAggregate<Agg, C>);
crate::__impl_as_expression!([Agg, C] FilteredAggregate<Agg, C>);
