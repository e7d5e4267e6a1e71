//! Resolving INSERT conflicts: `ON CONFLICT … DO NOTHING / DO UPDATE` and
//! `ON DUPLICATE KEY UPDATE`, behind one API where their meaning is the same.

use super::merge::MergeAction;
use crate::backend::{
    Backend, BindSink, SqlWriter, SupportsConflictOnConstraint, SupportsConflictTarget,
    SupportsOnDuplicateKey, SupportsUpsert,
};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, Expression, QueryFragment, ValidInWhere, inline};
use crate::schema::{Column, ColumnOf, Table};
use crate::types::BooleanCondition;

use super::changeset::{AssignmentsIn, ColumnAssignments};
use super::clauses::NoWhere;
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

/// `ON CONFLICT target DO NOTHING`.
#[derive(Debug, Clone, Copy)]
pub struct DoNothingOnConflict<Target>(Target);

/// `ON CONFLICT target DO UPDATE SET changes [WHERE condition]`.
#[derive(Debug, Clone)]
pub struct DoUpdateOnConflict<Target, Changes, Condition = NoWhere> {
    target: Target,
    changes: Changes,
    condition: Condition,
}

/// A conflict target of columns: `(a, b)`.
#[derive(Debug, Clone, Copy)]
pub struct OnColumns<Columns>(Columns);

/// A conflict target of columns with a unique partial index's predicate: `(a) WHERE p`.
#[derive(Debug, Clone, Copy)]
pub struct OnPartialIndex<Columns, Predicate> {
    columns: Columns,
    predicate: Predicate,
}

/// A conflict target named by its constraint: `ON CONSTRAINT name` (PostgreSQL).
#[derive(Debug, Clone)]
pub struct OnConstraint(String);

/// The target of `ON CONFLICT` as backend `DB` writes it.
pub trait ConflictTargetClause<T, DB: Backend> {
    /// Writes the target, after `ON CONFLICT `.
    fn write_target(&self, out: &mut SqlWriter<DB>);
    /// Binds its values (a partial index's predicate).
    fn collect_target_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether its SQL is fixed by its type.
    fn target_is_static(&self) -> bool;
    /// Writes the target's columns for a MERGE's condition ([`super::merge`]); false when it
    /// has none to write.
    fn write_target_columns(&self, out: &mut SqlWriter<DB>) -> bool {
        let _ = out;
        false
    }
    /// Why the target cannot be a MERGE's condition, if it cannot.
    fn merge_error(&self) -> Option<&'static str> {
        None
    }
}

impl<T, Columns: ConflictTarget<T>, DB: SupportsConflictTarget> ConflictTargetClause<T, DB>
    for OnColumns<Columns>
{
    fn write_target(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("(");
        Columns::write_target(out);
        out.push_sql(")");
    }
    fn collect_target_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn target_is_static(&self) -> bool {
        true
    }
    fn write_target_columns(&self, out: &mut SqlWriter<DB>) -> bool {
        Columns::write_target(out);
        true
    }
}

impl<T, Columns, Predicate, DB> ConflictTargetClause<T, DB> for OnPartialIndex<Columns, Predicate>
where
    Columns: ConflictTarget<T>,
    Predicate: QueryFragment<DB>,
    DB: SupportsConflictTarget,
{
    fn write_target(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("(");
        Columns::write_target(out);
        out.push_sql(") WHERE ");
        // As the index's own predicate is written: columns unqualified, and numbers and
        // booleans as literals — PostgreSQL matches the predicate against the index's by
        // implication, which it cannot prove of a `$1`.
        let qualified = out.set_qualify_columns(false);
        inline::to_sql_with_literals(&self.predicate, out);
        out.set_qualify_columns(qualified);
    }
    fn collect_target_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        let _ = &self.columns;
        inline::collect_binds_with_literals(&self.predicate, out)
    }
    fn target_is_static(&self) -> bool {
        self.predicate.has_static_sql() && !inline::has_literals(&self.predicate)
    }
    fn merge_error(&self) -> Option<&'static str> {
        Some(
            "a conflict target with a partial index's predicate has no MERGE form; name the columns only",
        )
    }
}

