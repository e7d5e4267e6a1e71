//! Resolving INSERT conflicts: `ON CONFLICT … DO NOTHING / DO UPDATE` and
//! `ON DUPLICATE KEY UPDATE`, behind one API where their meaning is the same.

use crate::backend::{
    Backend, BindSink, SqlWriter, SupportsConflictTarget, SupportsOnDuplicateKey, SupportsUpsert,
};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, Expression, QueryFragment};
use crate::schema::{Column, ColumnOf, Table};

use super::changeset::{AssignmentsIn, ColumnAssignments};
use super::insert::InsertStatement;
use super::scope::TableScope;
use super::target::NoReturning;
use super::update::AsChangeset;

/// No conflict clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoConflict;

/// On a conflict with any unique key, insert nothing.
#[derive(Debug, Clone, Copy)]
pub struct DoNothingOnAnyConflict {
    primary_key: &'static str,
}

/// `ON CONFLICT (target) DO NOTHING`.
#[derive(Debug, Clone, Copy)]
pub struct DoNothingOnConflict<Target>(Target);

/// `ON CONFLICT (target) DO UPDATE SET changes`.
#[derive(Debug, Clone)]
pub struct DoUpdateOnConflict<Target, Changes> {
    target: Target,
    changes: Changes,
}

/// `ON DUPLICATE KEY UPDATE changes`.
#[derive(Debug, Clone)]
pub struct UpdateOnDuplicateKey<Changes>(Changes);

/// Rule: a conflict target is a column, or a tuple of columns, of the table inserted into.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a conflict target for table `{T}`",
    label = "expected a column of `{T}` with a unique constraint, or a tuple of them"
)]
pub trait ConflictTarget<T> {
    /// Writes the column names, unqualified.
    fn write_target<DB: Backend>(out: &mut SqlWriter<DB>);
}

impl<T, C: Column + ColumnOf<T>> ConflictTarget<T> for C {
    fn write_target<DB: Backend>(out: &mut SqlWriter<DB>) {
        out.push_identifier(C::NAME);
    }
}

impl<T, A: Column + ColumnOf<T>, B: Column + ColumnOf<T>> ConflictTarget<T> for (A, B) {
    fn write_target<DB: Backend>(out: &mut SqlWriter<DB>) {
        out.push_identifier(A::NAME);
        out.push_sql(", ");
        out.push_identifier(B::NAME);
    }
}

/// An INSERT with a conflict target, waiting for `do_nothing()` or `do_update()`.
#[derive(Debug, Clone)]
#[must_use = "add `.do_nothing()` or `.do_update().set(..)`"]
pub struct IncompleteOnConflict<T, V, Target> {
    insert: InsertStatement<T, V>,
    target: Target,
}

/// An `ON CONFLICT (…) DO UPDATE` waiting for its SET clause.
#[derive(Debug, Clone)]
#[must_use = "add `.set(..)`"]
pub struct IncompleteDoUpdate<T, V, Target> {
    insert: InsertStatement<T, V>,
    target: Target,
}

impl<T: Table, V> InsertStatement<T, V> {
    /// On a conflict with any unique key, insert nothing (and report 0 rows for that row).
    /// PostgreSQL and SQLite: `ON CONFLICT DO NOTHING`; MySQL: `ON DUPLICATE KEY UPDATE pk = pk`.
    pub fn on_conflict_do_nothing(
        self,
    ) -> InsertStatement<T, V, NoReturning, DoNothingOnAnyConflict> {
        let primary_key = T::DESCRIPTION.primary_key.first().copied().unwrap_or("id");
        self.with_conflict(DoNothingOnAnyConflict { primary_key })
    }

    /// Resolves conflicts on the unique key made of `target` (PostgreSQL, SQLite).
    pub fn on_conflict<Target: ConflictTarget<T>>(
        self,
        target: Target,
    ) -> IncompleteOnConflict<T, V, Target> {
        IncompleteOnConflict {
            insert: self,
            target,
        }
    }

    /// On a conflict with any unique key, applies `changes` to the existing row (MySQL).
    /// Use [`excluded`] for the values the INSERT proposed.
    pub fn on_duplicate_key_update<C, I>(
        self,
        changes: C,
    ) -> InsertStatement<T, V, NoReturning, UpdateOnDuplicateKey<C::Changes>>
    where
        C: AsChangeset<T>,
        C::Changes: AssignmentsIn<TableScope<T>, I>,
    {
        self.with_conflict(UpdateOnDuplicateKey(changes.into_changeset()))
    }
}

