//! INSERT: one row from a tuple of assignments or a derived struct, many rows from a slice.

use crate::backend::UpsertForm;
use crate::backend::{Backend, BindSink, SqlWriter};
use std::future::Future;
use std::pin::Pin;

use crate::connection::{
    AsyncConnection, Awaiting, Blocking, Connection, close_level_async, open_level_async,
};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::QueryFragment;
use crate::schema::{Table, TableDescription};

use super::Query;
use super::changeset::ColumnAssignments;
use super::render::RenderStatement;
use super::required_columns::{CoversRequired, InsertedColumns};
use super::scope::TableScope;
use super::selection::Selection;
use super::target::{DmlKind, NoReturning, Returning, ReturningClause, write_returning_clause};
use super::upsert::{ConflictClause, NoConflict};

/// `INSERT INTO table …`: add `.values(..)` or `.default_values()`.
pub fn insert_into<T: Table>(table: T) -> IncompleteInsert<T> {
    IncompleteInsert { table }
}

/// An INSERT that has its table but no values yet.
#[derive(Debug, Clone, Copy)]
#[must_use = "add `.values(..)` or `.default_values()`"]
pub struct IncompleteInsert<T> {
    table: T,
}

/// Rule: an INSERT has its values before it runs.
#[diagnostic::on_unimplemented(
    message = "this INSERT has no values yet: add `.values(..)` (or `.default_values()`) before running it",
    label = "an INSERT without values"
)]
pub trait InsertHasValues {}

impl<T> IncompleteInsert<T> {
    /// Not callable: an INSERT needs its values first. It exists so that `execute` without
    /// `.values(..)` reports that rule rather than "the method `execute` exists for struct
    /// `IncompleteInsert<…>`, but its trait bounds were not satisfied".
    #[doc(hidden)]
    pub fn execute<Conn>(self, _conn: &mut Conn) -> QueryResult<usize>
    where
        Self: InsertHasValues,
    {
        Err(Error::new(
            ErrorKind::InvalidQuery,
            "an INSERT without values",
        ))
    }
}

/// What can be inserted into table `T`: `col.eq(v)`, a tuple of them, a derived `Insertable`
/// struct (or a reference to one), or a slice / `Vec` of those for a multi-row INSERT.
#[diagnostic::on_unimplemented(
    message = "these values cannot be inserted into table `{T}`",
    label = "expected `column.eq(value)`, a tuple of them, a `#[derive(Insertable)]` struct, or a slice of those",
    note = "every column must belong to `{T}`"
)]
pub trait Insertable<T> {
    /// The assignments, or the rows of a batch.
    type Values;
    /// Converts.
    fn values(self) -> Self::Values;
}

impl<'a, T, X> Insertable<T> for &'a [X]
where
    &'a X: Insertable<T>,
{
    type Values = BatchInsert<<&'a X as Insertable<T>>::Values>;
    fn values(self) -> Self::Values {
        BatchInsert::new(self.iter().map(Insertable::values).collect())
    }
}

impl<'a, T, X> Insertable<T> for &'a Vec<X>
where
    &'a X: Insertable<T>,
{
    type Values = BatchInsert<<&'a X as Insertable<T>>::Values>;
    fn values(self) -> Self::Values {
        self.as_slice().values()
    }
}

impl<T, X: Insertable<T>> Insertable<T> for Vec<X> {
    type Values = BatchInsert<X::Values>;
    fn values(self) -> Self::Values {
        BatchInsert::new(self.into_iter().map(Insertable::values).collect())
    }
}

/// The rows of a multi-row INSERT.
#[derive(Debug, Clone)]
pub struct BatchInsert<R> {
    rows: Vec<R>,
    /// Set once the rows are known to leave out the same columns, so that rendering, shaping
    /// and binding the statement do not each check it again.
    known_uniform: bool,
}

impl<R> BatchInsert<R> {
    fn new(rows: Vec<R>) -> Self {
        BatchInsert {
            rows,
            known_uniform: false,
        }
    }

    fn is_uniform<DB: Backend>(&self) -> bool
    where
        R: ColumnAssignments<DB>,
    {
        self.known_uniform || uniform::<R, DB>(&self.rows)
    }
}