impl<T, DB: SupportsConflictOnConstraint> ConflictTargetClause<T, DB> for OnConstraint {
    fn write_target(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("ON CONSTRAINT ");
        out.push_identifier(&self.0);
    }
    fn collect_target_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn target_is_static(&self) -> bool {
        // The name is a value: the SQL differs from one statement of this type to the next.
        false
    }
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
    ) -> IncompleteOnConflict<T, V, OnColumns<Target>> {
        IncompleteOnConflict {
            insert: self,
            target: OnColumns(target),
        }
    }

    /// Resolves conflicts with the unique or exclusion constraint named `constraint`:
    /// `ON CONFLICT ON CONSTRAINT name` (PostgreSQL).
    pub fn on_conflict_on_constraint(
        self,
        constraint: impl Into<String>,
    ) -> IncompleteOnConflict<T, V, OnConstraint> {
        IncompleteOnConflict {
            insert: self,
            target: OnConstraint(constraint.into()),
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

impl<T: Table, V, Columns> IncompleteOnConflict<T, V, OnColumns<Columns>> {
    /// The conflict is with a unique *partial* index: `ON CONFLICT (columns) WHERE predicate`,
    /// the predicate as the index declares it (PostgreSQL, SQLite). SQLAlchemy's `index_where`.
    pub fn index_where<P, I>(
        self,
        predicate: P,
    ) -> IncompleteOnConflict<T, V, OnPartialIndex<Columns, P>>
    where
        P: Expression + AppearsIn<TableScope<T>, I>,
        P::SqlType: BooleanCondition,
    {
        IncompleteOnConflict {
            insert: self.insert,
            target: OnPartialIndex {
                columns: self.target.0,
                predicate,
            },
        }
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
            condition: NoWhere,
        })
    }
}

/// The condition of `DO UPDATE … WHERE condition`.
#[derive(Debug, Clone, Copy)]
pub struct UpdateWhere<C>(C);

impl<T: Table, V, R, Target, Changes>
    InsertStatement<T, V, R, DoUpdateOnConflict<Target, Changes>>
{
    /// `ON CONFLICT … DO UPDATE SET … WHERE condition`: the existing row is updated only when
    /// `condition` holds (it may use the row's columns and [`excluded`] values); otherwise the
    /// row is left as it is and the INSERT reports 0 rows for it (PostgreSQL, SQLite).
    pub fn filter<C, I>(
        self,
        condition: C,
    ) -> InsertStatement<T, V, R, DoUpdateOnConflict<Target, Changes, UpdateWhere<C>>>
    where
        C: Expression + AppearsIn<TableScope<T>, I>,
        C::SqlType: BooleanCondition,
        C::Aggregation: ValidInWhere,
    {
        self.map_conflict(|conflict| DoUpdateOnConflict {
            target: conflict.target,
            changes: conflict.changes,
            condition: UpdateWhere(condition),
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
    /// The clause as a MERGE writes it ([`super::merge`]), where there is a clause.
    fn merge_action(&self) -> Option<&dyn MergeAction<T, DB>> {
        None
    }
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
    fn merge_action(&self) -> Option<&dyn MergeAction<T, DB>> {
        Some(self)
    }
}

/// MERGE matches rows on the primary key: a conflict with another unique key is an error.
impl<T, DB: SupportsUpsert> MergeAction<T, DB> for DoNothingOnAnyConflict {
    fn write_target_columns(&self, _: &mut SqlWriter<DB>) -> bool {
        false
    }
}

impl<T, Target: ConflictTargetClause<T, DB>, DB: SupportsUpsert> ConflictClause<T, DB>
    for DoNothingOnConflict<Target>
{
    fn write_conflict(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" ON CONFLICT ");
        self.0.write_target(out);
        out.push_sql(" DO NOTHING");
    }
    fn collect_conflict_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_target_binds(out)
    }
    fn conflict_is_static(&self) -> bool {
        self.0.target_is_static()
    }
    fn merge_action(&self) -> Option<&dyn MergeAction<T, DB>> {
        Some(self)
    }
}

impl<T, Target: ConflictTargetClause<T, DB>, DB: SupportsUpsert> MergeAction<T, DB>
    for DoNothingOnConflict<Target>
{
    fn write_target_columns(&self, out: &mut SqlWriter<DB>) -> bool {
        self.0.write_target_columns(out)
    }
    fn merge_error(&self) -> Option<&'static str> {
        self.0.merge_error()
    }
}

