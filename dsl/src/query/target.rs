//! What UPDATE and DELETE act on, and the RETURNING clause they share with INSERT.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, ReturningStyle, SqlWriter, SupportsReturning};
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
    // `T::Itself` (which is `T`) rather than `T`: for a join or a query, which is no table, the
    // compiler reports that once and, unable to work out this type, does not report the
    // DELETE or UPDATE again where it is run.
    type Table = T::Itself;
    type Where = NoWhere;
    fn into_target(self) -> (T::Itself, NoWhere) {
        (T::Itself::default(), NoWhere)
    }
}

// Not recommended: where something else was given (a join), the compiler would list this
// impl, full of internal types, as the one that exists; the rule's message already says that
// a table with `.filter(..)` is accepted.
#[diagnostic::do_not_recommend]
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
    /// The number of columns returned, counted in the selection's SQL: the commas outside
    /// parentheses and quotes (Oracle's `RETURNING … INTO` needs one output parameter each).
    fn width<DB: Backend>(&self) -> usize
    where
        S: QueryFragment<DB>,
    {
        let mut out = SqlWriter::<DB>::new();
        self.selection.to_sql(&mut out);
        let (mut depth, mut quote, mut width) = (0usize, None::<char>, 1);
        for c in out.as_str().chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'' | '[') => quote = Some(if c == '[' { ']' } else { c }),
                (None, '(') => depth += 1,
                (None, ')') => depth = depth.saturating_sub(1),
                (None, ',') if depth == 0 => width += 1,
                _ => {}
            }
        }
        width
    }

    pub(crate) fn new(selection: S) -> Self {
        Returning {
            selection,
            _row: PhantomData,
        }
    }
}

/// The statement a RETURNING clause belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DmlKind {
    /// INSERT (SQL Server's OUTPUT reads `inserted.…`).
    Insert,
    /// UPDATE (`inserted.…`: the new values).
    Update,
    /// DELETE (`deleted.…`).
    Delete,
}

/// Writes an optional RETURNING clause.
pub trait ReturningClause<DB: Backend> {
    /// Writes ` RETURNING …` (or the backend's form of it) or nothing.
    fn write_returning(&self, out: &mut SqlWriter<DB>, statement: DmlKind);
    /// Binds its values.
    fn collect_returning_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether its SQL is fixed by its type.
    fn returning_is_static(&self) -> bool;
    /// Whether it is written inside the statement (SQL Server's OUTPUT) rather than at its end.
    fn written_inside(&self) -> bool {
        false
    }
}

/// Writes `returning` of `statement`; an OUTPUT clause moves to byte `inside` (see
/// [`ReturningClause::written_inside`]).
pub(crate) fn write_returning_clause<R: ReturningClause<DB>, DB: Backend>(
    returning: &R,
    statement: DmlKind,
    inside: usize,
    out: &mut SqlWriter<DB>,
) {
    let start = out.as_str().len();
    returning.write_returning(out, statement);
    if returning.written_inside() {
        out.move_text(start, inside);
    }
}

impl<DB: Backend> ReturningClause<DB> for NoReturning {
    fn write_returning(&self, _: &mut SqlWriter<DB>, _: DmlKind) {}
    fn collect_returning_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn returning_is_static(&self) -> bool {
        true
    }
}

impl<S: QueryFragment<DB>, I, DB: SupportsReturning> ReturningClause<DB> for Returning<S, I> {
    fn write_returning(&self, out: &mut SqlWriter<DB>, statement: DmlKind) {
        match DB::RETURNING_STYLE {
            ReturningStyle::Standard => {
                out.push_sql(" RETURNING ");
                let previous = out.set_qualify_columns(false);
                self.selection.to_sql(out);
                out.set_qualify_columns(previous);
            }
            ReturningStyle::Output => {
                out.push_sql(" OUTPUT ");
                let table = if statement == DmlKind::Delete {
                    "deleted"
                } else {
                    "inserted"
                };
                let previous = out.set_column_table(Some(table));
                self.selection.to_sql(out);
                out.set_column_table(previous);
            }
            ReturningStyle::ReturningInto => {
                out.push_sql(" RETURNING ");
                let previous = out.set_qualify_columns(false);
                self.selection.to_sql(out);
                out.set_qualify_columns(previous);
                out.push_sql(" INTO ");
                for i in 0..self.width::<DB>() {
                    if i > 0 {
                        out.push_sql(", ");
                    }
                    out.push_bind_param();
                }
            }
        }
    }
    fn collect_returning_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.selection.collect_binds(out)?;
        if DB::RETURNING_STYLE == ReturningStyle::ReturningInto {
            for _ in 0..self.width::<DB>() {
                let parameter = DB::output_parameter().ok_or_else(|| {
                    crate::Error::new(
                        crate::ErrorKind::InvalidQuery,
                        format!(
                            "the {} backend has no output parameters for RETURNING … INTO",
                            DB::NAME
                        ),
                    )
                })?;
                out.push_value(parameter)?;
            }
        }
        Ok(())
    }
    fn written_inside(&self) -> bool {
        DB::RETURNING_STYLE == ReturningStyle::Output
    }
    fn returning_is_static(&self) -> bool {
        self.selection.has_static_sql()
    }
}
