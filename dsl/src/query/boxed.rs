//! Dynamic queries: a SELECT whose WHERE, ORDER BY, LIMIT and OFFSET grow at run time, and
//! boolean conditions built from run-time input.
//!
//! `query.into_boxed()` keeps in its type what the checks need (the FROM source, the select
//! list, the GROUP BY) and moves the rest behind shared pointers, so `filter`, `order`,
//! `limit` and `offset` return the same type and can run in a loop. Every condition and order
//! key is still checked against the FROM source when it is added. A [`BoxedCondition`] is a
//! condition of one fixed type, combined with `and`/`or` at run time, usable in any SELECT,
//! UPDATE or DELETE over the same FROM list.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, Expression, OrderTerm, PlainColumn, QueryFragment};
use crate::types::{Bool, NotNullable, Nullable};

use super::clauses::{LimitValue, WhereCondition};
use super::join::FromClause;
use super::scope::GroupByClause;
use super::select::{RowScope, SelectScope, WriteSelect};
use super::source::QuerySource;
use super::{AsQuery, Query, SelectClause, SelectStatement};

/// A fragment of SQL chosen at run time, shared between clones of its query.
pub type Part<'a, DB> = Arc<dyn QueryFragment<DB> + Send + Sync + 'a>;

/// A SELECT over source `F` with select clause `S` and grouping `G`, whose WHERE, ORDER BY,
/// LIMIT and OFFSET are extended at run time. Made by [`SelectStatement::into_boxed`].
#[must_use = "a query does nothing until it is run with `load`, `get_result`, `execute`, …"]
pub struct BoxedSelect<'a, F, S, G, DB: Backend> {
    from: F,
    select: S,
    group_by: G,
    distinct: Part<'a, DB>,
    having: Part<'a, DB>,
    conditions: Vec<Part<'a, DB>>,
    order: Vec<Part<'a, DB>>,
    fixed_order: Option<Part<'a, DB>>,
    limit: Option<i64>,
    offset: Option<i64>,
}

impl<F: Clone, S: Clone, G: Clone, DB: Backend> Clone for BoxedSelect<'_, F, S, G, DB> {
    fn clone(&self) -> Self {
        BoxedSelect {
            from: self.from.clone(),
            select: self.select.clone(),
            group_by: self.group_by.clone(),
            distinct: self.distinct.clone(),
            having: self.having.clone(),
            conditions: self.conditions.clone(),
            order: self.order.clone(),
            fixed_order: self.fixed_order.clone(),
            limit: self.limit,
            offset: self.offset,
        }
    }
}

/// The body of an optional clause (a WHERE condition, ORDER BY keys) without its keyword, for
/// boxing; `None` when the clause is absent.
pub trait ClauseBody<'a, DB: Backend> {
    /// The body, if the clause is present.
    fn into_body(self) -> Option<Part<'a, DB>>;
}

macro_rules! clause_bodies {
    ($($absent:ident, $present:ident;)*) => {$(
        impl<'a, DB: Backend> ClauseBody<'a, DB> for super::$absent {
            fn into_body(self) -> Option<Part<'a, DB>> {
                None
            }
        }

        impl<'a, X: QueryFragment<DB> + Send + Sync + 'a, DB: Backend> ClauseBody<'a, DB>
            for super::$present<X>
        {
            fn into_body(self) -> Option<Part<'a, DB>> {
                Some(Arc::new(self.0))
            }
        }
    )*};
}

clause_bodies! {
    NoWhere, Where;
    NoOrder, OrderBy;
}

impl<F, S, D, W, G, H, O, L, Off> SelectStatement<F, S, D, W, G, H, O, L, Off> {
    /// This query with its WHERE, ORDER BY, LIMIT and OFFSET open to change at run time, for
    /// backend `DB`: `filter`, `order`, `limit` and `offset` then keep the query's type.
    pub fn into_boxed<'a, DB: Backend>(self) -> BoxedSelect<'a, F, S, G, DB>
    where
        D: QueryFragment<DB> + Send + Sync + 'a,
        W: ClauseBody<'a, DB>,
        H: QueryFragment<DB> + Send + Sync + 'a,
        O: ClauseBody<'a, DB>,
        L: LimitValue,
        Off: LimitValue,
    {
        BoxedSelect {
            limit: self.limit.value().copied(),
            offset: self.offset.value().copied(),
            from: self.from,
            select: self.select,
            group_by: self.group_by,
            distinct: Arc::new(self.distinct),
            having: Arc::new(self.having),
            conditions: self.where_clause.into_body().into_iter().collect(),
            fixed_order: self.order.into_body(),
            order: Vec::new(),
        }
    }
}