/// The WHERE of `DO UPDATE`: none, or [`UpdateWhere`].
pub trait UpdateCondition<DB: Backend> {
    /// Writes ` WHERE …`, or nothing.
    fn write_condition(&self, out: &mut SqlWriter<DB>);
    /// Binds its values.
    fn collect_condition_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether its SQL is fixed by its type.
    fn condition_is_static(&self) -> bool;
}

impl<DB: Backend> UpdateCondition<DB> for NoWhere {
    fn write_condition(&self, _: &mut SqlWriter<DB>) {}
    fn collect_condition_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn condition_is_static(&self) -> bool {
        true
    }
}

impl<C: QueryFragment<DB>, DB: Backend> UpdateCondition<DB> for UpdateWhere<C> {
    fn write_condition(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" WHERE ");
        self.0.to_sql(out);
    }
    fn collect_condition_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn condition_is_static(&self) -> bool {
        self.0.has_static_sql()
    }
}

impl<T, Target, C, W, DB> ConflictClause<T, DB> for DoUpdateOnConflict<Target, C, W>
where
    Target: ConflictTargetClause<T, DB>,
    C: ColumnAssignments<DB>,
    W: UpdateCondition<DB>,
    DB: SupportsUpsert,
{
    fn write_conflict(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" ON CONFLICT ");
        self.target.write_target(out);
        out.push_sql(" DO UPDATE SET ");
        self.changes.write_assignments(out, &mut 0);
        self.condition.write_condition(out);
    }
    fn collect_conflict_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.target.collect_target_binds(out)?;
        self.changes.collect_binds(out)?;
        self.condition.collect_condition_binds(out)
    }
    fn conflict_is_static(&self) -> bool {
        self.target.target_is_static()
            && self.changes.has_static_sql()
            && self.condition.condition_is_static()
    }
    fn merge_action(&self) -> Option<&dyn MergeAction<T, DB>> {
        Some(self)
    }
}

impl<T, Target, C, W, DB> MergeAction<T, DB> for DoUpdateOnConflict<Target, C, W>
where
    Target: ConflictTargetClause<T, DB>,
    C: ColumnAssignments<DB>,
    W: UpdateCondition<DB>,
    DB: SupportsUpsert,
{
    fn write_target_columns(&self, out: &mut SqlWriter<DB>) -> bool {
        self.target.write_target_columns(out)
    }
    fn merge_error(&self) -> Option<&'static str> {
        self.target.merge_error()
    }
    fn write_update(&self, out: &mut SqlWriter<DB>) -> bool {
        self.changes.write_assignments(out, &mut 0);
        true
    }
    fn write_update_condition(&self, out: &mut SqlWriter<DB>) -> bool {
        // The condition without its ` WHERE `: SQL Server writes it after `WHEN MATCHED AND`.
        let start = out.as_str().len();
        self.condition.write_condition(out);
        let condition = out.as_str()[start..]
            .strip_prefix(" WHERE ")
            .unwrap_or_default()
            .to_owned();
        out.truncate(start);
        out.push_sql(&condition);
        !condition.is_empty()
    }
    fn bind_update<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.changes.collect_binds(out)
    }
    fn bind_update_condition<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.condition.collect_condition_binds(out)
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
