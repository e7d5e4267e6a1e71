//! What UPDATE and DELETE act on, and the RETURNING clause they share with INSERT.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter, SupportsReturning};
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::schema::Table;

use super::clauses::{NoDistinct, NoWhere};
use super::select::SelectStatement;
use super::selection::DefaultSelection;

/// A table, or a table with filters, that UPDATE or DELETE can act on:
/// `update(users::table)`, `delete(users::table.filter(users::id.eq(1)))`, `delete(users::table.find(1))`.
#[diagnostic::on_unimplemented(
    message = "UPDATE and DELETE act on one table, or one table with `.filter(..)` / `.find(..)`: not on this",
    label = "expected a table, or a table with `.filter(..)` / `.find(..)` only",
    note = "ORDER BY, LIMIT, DISTINCT and a custom selection have no meaning here"
)]
pub trait IntoTarget {
    /// The table written to.
    type Table: Table;
    /// The WHERE clause carried over.
    type Where;
    /// Splits into table and WHERE clause.
    fn into_target(self) -> (Self::Table, Self::Where);
}

impl<T: Table> IntoTarget for T {
    type Table = T;
    type Where = NoWhere;
    fn into_target(self) -> (T, NoWhere) {
        (self, NoWhere)
    }
}

impl<T: Table, W> IntoTarget for SelectStatement<T, DefaultSelection, NoDistinct, W> {
    type Table = T;
    type Where = W;
    fn into_target(self) -> (T, W) {
        self.into_table_and_where()
    }
}

/// No RETURNING clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoReturning;

/// `RETURNING selection`; `I` locates its columns in the FROM list (inferred).
#[derive(Debug, Clone, Copy)]
pub struct Returning<S, I> {
    selection: S,
    _row: PhantomData<fn() -> I>,
}

impl<S, I> Returning<S, I> {
    pub(crate) fn new(selection: S) -> Self {
        Returning {
            selection,
            _row: PhantomData,
        }
    }
}

/// Writes an optional RETURNING clause.
pub trait ReturningClause<DB: Backend> {
    /// Writes ` RETURNING …` or nothing.
    fn write_returning(&self, out: &mut SqlWriter<DB>);
    /// Binds its values.
    fn collect_returning_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether its SQL is fixed by its type.
    fn returning_is_static(&self) -> bool;
}

impl<DB: Backend> ReturningClause<DB> for NoReturning {
    fn write_returning(&self, _: &mut SqlWriter<DB>) {}
    fn collect_returning_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn returning_is_static(&self) -> bool {
        true
    }
}

impl<S: QueryFragment<DB>, I, DB: SupportsReturning> ReturningClause<DB> for Returning<S, I> {
    fn write_returning(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" RETURNING ");
        let previous = out.set_qualify_columns(false);
        self.selection.to_sql(out);
        out.set_qualify_columns(previous);
    }
    fn collect_returning_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.selection.collect_binds(out)
    }
    fn returning_is_static(&self) -> bool {
        self.selection.has_static_sql()
    }
}