impl<'a, F, S, G, DB: Backend> BoxedSelect<'a, F, S, G, DB> {
    /// The same query with its FROM source and select clause replaced.
    pub(crate) fn map_parts<NF, NS>(
        self,
        from: impl FnOnce(F) -> NF,
        select: impl FnOnce(S) -> NS,
    ) -> BoxedSelect<'a, NF, NS, G, DB> {
        BoxedSelect {
            from: from(self.from),
            select: select(self.select),
            group_by: self.group_by,
            distinct: self.distinct,
            having: self.having,
            conditions: self.conditions,
            order: self.order,
            fixed_order: self.fixed_order,
            limit: self.limit,
            offset: self.offset,
        }
    }

    /// Whether a LIMIT or OFFSET is set.
    pub(crate) fn has_limit_or_offset(&self) -> bool {
        self.limit.is_some() || self.offset.is_some()
    }
}

impl<'a, F: QuerySource, S, G: GroupByClause, DB: Backend> BoxedSelect<'a, F, S, G, DB> {
    /// Adds a WHERE condition, joined to the others with AND.
    pub fn filter<P, I>(mut self, predicate: P) -> Self
    where
        P: WhereCondition<RowScope<F>, I> + QueryFragment<DB> + Send + Sync + 'a,
    {
        self.conditions.push(Arc::new(predicate));
        self
    }

    /// Appends ORDER BY keys: an expression, `.asc()`, `.desc()`, or a tuple.
    pub fn order<T, I>(mut self, terms: T) -> Self
    where
        T: OrderTerm<SelectScope<F, G>, I> + QueryFragment<DB> + Send + Sync + 'a,
    {
        self.order.push(Arc::new(terms));
        self
    }

    /// Drops every ORDER BY key, including those given before boxing.
    pub fn clear_order(mut self) -> Self {
        self.order.clear();
        self.fixed_order = None;
        self
    }

    /// `LIMIT n`, or no limit for `None`.
    pub fn limit(mut self, n: impl Into<Option<i64>>) -> Self {
        self.limit = n.into();
        self
    }

    /// `OFFSET n`, or none for `None`.
    pub fn offset(mut self, n: impl Into<Option<i64>>) -> Self {
        self.offset = n.into();
        self
    }
}

impl<F, S, G, DB: Backend> super::ReadOnlyQuery for BoxedSelect<'_, F, S, G, DB> {}

impl<F: QuerySource, S: SelectClause<F, G>, G, DB: Backend> Query for BoxedSelect<'_, F, S, G, DB> {
    type SqlRow = S::SqlRow;
}

impl<F, S, G, DB: Backend> AsQuery for BoxedSelect<'_, F, S, G, DB> {
    type Query = Self;
    fn into_query(self) -> Self {
        self
    }
    fn with_query<R>(&self, f: impl FnOnce(&Self) -> R) -> R {
        f(self)
    }
}

impl<F: QuerySource, S, G, DB: Backend> super::Subquery for BoxedSelect<'_, F, S, G, DB> {
    type Outer = F::Outer;
}

fn write_list<DB: Backend>(parts: &[&Part<'_, DB>], separator: &str, out: &mut SqlWriter<DB>) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_sql(separator);
        }
        part.to_sql(out);
    }
}

impl<F, S, G, DB> super::row_limiting::SelectParts<DB> for BoxedSelect<'_, F, S, G, DB>
where
    DB: Backend,
    F: FromClause<DB>,
    S: WriteSelect<F, DB>,
    G: QueryFragment<DB>,
{
    fn write_distinct(&self, out: &mut SqlWriter<DB>) {
        self.distinct.to_sql(out);
    }
    fn write_list(&self, out: &mut SqlWriter<DB>) {
        self.select.write_select(&self.from, out);
    }
    fn write_from(&self, out: &mut SqlWriter<DB>) {
        super::no_from::write_from(&self.from, out);
    }
    fn write_filters(&self, out: &mut SqlWriter<DB>) {
        if !self.conditions.is_empty() {
            out.push_sql(" WHERE ");
            // Each condition is parenthesised: one may be an OR.
            for (i, condition) in self.conditions.iter().enumerate() {
                out.push_sql(if i > 0 { " AND (" } else { "(" });
                crate::expression::write_condition(&**condition, out);
                out.push_sql(")");
            }
        }
        self.group_by.to_sql(out);
        self.having.to_sql(out);
    }
    fn write_order(&self, out: &mut SqlWriter<DB>) {
        let order: Vec<&Part<'_, DB>> = self.fixed_order.iter().chain(&self.order).collect();
        if !order.is_empty() {
            out.push_sql(" ORDER BY ");
            write_list(&order, ", ", out);
        }
    }
    fn write_lock(&self, _: &mut SqlWriter<DB>) {}
    fn bind_distinct<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        self.distinct.collect_binds(out)
    }
    fn bind_list<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        self.select.collect_select_binds(out)
    }
    fn bind_body<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        self.from.collect_from_binds(out)?;
        for condition in &self.conditions {
            condition.collect_binds(out)?;
        }
        self.group_by.collect_binds(out)?;
        self.having.collect_binds(out)
    }
    fn bind_order<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        for key in self.fixed_order.iter().chain(&self.order) {
            key.collect_binds(out)?;
        }
        Ok(())
    }
    fn limit(&self) -> Option<&i64> {
        self.limit.as_ref()
    }
    fn offset(&self) -> Option<&i64> {
        self.offset.as_ref()
    }
}