impl<T: Table, V, Target> IncompleteOnConflict<T, V, Target> {
    /// `ON CONFLICT (target) DO NOTHING`.
    pub fn do_nothing(self) -> InsertStatement<T, V, NoReturning, DoNothingOnConflict<Target>> {
        self.insert.with_conflict(DoNothingOnConflict(self.target))
    }

    /// `ON CONFLICT (target) DO UPDATE`: add `.set(..)`.
    pub fn do_update(self) -> IncompleteDoUpdate<T, V, Target> {
        IncompleteDoUpdate {
            insert: self.insert,
            target: self.target,
        }
    }
}

impl<T: Table, V, Target> IncompleteDoUpdate<T, V, Target> {
    /// The changes for the existing row; [`excluded`] gives the values the INSERT proposed.
    pub fn set<C, I>(
        self,
        changes: C,
    ) -> InsertStatement<T, V, NoReturning, DoUpdateOnConflict<Target, C::Changes>>
    where
        C: AsChangeset<T>,
        C::Changes: AssignmentsIn<TableScope<T>, I>,
    {
        self.insert.with_conflict(DoUpdateOnConflict {
            target: self.target,
            changes: changes.into_changeset(),
        })
    }
}

/// The value the conflicting INSERT proposed for `column`: `excluded.column` on PostgreSQL and
/// SQLite, `VALUES(column)` on MySQL.
pub fn excluded<C: Column>(column: C) -> Excluded<C> {
    Excluded(column)
}

/// See [`excluded`].
#[derive(Debug, Clone, Copy)]
pub struct Excluded<C>(C);

impl<C: Column> Expression for Excluded<C> {
    type SqlType = C::SqlType;
}

impl<C: AppearsIn<QS, I>, QS, I> AppearsIn<QS, I> for Excluded<C>
where
    Self: crate::expression::Expression,
{
    type Nullability = C::Nullability;
    type Aggregation = C::Aggregation;
    type SqlRow = crate::expression::Seen<
        <Self as crate::expression::AppearsIn<QS, I>>::Nullability,
        <Self as crate::expression::Expression>::SqlType,
    >;
}

impl<C: Column, DB: SupportsUpsert> QueryFragment<DB> for Excluded<C> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        DB::push_excluded(out, C::NAME);
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

crate::__impl_as_expression!([C] Excluded<C>);
crate::__impl_arithmetic!([C] Excluded<C>);

/// The conflict clause of an INSERT for backend `DB`.
pub trait ConflictClause<T, DB: Backend> {
    /// Writes the clause (or nothing).
    fn write_conflict(&self, out: &mut SqlWriter<DB>);
    /// Binds its values.
    fn collect_conflict_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether its SQL is fixed by its type.
    fn conflict_is_static(&self) -> bool;
}

impl<T, DB: Backend> ConflictClause<T, DB> for NoConflict {
    fn write_conflict(&self, _: &mut SqlWriter<DB>) {}
    fn collect_conflict_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn conflict_is_static(&self) -> bool {
        true
    }
}

impl<T, DB: SupportsUpsert> ConflictClause<T, DB> for DoNothingOnAnyConflict {
    fn write_conflict(&self, out: &mut SqlWriter<DB>) {
        DB::push_on_conflict_do_nothing(out, self.primary_key);
    }
    fn collect_conflict_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn conflict_is_static(&self) -> bool {
        true
    }
}

impl<T, Target: ConflictTarget<T>, DB: SupportsConflictTarget> ConflictClause<T, DB>
    for DoNothingOnConflict<Target>
{
    fn write_conflict(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" ON CONFLICT (");
        Target::write_target(out);
        out.push_sql(") DO NOTHING");
    }
    fn collect_conflict_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn conflict_is_static(&self) -> bool {
        true
    }
}

impl<T, Target, C, DB> ConflictClause<T, DB> for DoUpdateOnConflict<Target, C>
where
    Target: ConflictTarget<T>,
    C: ColumnAssignments<DB>,
    DB: SupportsConflictTarget,
{
    fn write_conflict(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" ON CONFLICT (");
        Target::write_target(out);
        out.push_sql(") DO UPDATE SET ");
        self.changes.write_assignments(out, &mut 0);
    }
    fn collect_conflict_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.changes.collect_binds(out)
    }
    fn conflict_is_static(&self) -> bool {
        let _ = &self.target;
        self.changes.has_static_sql()
    }
}

impl<T, C: ColumnAssignments<DB>, DB: SupportsOnDuplicateKey> ConflictClause<T, DB>
    for UpdateOnDuplicateKey<C>
{
    fn write_conflict(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" ON DUPLICATE KEY UPDATE ");
        self.0.write_assignments(out, &mut 0);
    }
    fn collect_conflict_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn conflict_is_static(&self) -> bool {
        self.0.has_static_sql()
    }
}