impl<T: Table, X, C: Clone> InsertStatement<T, BatchInsert<X>, NoReturning, C> {
    /// Runs the INSERT and returns the number of rows inserted — at once on a blocking
    /// connection, as a future to await on an async one.
    ///
    /// On a backend without `DEFAULT` inside `VALUES` (SQLite), rows that leave different
    /// `Option` fields to their defaults cannot share one statement: they are inserted as
    /// consecutive groups of alike rows, in one transaction (a savepoint if one is open), so
    /// the INSERT still succeeds or fails as a whole.
    pub fn execute<'c, Conn, Mode>(self, conn: &'c mut Conn) -> Conn::Output<'c>
    where
        Conn: InsertsRows<T, X, C, Mode>,
        T: 'c,
        X: 'c,
        C: 'c,
    {
        conn.insert_rows(self)
    }
}

/// A connection that can run a multi-row INSERT: every [`Connection`] (and every
/// [`AsyncConnection`]) whose backend can render it, and a connection whose backend is chosen
/// at run time when all of its backends can. See [`InsertStatement::execute`]. `Mode` is
/// [`Blocking`] or [`Awaiting`].
pub trait InsertsRows<T, X, C, Mode> {
    /// `QueryResult<usize>` on a blocking connection, a future of it on an async one.
    type Output<'c>
    where
        Self: 'c,
        T: 'c,
        X: 'c,
        C: 'c;
    /// Runs `statement` and returns the number of rows inserted.
    fn insert_rows<'c>(
        &'c mut self,
        statement: InsertStatement<T, BatchInsert<X>, NoReturning, C>,
    ) -> Self::Output<'c>
    where
        T: 'c,
        X: 'c,
        C: 'c;
}

/// How a multi-row INSERT is sent: as one statement, or — on a backend without `DEFAULT` in
/// `VALUES`, when rows leave different columns to their defaults — as groups of alike rows.
enum BatchPlan<T, X, C> {
    One(InsertStatement<T, BatchInsert<X>, NoReturning, C>),
    Groups(Vec<InsertStatement<T, BatchInsert<X>, NoReturning, C>>),
}

fn batch_plan<DB: Backend, T: Table, X: ColumnAssignments<DB>, C: Clone>(
    statement: InsertStatement<T, BatchInsert<X>, NoReturning, C>,
) -> BatchPlan<T, X, C> {
    if uniform::<X, DB>(&statement.values.rows) {
        let mut statement = statement;
        statement.values.known_uniform = true;
        return BatchPlan::One(statement);
    }
    if DB::DEFAULT_IN_VALUES {
        return BatchPlan::One(statement);
    }
    let InsertStatement {
        table,
        values,
        returning,
        conflict,
    } = statement;
    let mut groups: Vec<Vec<X>> = Vec::new();
    let mut last: Option<Vec<bool>> = None;
    for row in values.rows {
        let mut mask = Vec::new();
        row.presence(&mut mask);
        match (&last, groups.last_mut()) {
            (Some(prev), Some(group)) if *prev == mask => group.push(row),
            _ => groups.push(vec![row]),
        }
        last = Some(mask);
    }
    BatchPlan::Groups(
        groups
            .into_iter()
            .map(|group| InsertStatement {
                table,
                values: BatchInsert {
                    rows: group,
                    known_uniform: true,
                },
                returning,
                conflict: conflict.clone(),
            })
            .collect(),
    )
}

impl<Conn, T, X, C> InsertsRows<T, X, C, Blocking> for Conn
where
    Conn: Connection,
    T: Table,
    C: Clone,
    X: ColumnAssignments<Conn::Backend>,
    InsertStatement<T, BatchInsert<X>, NoReturning, C>: QueryFragment<Conn::Backend>,
{
    type Output<'c>
        = QueryResult<usize>
    where
        Self: 'c,
        T: 'c,
        X: 'c,
        C: 'c;

    fn insert_rows<'c>(
        &'c mut self,
        statement: InsertStatement<T, BatchInsert<X>, NoReturning, C>,
    ) -> QueryResult<usize>
    where
        T: 'c,
        X: 'c,
        C: 'c,
    {
        insert_batch(self, statement)
    }
}

