//! UPDATE … SET … WHERE ….

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::{OrderTerm, QueryFragment};
use crate::schema::Table;

use super::Query;
use super::changeset::{AssignmentsIn, ColumnAssignments};
use super::clauses::{Limit, LimitValue, OrderClause, WhereClause, WhereCondition};
use super::prefix::PrefixableStatement;
use super::rows_taken::{RowsTaken, RowsTakenClause};
use super::scope::TableScope;
use super::selection::Selection;
use super::target::{
    DmlKind, IntoTarget, NoReturning, Returning, ReturningClause, write_returning_clause,
};

/// `UPDATE target`: add `.set(..)`. The target is a table or a filtered table.
pub fn update<T, Tbl, W>(target: T) -> IncompleteUpdate<Tbl, W>
where
    // The table and WHERE clause named, not projected, so that a wrong target is one error.
    T: IntoTarget<Table = Tbl, Where = W>,
{
    let (table, where_clause) = target.into_target();
    IncompleteUpdate {
        table,
        where_clause,
    }
}

/// Rule: an UPDATE has its SET clause before it runs.
#[diagnostic::on_unimplemented(
    message = "this UPDATE has no SET clause yet: add `.set(column.eq(value))` before running it",
    label = "an UPDATE without SET"
)]
pub trait UpdateHasSet {}

impl<T, W> IncompleteUpdate<T, W> {
    /// Not callable: an UPDATE needs its SET clause first. It exists so that `execute` without
    /// `.set(..)` reports that rule rather than "the method `execute` exists … but its trait
    /// bounds were not satisfied".
    #[doc(hidden)]
    pub fn execute<Conn>(self, _conn: &mut Conn) -> QueryResult<usize>
    where
        Self: UpdateHasSet,
    {
        Err(Error::new(ErrorKind::InvalidQuery, "an UPDATE without SET"))
    }
}

/// An UPDATE without its SET clause yet.
#[derive(Debug, Clone, Copy)]
#[must_use = "add `.set(..)`"]
pub struct IncompleteUpdate<T, W> {
    table: T,
    where_clause: W,
}

/// Things that can follow SET for table `T`: `col.eq(v)`, a tuple of them, or a derived
/// `AsChangeset` struct (whose `None` fields are left unchanged).
#[diagnostic::on_unimplemented(
    message = "the SET clause of an UPDATE of `{T}` takes `column.eq(value)` assignments of its columns",
    label = "expected `column.eq(value)`, a tuple of them, or a `#[derive(AsChangeset)]` struct",
    note = "every column must belong to `{T}`"
)]
pub trait AsChangeset<T> {
    /// The assignments.
    type Changes;
    /// Converts.
    fn into_changeset(self) -> Self::Changes;
}

impl<T: Table, W> IncompleteUpdate<T, W> {
    /// The new values. They may use columns of the updated table (`score.eq(score + 1)`).
    pub fn set<C, I>(self, changes: C) -> UpdateStatement<T, W, C::Changes>
    where
        C: AsChangeset<T>,
        C::Changes: AssignmentsIn<TableScope<T>, I>,
    {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause,
            changes: changes.into_changeset(),
            returning: NoReturning,
            rows: RowsTaken::default(),
        }
    }
}

/// A complete UPDATE; `execute` returns the number of rows changed.
#[derive(Debug, Clone)]
#[must_use = "an UPDATE does nothing until it is run with `execute`"]
pub struct UpdateStatement<T, W, C, R = NoReturning, Rows = RowsTaken> {
    table: T,
    where_clause: W,
    changes: C,
    returning: R,
    rows: Rows,
}

impl<T: Table, W: WhereClause, C, R, Rows> UpdateStatement<T, W, C, R, Rows> {
    /// Adds a WHERE condition (AND with earlier ones).
    pub fn filter<P, I>(self, predicate: P) -> UpdateStatement<T, W::And<P>, C, R, Rows>
    where
        P: WhereCondition<TableScope<T>, I>,
    {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause.and(predicate),
            changes: self.changes,
            returning: self.returning,
            rows: self.rows,
        }
    }
}

