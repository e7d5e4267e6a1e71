//! Subqueries as expressions: `EXISTS (…)`, `x IN (SELECT …)`, and scalar subqueries, with
//! correlation to the tables of the enclosing query checked by the compiler.
//!
//! A subquery names the outer tables it refers to with `.correlate(table)` on its FROM source;
//! those tables become visible to its clauses, are not rendered in its FROM, and must be in the
//! FROM clause of the query it is used in.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, ConstantValue, Expression, QueryFragment};
use crate::schema::{Entry, Table, TableInFrom};
use crate::types::{Bool, NotNullable, Nullable, SqlType};

use super::join::FromClause;
use super::scope::ScopeFrom;
use super::source::QuerySource;
use super::{Query, SelectStatement};

/// A FROM source whose clauses may also use the columns of outer table `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Correlated<S, T> {
    source: S,
    _outer: PhantomData<T>,
}

impl<S, T> Correlated<S, T> {
    pub(crate) fn new(source: S) -> Self {
        Correlated {
            source,
            _outer: PhantomData,
        }
    }
}

impl<S: QuerySource, T: Table> QuerySource for Correlated<S, T> {
    type FromList = (Entry<T, NotNullable>, S::FromList);
    type DefaultSqlRow = S::DefaultSqlRow;
    type Outer = (T, S::Outer);
    const IS_JOIN: bool = S::IS_JOIN;
    fn write_default_selection<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        self.source.write_default_selection(out);
    }
}

impl<S: FromClause<DB>, T: Table, DB: Backend> FromClause<DB> for Correlated<S, T> {
    fn to_from_sql(&self, out: &mut SqlWriter<DB>) {
        self.source.to_from_sql(out);
    }
    fn collect_from_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.source.collect_from_binds(out)
    }
    fn has_static_from(&self) -> bool {
        self.source.has_static_from()
    }
}

/// Rule: the outer tables a correlated subquery refers to are in the enclosing query's FROM.
#[diagnostic::on_unimplemented(
    message = "this subquery refers to a table that is not in the FROM clause of the enclosing query",
    label = "correlated with a table the outer query does not select from",
    note = "`.correlate(table)` names tables of the enclosing query; join that table in the outer query"
)]
pub trait OuterTablesIn<FromList, Index> {}

impl<FL> OuterTablesIn<FL, ()> for () {}

impl<T, Rest, FL, I, IR> OuterTablesIn<FL, (I, IR)> for (T, Rest)
where
    FL: TableInFrom<T, I>,
    Rest: OuterTablesIn<FL, IR>,
{
}

/// A SELECT usable as a subquery: the outer tables it is correlated with.
pub trait Subquery {
    /// The outer tables, as a cons list.
    type Outer;
}

impl<F: QuerySource, S, D, W, G, H, O, L, Off, Lk> Subquery
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
{
    type Outer = F::Outer;
}

/// Writes `(subquery)`.
fn write_parenthesized<Q: QueryFragment<DB>, DB: Backend>(query: &Q, out: &mut SqlWriter<DB>) {
    out.push_sql("(");
    query.to_sql(out);
    out.push_sql(")");
}

/// `EXISTS (subquery)`.
pub fn exists<Q: Subquery>(subquery: Q) -> Exists<Q> {
    Exists(subquery)
}

/// See [`exists`].
#[derive(Debug, Clone, Copy)]
pub struct Exists<Q>(Q);

impl<Q> Expression for Exists<Q> {
    type SqlType = Bool;
}

impl<Q: Subquery, QS: ScopeFrom, I> AppearsIn<QS, I> for Exists<Q>
where
    Q::Outer: OuterTablesIn<QS::FromList, I>,
{
    type Nullability = NotNullable;
    type Aggregation = ConstantValue;
    type SqlRow = Bool;
}

