//! DELETE FROM … WHERE ….

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, Expression, QueryFragment};
use crate::schema::Table;
use crate::types::BooleanCondition;

use super::Query;
use super::clauses::WhereClause;
use super::scope::TableScope;
use super::selection::Selection;
use super::target::{IntoTarget, NoReturning, Returning, ReturningClause};

/// `DELETE FROM target`: a table (every row!) or a filtered table.
pub fn delete<T: IntoTarget>(target: T) -> DeleteStatement<T::Table, T::Where> {
    let (table, where_clause) = target.into_target();
    DeleteStatement {
        table,
        where_clause,
        returning: NoReturning,
    }
}

/// A DELETE; `execute` returns the number of rows deleted.
#[derive(Debug, Clone, Copy)]
#[must_use = "a DELETE does nothing until it is run with `execute`"]
pub struct DeleteStatement<T, W, R = NoReturning> {
    table: T,
    where_clause: W,
    returning: R,
}

impl<T: Table, W: WhereClause, R> DeleteStatement<T, W, R> {
    /// Adds a WHERE condition (AND with earlier ones).
    pub fn filter<P, I>(self, predicate: P) -> DeleteStatement<T, W::And<P>, R>
    where
        P: Expression + AppearsIn<TableScope<T>, I>,
        P::SqlType: BooleanCondition,
    {
        DeleteStatement {
            table: self.table,
            where_clause: self.where_clause.and(predicate),
            returning: self.returning,
        }
    }
}

impl<T: Table, W> DeleteStatement<T, W, NoReturning> {
    /// `RETURNING …` for the deleted rows. Not on MySQL.
    pub fn returning<S, I>(self, selection: S) -> DeleteStatement<T, W, Returning<S, I>>
    where
        S: Selection<TableScope<T>, I>,
    {
        DeleteStatement {
            table: self.table,
            where_clause: self.where_clause,
            returning: Returning::new(selection),
        }
    }
}

impl<T, W, S, I> Query for DeleteStatement<T, W, Returning<S, I>>
where
    T: Table,
    S: Selection<TableScope<T>, I>,
{
    type SqlRow = S::SqlRow;
}

impl<T: Table, W: QueryFragment<DB>, R: ReturningClause<DB>, DB: Backend> QueryFragment<DB>
    for DeleteStatement<T, W, R>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("DELETE FROM ");
        out.push_identifier(T::DESCRIPTION.name);
        self.where_clause.to_sql(out);
        self.returning.write_returning(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.where_clause.collect_binds(out)?;
        self.returning.collect_returning_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.where_clause.has_static_sql() && self.returning.returning_is_static()
    }
}