impl<F, S, G, DB> QueryFragment<DB> for BoxedSelect<'_, F, S, G, DB>
where
    DB: Backend,
    F: FromClause<DB>,
    S: WriteSelect<F, DB>,
    G: QueryFragment<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        super::row_limiting::write_select(self, &|_| {}, out);
    }
    fn collect_binds<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        super::row_limiting::bind_select(self, out)
    }
    fn has_static_sql(&self) -> bool {
        // The clauses change at run time while the type stays the same: never cache by type.
        false
    }
}

/// A boolean condition over scope `QS` (a FROM list), built at run time: start with
/// [`BoxedCondition::new`], extend with `and` / `or`, and pass it to `filter` of a SELECT,
/// UPDATE or DELETE over the same tables.
pub struct BoxedCondition<'a, QS, DB: Backend> {
    sql: Part<'a, DB>,
    _scope: PhantomData<fn() -> QS>,
}

impl<QS, DB: Backend> Clone for BoxedCondition<'_, QS, DB> {
    fn clone(&self) -> Self {
        BoxedCondition {
            sql: self.sql.clone(),
            _scope: PhantomData,
        }
    }
}

impl<'a, QS, DB: Backend> BoxedCondition<'a, QS, DB> {
    /// A condition, checked against the scope it will be used in (inferred from that use).
    pub fn new<P, I>(predicate: P) -> Self
    where
        P: WhereCondition<QS, I> + QueryFragment<DB> + Send + Sync + 'a,
    {
        BoxedCondition {
            sql: Arc::new(predicate),
            _scope: PhantomData,
        }
    }

    fn combine<P, I>(self, keyword: &'static str, other: P) -> Self
    where
        P: WhereCondition<QS, I> + QueryFragment<DB> + Send + Sync + 'a,
    {
        BoxedCondition {
            sql: Arc::new(Combined {
                left: self.sql,
                keyword,
                right: Arc::new(other),
            }),
            _scope: PhantomData,
        }
    }

    /// `(self AND other)`.
    pub fn and<P, I>(self, other: P) -> Self
    where
        P: WhereCondition<QS, I> + QueryFragment<DB> + Send + Sync + 'a,
    {
        self.combine(" AND ", other)
    }

    /// `(self OR other)`.
    pub fn or<P, I>(self, other: P) -> Self
    where
        P: WhereCondition<QS, I> + QueryFragment<DB> + Send + Sync + 'a,
    {
        self.combine(" OR ", other)
    }
}

struct Combined<'a, DB: Backend> {
    left: Part<'a, DB>,
    keyword: &'static str,
    right: Part<'a, DB>,
}

impl<DB: Backend> QueryFragment<DB> for Combined<'_, DB> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("(");
        self.left.to_sql(out);
        out.push_sql(self.keyword);
        self.right.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        self.left.collect_binds(out)?;
        self.right.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        false
    }
}

impl<QS, DB: Backend> Expression for BoxedCondition<'_, QS, DB> {
    type SqlType = Nullable<Bool>;
}

impl<QS, DB: Backend> AppearsIn<QS, ()> for BoxedCondition<'_, QS, DB> {
    type Nullability = NotNullable;
    type Aggregation = PlainColumn;
    type SqlRow = Nullable<Bool>;
}

impl<QS, DB: Backend> QueryFragment<DB> for BoxedCondition<'_, QS, DB> {
    fn condition_form(&self) -> Option<bool> {
        self.sql.condition_form()
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.sql.to_sql(out);
    }
    fn collect_binds<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        self.sql.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        false
    }
}