/// Runs a multi-row INSERT on a blocking connection, as [`InsertStatement::execute`] does;
/// for connections that wrap several (the engine's any-backend connection).
pub fn insert_batch<Conn, T, X, C>(
    conn: &mut Conn,
    statement: InsertStatement<T, BatchInsert<X>, NoReturning, C>,
) -> QueryResult<usize>
where
    Conn: Connection,
    T: Table,
    C: Clone,
    X: ColumnAssignments<Conn::Backend>,
    InsertStatement<T, BatchInsert<X>, NoReturning, C>: QueryFragment<Conn::Backend>,
{
    match batch_plan::<Conn::Backend, _, _, _>(statement) {
        BatchPlan::One(statement) => conn.execute_query(&statement),
        BatchPlan::Groups(groups) => conn.transaction(|conn| {
            let mut inserted = 0;
            for statement in &groups {
                inserted += conn.execute_query(statement)?;
            }
            Ok(inserted)
        }),
    }
}

impl<Conn, T, X, C> InsertsRows<T, X, C, Awaiting> for Conn
where
    Conn: AsyncConnection,
    T: Table + Send + Sync,
    C: Clone + Send + Sync,
    X: ColumnAssignments<Conn::Backend> + Send + Sync,
    InsertStatement<T, BatchInsert<X>, NoReturning, C>: QueryFragment<Conn::Backend>,
{
    type Output<'c>
        = Pin<Box<dyn Future<Output = QueryResult<usize>> + Send + 'c>>
    where
        Self: 'c,
        T: 'c,
        X: 'c,
        C: 'c;

    fn insert_rows<'c>(
        &'c mut self,
        statement: InsertStatement<T, BatchInsert<X>, NoReturning, C>,
    ) -> Self::Output<'c>
    where
        T: 'c,
        X: 'c,
        C: 'c,
    {
        let plan = batch_plan::<Conn::Backend, _, _, _>(statement);
        Box::pin(async move {
            match plan {
                // `execute_query` and `open_level_async` first roll back what a dropped
                // future left open.
                BatchPlan::One(statement) => self.execute_query(&statement).await,
                BatchPlan::Groups(groups) => {
                    let (savepoint, level) = open_level_async(self).await?;
                    let mut inserted = 0;
                    for statement in &groups {
                        match self.execute_query(statement).await {
                            Ok(n) => inserted += n,
                            Err(e) => {
                                let _ = close_level_async(self, savepoint.as_deref(), level, false)
                                    .await;
                                return Err(e);
                            }
                        }
                    }
                    close_level_async(self, savepoint.as_deref(), level, true).await?;
                    Ok(inserted)
                }
            }
        })
    }
}

/// `INSERT INTO t DEFAULT VALUES`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultValues;

impl<T: Table> IncompleteInsert<T> {
    /// The row(s) to insert. Every column that needs a value — NOT NULL, no default — must get
    /// one, or the INSERT does not compile.
    pub fn values<V>(self, values: V) -> InsertStatement<T, V::Values>
    where
        V: Insertable<T>,
        T::Required: CoversRequired<<V::Values as InsertedColumns>::Columns>,
        V::Values: InsertedColumns,
    {
        InsertStatement {
            table: self.table,
            values: values.values(),
            returning: NoReturning,
            conflict: NoConflict,
        }
    }

    pub(super) fn values_part<V>(self, values: V) -> InsertStatement<T, V> {
        InsertStatement {
            table: self.table,
            values,
            returning: NoReturning,
            conflict: NoConflict,
        }
    }

    /// One row made only of column defaults (every column must have one, or be nullable).
    pub fn default_values(self) -> InsertStatement<T, DefaultValues>
    where
        T::Required: CoversRequired<()>,
    {
        InsertStatement {
            table: self.table,
            values: DefaultValues,
            returning: NoReturning,
            conflict: NoConflict,
        }
    }
}

/// A complete INSERT; run it with `execute`, or with `get_result`/`load` after `returning`.
#[derive(Debug, Clone)]
#[must_use = "an INSERT does nothing until it is run with `execute` or `get_result`"]
pub struct InsertStatement<T, V, R = NoReturning, C = NoConflict> {
    table: T,
    values: V,
    returning: R,
    conflict: C,
}

impl<T: Table, V> InsertStatement<T, V> {
    pub(crate) fn with_conflict<C>(self, conflict: C) -> InsertStatement<T, V, NoReturning, C> {
        InsertStatement {
            table: self.table,
            values: self.values,
            returning: NoReturning,
            conflict,
        }
    }
}

