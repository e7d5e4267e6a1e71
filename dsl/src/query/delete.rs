//! DELETE FROM … WHERE ….

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{OrderTerm, QueryFragment};
use crate::schema::Table;

use super::Query;
use super::clauses::{Limit, LimitValue, OrderClause, WhereClause, WhereCondition};
use super::prefix::PrefixableStatement;
use super::rows_taken::{RowsTaken, RowsTakenClause};
use super::scope::TableScope;
use super::selection::Selection;
use super::target::{
    DmlKind, IntoTarget, NoReturning, Returning, ReturningClause, write_returning_clause,
};

/// `DELETE FROM target`: a table (every row!) or a filtered table.
pub fn delete<T, Tbl, W>(target: T) -> DeleteStatement<Tbl, W>
where
    // The table and WHERE clause named, not projected, so that a wrong target is one error.
    T: IntoTarget<Table = Tbl, Where = W>,
{
    let (table, where_clause) = target.into_target();
    DeleteStatement {
        table,
        where_clause,
        returning: NoReturning,
        rows: RowsTaken::default(),
    }
}

/// A DELETE; `execute` returns the number of rows deleted.
#[derive(Debug, Clone, Copy)]
#[must_use = "a DELETE does nothing until it is run with `execute`"]
pub struct DeleteStatement<T, W, R = NoReturning, Rows = RowsTaken> {
    table: T,
    where_clause: W,
    returning: R,
    rows: Rows,
}

impl<T: Table, W: WhereClause, R, Rows> DeleteStatement<T, W, R, Rows> {
    /// Adds a WHERE condition (AND with earlier ones).
    pub fn filter<P, I>(self, predicate: P) -> DeleteStatement<T, W::And<P>, R, Rows>
    where
        P: WhereCondition<TableScope<T>, I>,
    {
        DeleteStatement {
            table: self.table,
            where_clause: self.where_clause.and(predicate),
            returning: self.returning,
            rows: self.rows,
        }
    }
}

impl<T: Table, W, R, O: OrderClause, L> DeleteStatement<T, W, R, RowsTaken<O, L>> {
    /// `ORDER BY terms`: the order in which rows are deleted, which decides the rows a
    /// [`DeleteStatement::limit`] takes (MySQL, MariaDB).
    pub fn order<Terms, I>(
        self,
        terms: Terms,
    ) -> DeleteStatement<T, W, R, RowsTaken<O::Then<Terms>, L>>
    where
        Terms: OrderTerm<TableScope<T>, I>,
    {
        DeleteStatement {
            table: self.table,
            where_clause: self.where_clause,
            returning: self.returning,
            rows: RowsTaken {
                order: self.rows.order.then(terms),
                limit: self.rows.limit,
            },
        }
    }
}

impl<T: Table, W, R, O, L: LimitValue> DeleteStatement<T, W, R, RowsTaken<O, L>> {
    /// `LIMIT n`: deletes at most `n` rows (MySQL, MariaDB), the first ones in
    /// [`DeleteStatement::order`]'s order.
    pub fn limit(self, n: i64) -> DeleteStatement<T, W, R, RowsTaken<O, Limit>> {
        DeleteStatement {
            table: self.table,
            where_clause: self.where_clause,
            returning: self.returning,
            rows: RowsTaken {
                order: self.rows.order,
                limit: Limit(n),
            },
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
            rows: RowsTaken::default(),
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

impl<T, W, R, Rows, DB> PrefixableStatement<DB> for DeleteStatement<T, W, R, Rows>
where
    T: Table,
    W: QueryFragment<DB>,
    R: ReturningClause<DB>,
    Rows: RowsTakenClause<DB>,
    DB: Backend,
{
    fn write_prefixed(&self, out: &mut SqlWriter<DB>, write_prefixes: &dyn Fn(&mut SqlWriter<DB>)) {
        out.push_sql("DELETE ");
        write_prefixes(out);
        out.push_sql("FROM ");
        out.push_table(T::DESCRIPTION);
        let output_at = out.as_str().len();
        self.where_clause.to_sql(out);
        self.rows.write_rows_taken(out);
        write_returning_clause(&self.returning, DmlKind::Delete, output_at, out);
    }
}

impl<T, W, R, Rows, DB> QueryFragment<DB> for DeleteStatement<T, W, R, Rows>
where
    T: Table,
    W: QueryFragment<DB>,
    R: ReturningClause<DB>,
    Rows: RowsTakenClause<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.write_prefixed(out, &|_| {});
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.where_clause.collect_binds(out)?;
        self.rows.collect_rows_taken_binds(out)?;
        self.returning.collect_returning_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.where_clause.has_static_sql()
            && self.rows.rows_taken_is_static()
            && self.returning.returning_is_static()
    }
}