impl<T: Table, W, C, R, O: OrderClause, L> UpdateStatement<T, W, C, R, RowsTaken<O, L>> {
    /// `ORDER BY terms`: the order in which rows are changed, which decides the rows a
    /// [`UpdateStatement::limit`] takes (MySQL, MariaDB).
    pub fn order<Terms, I>(
        self,
        terms: Terms,
    ) -> UpdateStatement<T, W, C, R, RowsTaken<O::Then<Terms>, L>>
    where
        Terms: OrderTerm<TableScope<T>, I>,
    {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause,
            changes: self.changes,
            returning: self.returning,
            rows: RowsTaken {
                order: self.rows.order.then(terms),
                limit: self.rows.limit,
            },
        }
    }
}

impl<T: Table, W, C, R, O, L: LimitValue> UpdateStatement<T, W, C, R, RowsTaken<O, L>> {
    /// `LIMIT n`: changes at most `n` rows (MySQL, MariaDB), the first ones in
    /// [`UpdateStatement::order`]'s order.
    pub fn limit(self, n: i64) -> UpdateStatement<T, W, C, R, RowsTaken<O, Limit>> {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause,
            changes: self.changes,
            returning: self.returning,
            rows: RowsTaken {
                order: self.rows.order,
                limit: Limit(n),
            },
        }
    }
}

impl<T: Table, W, C> UpdateStatement<T, W, C, NoReturning> {
    /// `RETURNING …` for the changed rows. Not on MySQL.
    pub fn returning<S, I>(self, selection: S) -> UpdateStatement<T, W, C, Returning<S, I>>
    where
        S: Selection<TableScope<T>, I>,
    {
        UpdateStatement {
            table: self.table,
            where_clause: self.where_clause,
            changes: self.changes,
            returning: Returning::new(selection),
            rows: RowsTaken::default(),
        }
    }
}

impl<T, W, C, S, I> Query for UpdateStatement<T, W, C, Returning<S, I>>
where
    T: Table,
    S: Selection<TableScope<T>, I>,
{
    type SqlRow = S::SqlRow;
}

impl<T, W, C, R, Rows, DB> PrefixableStatement<DB> for UpdateStatement<T, W, C, R, Rows>
where
    DB: Backend,
    T: Table,
    W: QueryFragment<DB>,
    C: ColumnAssignments<DB>,
    R: ReturningClause<DB>,
    Rows: RowsTakenClause<DB>,
{
    fn write_prefixed(&self, out: &mut SqlWriter<DB>, write_prefixes: &dyn Fn(&mut SqlWriter<DB>)) {
        out.push_sql("UPDATE ");
        write_prefixes(out);
        out.push_table(T::DESCRIPTION);
        out.push_sql(" SET ");
        self.changes.write_assignments(out, &mut 0);
        let output_at = out.as_str().len();
        self.where_clause.to_sql(out);
        self.rows.write_rows_taken(out);
        write_returning_clause(&self.returning, DmlKind::Update, output_at, out);
    }
}

impl<T, W, C, R, Rows, DB> QueryFragment<DB> for UpdateStatement<T, W, C, R, Rows>
where
    DB: Backend,
    T: Table,
    W: QueryFragment<DB>,
    C: ColumnAssignments<DB>,
    R: ReturningClause<DB>,
    Rows: RowsTakenClause<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.write_prefixed(out, &|_| {});
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        let mut present = Vec::new();
        self.changes.presence(&mut present);
        if !present.contains(&true) {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "UPDATE of `{}` has no column to change",
                    T::DESCRIPTION.name
                ),
            ));
        }
        self.changes.collect_binds(out)?;
        self.where_clause.collect_binds(out)?;
        self.rows.collect_rows_taken_binds(out)?;
        self.returning.collect_returning_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.changes.has_static_sql()
            && self.where_clause.has_static_sql()
            && self.rows.rows_taken_is_static()
            && self.returning.returning_is_static()
    }
}