impl<T, V, R, C> InsertStatement<T, V, R, C> {
    /// The same INSERT with its conflict clause changed by `change`.
    pub(crate) fn map_conflict<C2>(
        self,
        change: impl FnOnce(C) -> C2,
    ) -> InsertStatement<T, V, R, C2> {
        InsertStatement {
            table: self.table,
            values: self.values,
            returning: self.returning,
            conflict: change(self.conflict),
        }
    }
}

impl<T: Table, V, C> InsertStatement<T, V, NoReturning, C> {
    /// `RETURNING …`: the statement then yields rows (`get_result`, `load`). Not on MySQL.
    pub fn returning<S, I>(self, selection: S) -> InsertStatement<T, V, Returning<S, I>, C>
    where
        S: Selection<TableScope<T>, I>,
    {
        InsertStatement {
            table: self.table,
            values: self.values,
            returning: Returning::new(selection),
            conflict: self.conflict,
        }
    }
}

impl<T, V, S, I, C> Query for InsertStatement<T, V, Returning<S, I>, C>
where
    T: Table,
    S: Selection<TableScope<T>, I>,
{
    type SqlRow = S::SqlRow;
}

/// The VALUES part of an INSERT for backend `DB`.
pub trait InsertValues<DB: Backend> {
    /// Writes ` (cols) VALUES (…)` or the backend's default-values form for `table` (which
    /// names a column where the database has no `DEFAULT VALUES`).
    fn write_insert_values(&self, table: &'static TableDescription, out: &mut SqlWriter<DB>);
    /// Binds the values.
    fn collect_insert_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether the SQL depends only on the type.
    fn insert_is_static(&self) -> bool;
    /// See [`QueryFragment::sql_shape`].
    fn insert_shape(&self, shape: &mut crate::expression::SqlShape) -> bool {
        let _ = shape;
        self.insert_is_static()
    }
}

impl<DB: Backend> InsertValues<DB> for DefaultValues {
    fn write_insert_values(&self, table: &'static TableDescription, out: &mut SqlWriter<DB>) {
        DB::push_insert_default_values(table, out);
    }
    fn collect_insert_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn insert_is_static(&self) -> bool {
        true
    }
}

fn write_one_row<X: ColumnAssignments<DB>, DB: Backend>(row: &X, out: &mut SqlWriter<DB>) {
    out.push_sql("(");
    row.write_values(out, &mut 0);
    out.push_sql(")");
}

/// One row of assignments as the VALUES part of an INSERT.
pub(crate) fn write_single_row<X: ColumnAssignments<DB>, DB: Backend>(
    row: &X,
    table: &'static TableDescription,
    out: &mut SqlWriter<DB>,
) {
    {
        let mut columns = 0;
        let start = out.as_str().len();
        out.push_sql(" (");
        row.write_columns(out, &mut columns);
        if columns == 0 {
            // Every column left to its default.
            out.truncate(start);
            return DB::push_insert_default_values(table, out);
        }
        out.push_sql(")");
        out.mark_insert_values();
        out.push_sql(" VALUES ");
        write_one_row(row, out);
    }
}

/// Whether every row leaves the same columns to their defaults.
fn uniform<X: ColumnAssignments<DB>, DB: Backend>(rows: &[X]) -> bool {
    // Rows without optional columns always name every column.
    if !X::MAY_OMIT {
        return true;
    }
    let Some(head) = rows.first() else {
        return true;
    };
    // One buffer: the head's mask, then each other row's, compared in place.
    let mut masks = Vec::with_capacity(16);
    head.presence(&mut masks);
    let width = masks.len();
    rows.iter().skip(1).all(|row| {
        masks.truncate(width);
        row.presence(&mut masks);
        masks[..width] == masks[width..]
    })
}

impl<X: ColumnAssignments<DB>, DB: Backend> InsertValues<DB> for BatchInsert<X> {
    fn write_insert_values(&self, _: &'static TableDescription, out: &mut SqlWriter<DB>) {
        let Some(head) = self.rows.first() else {
            return;
        };
        let uniform = self.is_uniform::<DB>();
        out.push_sql(" (");
        if uniform || !DB::DEFAULT_IN_VALUES {
            head.write_columns(out, &mut 0);
        } else {
            X::write_all_columns(out, &mut 0);
        }
        out.push_sql(")");
        out.mark_insert_values();
        if !DB::MULTI_ROW_VALUES {
            // One SELECT per row; DEFAULT cannot stand in a select list, so such a backend
            // has `DEFAULT_IN_VALUES` false and its rows leave out the same columns.
            for (i, row) in self.rows.iter().enumerate() {
                out.push_sql(if i > 0 {
                    " UNION ALL SELECT "
                } else {
                    " SELECT "
                });
                row.write_values(out, &mut 0);
                if let Some(table) = DB::FROM_NOTHING {
                    out.push_sql(" FROM ");
                    out.push_sql(table);
                }
            }
            return;
        }
        out.push_sql(" VALUES ");
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            if uniform || !DB::DEFAULT_IN_VALUES {
                write_one_row(row, out);
            } else {
                out.push_sql("(");
                row.write_values_or_default(out, &mut 0);
                out.push_sql(")");
            }
        }
    }
    fn collect_insert_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if self.rows.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                "a multi-row INSERT needs at least one row",
            ));
        }
        if !DB::DEFAULT_IN_VALUES && !self.is_uniform::<DB>() {
            // `execute` splits such a batch; only `RETURNING` reaches here with one.
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "the rows of this multi-row INSERT … RETURNING leave different columns to their \
                     defaults, which {} cannot express in one statement; insert rows with the same \
                     `None` fields together",
                    DB::NAME
                ),
            ));
        }
        out.reserve(self.rows.len() * X::COLUMNS);
        for row in &self.rows {
            row.collect_binds(out)?;
        }
        Ok(())
    }
    fn insert_is_static(&self) -> bool {
        false
    }
    fn insert_shape(&self, shape: &mut crate::expression::SqlShape) -> bool {
        // Rows that leave the same columns out render as the head row times the count.
        let Some(head) = self.rows.first() else {
            return false;
        };
        if !self.is_uniform::<DB>() {
            return false;
        }
        let mut present = Vec::new();
        head.presence(&mut present);
        shape.push(self.rows.len());
        for column in present {
            shape.push(usize::from(column));
        }
        true
    }
}