impl<Q: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Exists<Q> {
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("EXISTS ");
        write_parenthesized(&self.0, out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

/// Rule: a subquery used as a value returns one column.
#[diagnostic::on_unimplemented(
    message = "a subquery used as a value must select exactly one column, not `{Self}`",
    label = "select a single expression in this subquery"
)]
pub trait SingleColumn {
    /// The column's SQL type.
    type SqlType: SqlType;
}

impl<ST: SqlType> SingleColumn for ST {
    type SqlType = ST;
}

/// `(subquery)` as a value: the single column of its first row, NULL when it has none.
#[derive(Debug, Clone, Copy)]
pub struct ScalarSubquery<Q>(Q);

impl<Q: Query> Expression for ScalarSubquery<Q>
where
    Q::SqlRow: SingleColumn,
{
    type SqlType = Nullable<<<Q::SqlRow as SingleColumn>::SqlType as SqlType>::NotNull>;
}

impl<Q: Subquery, QS: ScopeFrom, I> AppearsIn<QS, I> for ScalarSubquery<Q>
where
    Q::Outer: OuterTablesIn<QS::FromList, I>,
    Self: Expression,
{
    type Nullability = NotNullable;
    type Aggregation = ConstantValue;
    type SqlRow = <Self as Expression>::SqlType;
}

impl<Q: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for ScalarSubquery<Q> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        write_parenthesized(&self.0, out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

crate::__impl_arithmetic!([Q] ScalarSubquery<Q>);
crate::__impl_as_expression!([Q] ScalarSubquery<Q>);
crate::__impl_as_expression!([Q] Exists<Q>);

/// `expr IN (subquery)` (`NOT IN` when `NEGATED`).
#[derive(Debug, Clone, Copy)]
pub struct InSubquery<E, Q, const NEGATED: bool>(E, Q);

impl<E, Q, const NEGATED: bool> InSubquery<E, Q, NEGATED> {
    /// `expr IN (subquery)` or `expr NOT IN (subquery)`.
    pub(crate) fn with(expr: E, subquery: Q) -> Self {
        InSubquery(expr, subquery)
    }
}

impl<E, Q, const NEGATED: bool> Expression for InSubquery<E, Q, NEGATED> {
    type SqlType = Nullable<Bool>;
}

impl<E, Q, QS, IE, IQ, const NEGATED: bool> AppearsIn<QS, (IE, IQ)> for InSubquery<E, Q, NEGATED>
where
    E: AppearsIn<QS, IE>,
    Q: Subquery,
    QS: ScopeFrom,
    Q::Outer: OuterTablesIn<QS::FromList, IQ>,
{
    type Nullability = NotNullable;
    type Aggregation = E::Aggregation;
    type SqlRow = Nullable<Bool>;
}

impl<E: QueryFragment<DB>, Q: QueryFragment<DB>, DB: Backend, const NEGATED: bool> QueryFragment<DB>
    for InSubquery<E, Q, NEGATED>
{
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.0.to_sql(out);
        out.push_sql(if NEGATED { " NOT IN " } else { " IN " });
        write_parenthesized(&self.1, out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)?;
        self.1.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && self.1.has_static_sql()
    }
}

crate::__impl_as_expression!([E, Q, const NEGATED: bool] InSubquery<E, Q, NEGATED>);

/// Rule: `x IN (subquery)` compares values of one SQL type.
#[diagnostic::on_unimplemented(
    message = "the subquery returns `{Self}`, but the value it is compared with has SQL type `{ST}`",
    label = "select one column of SQL type `{ST}` in the subquery"
)]
pub trait SubqueryOf<ST> {}
impl<R: SingleColumn, ST: SqlType> SubqueryOf<ST> for R where
    <R::SqlType as SqlType>::NotNull: crate::expression::SameSqlType<ST::NotNull>
{
}

pub(crate) fn scalar<Q>(query: Q) -> ScalarSubquery<Q> {
    ScalarSubquery(query)
}