impl<T, V, R, C, DB: Backend> QueryFragment<DB> for InsertStatement<T, V, R, C>
where
    Self: RenderStatement<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.render_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.render_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.render_is_static()
    }
    fn sql_shape(&self, shape: &mut crate::expression::SqlShape) -> bool {
        self.render_shape(shape)
    }
}

impl<T, V, R, C, DB> RenderStatement<DB> for InsertStatement<T, V, R, C>
where
    T: Table,
    V: InsertValues<DB>,
    R: ReturningClause<DB>,
    C: ConflictClause<T, DB>,
    DB: Backend,
{
    fn render_prefixed_sql(
        &self,
        out: &mut SqlWriter<DB>,
        write_prefixes: &dyn Fn(&mut SqlWriter<DB>),
    ) {
        if DB::UPSERT_FORM != UpsertForm::OnConflict
            && let Some(action) = self.conflict.merge_action()
        {
            return super::merge::write_merge(
                T::DESCRIPTION,
                &|out: &mut SqlWriter<DB>| self.values.write_insert_values(T::DESCRIPTION, out),
                action,
                &self.returning,
                out,
            );
        }
        out.push_sql("INSERT ");
        write_prefixes(out);
        out.push_sql("INTO ");
        out.push_table(T::DESCRIPTION);
        let values_start = out.as_str().len();
        self.values.write_insert_values(T::DESCRIPTION, out);
        let output_at = out.insert_values_mark().unwrap_or(values_start);
        self.conflict.write_conflict(out);
        write_returning_clause(&self.returning, DmlKind::Insert, output_at, out);
    }
    fn render_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if DB::UPSERT_FORM != UpsertForm::OnConflict
            && let Some(action) = self.conflict.merge_action()
        {
            return super::merge::bind_merge(
                &|out: &mut SqlWriter<DB>| self.values.write_insert_values(T::DESCRIPTION, out),
                &|out: &mut dyn BindSink<'a, DB>| self.values.collect_insert_binds(out),
                action,
                &self.returning,
                out,
            );
        }
        self.values.collect_insert_binds(out)?;
        self.conflict.collect_conflict_binds(out)?;
        self.returning.collect_returning_binds(out)
    }
    fn render_is_static(&self) -> bool {
        self.values.insert_is_static()
            && self.conflict.conflict_is_static()
            && self.returning.returning_is_static()
    }
    fn render_shape(&self, shape: &mut crate::expression::SqlShape) -> bool {
        self.values.insert_shape(shape)
            && self.conflict.conflict_is_static()
            && self.returning.returning_is_static()
    }
}
