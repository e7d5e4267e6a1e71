//! Joins: `INNER`, `LEFT OUTER`, `RIGHT OUTER` and `FULL OUTER JOIN`, with the ON condition
//! taken from a declared foreign key or given with `.on(..)`.
//!
//! A join is a [`QuerySource`] whose FROM list holds the sources of both sides. The side an
//! outer join may NULL-extend is marked nullable in that list, so its columns read as
//! `Option<_>` and a struct of its columns as `Option<Struct>`.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter, SupportsFullJoin};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, Eq, Expression, QueryFragment, ValidInWhere};
use crate::schema::{AppendFromList, Entry, NewSources, NullableFromList, Table, There};
use crate::types::{BooleanCondition, IsNullable, NotNullable, Nullability};

use super::scope::{Scope, Ungrouped};
use super::source::QuerySource;

/// The kind of a join: its SQL keyword and which sides it may NULL-extend.
pub trait JoinKind: Copy + Default {
    /// The keyword, with spaces around it.
    const SQL: &'static str;
    /// [`IsNullable`] when rows of the left side may be missing.
    type Left: Nullability;
    /// [`IsNullable`] when rows of the right side may be missing.
    type Right: Nullability;
    /// Whether it has an ON condition (every kind but `CROSS JOIN`).
    const HAS_ON: bool = true;
}

macro_rules! join_kinds {
    ($($(#[$doc:meta])* $name:ident = $sql:literal, $left:ty, $right:ty;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl JoinKind for $name {
            const SQL: &'static str = $sql;
            type Left = $left;
            type Right = $right;
        }
    )*};
}

join_kinds! {
    /// `JOIN`: rows that match on both sides.
    Inner = " JOIN ", NotNullable, NotNullable;
    /// `LEFT OUTER JOIN`: every left row; the right side may be NULL.
    LeftOuter = " LEFT OUTER JOIN ", NotNullable, IsNullable;
    /// `RIGHT OUTER JOIN`: every right row; the left side may be NULL.
    RightOuter = " RIGHT OUTER JOIN ", IsNullable, NotNullable;
    /// `FULL OUTER JOIN`: every row of both sides; either may be NULL.
    FullOuter = " FULL OUTER JOIN ", IsNullable, IsNullable;
}

/// `CROSS JOIN`: every left row with every right row, without a condition.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cross;
impl JoinKind for Cross {
    const SQL: &'static str = " CROSS JOIN ";
    type Left = NotNullable;
    type Right = NotNullable;
    const HAS_ON: bool = false;
}

/// The missing ON condition of a `CROSS JOIN`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoOn;

impl<DB: Backend> QueryFragment<DB> for NoOn {
    fn to_sql(&self, _: &mut SqlWriter<DB>) {}
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

/// A FROM list seen through a join side's nullability.
pub trait WithNullability<N> {
    /// The list, every entry made nullable when `N` is [`IsNullable`].
    type Output;
}

impl<FL> WithNullability<NotNullable> for FL {
    type Output = FL;
}

impl<FL: NullableFromList> WithNullability<IsNullable> for FL {
    type Output = FL::Output;
}

/// `left KIND JOIN right ON on`.
#[derive(Debug, Clone, Copy)]
pub struct Join<L, R, K, On> {
    left: L,
    right: R,
    on: On,
    _kind: PhantomData<K>,
}

/// The FROM list of `left K JOIN right`.
pub type JoinedFromList<L, R, K> = <<<R as QuerySource>::FromList as WithNullability<
    <K as JoinKind>::Right,
>>::Output as AppendFromList<
    <<L as QuerySource>::FromList as WithNullability<<K as JoinKind>::Left>>::Output,
>>::Output;

impl<L, R, K, On> QuerySource for Join<L, R, K, On>
where
    L: QuerySource,
    R: QuerySource,
    K: JoinKind,
    On: Copy,
    L::FromList: WithNullability<K::Left>,
    R::FromList: WithNullability<K::Right>,
    <R::FromList as WithNullability<K::Right>>::Output:
        AppendFromList<<L::FromList as WithNullability<K::Left>>::Output>,
{
    type FromList = JoinedFromList<L, R, K>;
    type DefaultSqlRow = (
        <K::Left as Nullability>::Row<L::DefaultSqlRow>,
        <K::Right as Nullability>::Row<R::DefaultSqlRow>,
    );
    type Outer = L::Outer;
    const IS_JOIN: bool = true;

    fn write_default_selection<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        self.left.write_default_selection(out);
        out.push_sql(", ");
        self.right.write_default_selection(out);
    }
}

/// A FROM source rendered for backend `DB`: its SQL, ON conditions included, and its binds.
pub trait FromClause<DB: Backend>: QuerySource {
    /// Writes the FROM clause body, ON conditions included.
    fn to_from_sql(&self, out: &mut SqlWriter<DB>);
    /// Binds values used in ON conditions and subqueries of the FROM clause.
    fn collect_from_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether the FROM clause's SQL depends only on its type.
    fn has_static_from(&self) -> bool;
}

/// A table's FROM clause is its name; `table!` implements [`FromClause`] for each table with
/// [`table_from_sql`]. One impl per table, not a blanket one over `Table`: with a blanket impl
/// every type is a candidate, and the compiler then stops explaining a join that a backend
/// cannot run at `FromClause` instead of naming the missing capability.
pub fn table_from_sql<T: Table, DB: Backend>(out: &mut SqlWriter<DB>) {
    out.push_table(T::DESCRIPTION);
    out.push_lock_hint();
}

impl<L, R, K, On, DB> FromClause<DB> for Join<L, R, K, On>
where
    DB: Backend + JoinSupport<K>,
    Self: QuerySource,
    L: FromClause<DB>,
    R: FromClause<DB>,
    K: JoinKind,
    On: QueryFragment<DB> + Copy,
{
    fn to_from_sql(&self, out: &mut SqlWriter<DB>) {
        self.left.to_from_sql(out);
        out.push_sql(K::SQL);
        // A join on the right nests: `a LEFT JOIN (b JOIN c ON ..) ON ..`.
        if R::IS_JOIN {
            out.push_sql("(");
            self.right.to_from_sql(out);
            out.push_sql(")");
        } else {
            self.right.to_from_sql(out);
        }
        if K::HAS_ON {
            out.push_sql(" ON ");
            crate::expression::write_condition(&self.on, out);
        }
    }
    fn collect_from_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.left.collect_from_binds(out)?;
        self.right.collect_from_binds(out)?;
        self.on.collect_binds(out)
    }
    fn has_static_from(&self) -> bool {
        self.left.has_static_from() && self.right.has_static_from() && self.on.has_static_sql()
    }
}

/// The database has this kind of join. Every backend has inner, left and right joins;
/// `FULL OUTER JOIN` needs [`SupportsFullJoin`] (not MySQL/MariaDB).
pub trait JoinSupport<K> {}
impl<DB: Backend> JoinSupport<Inner> for DB {}
impl<DB: Backend> JoinSupport<LeftOuter> for DB {}
impl<DB: Backend> JoinSupport<RightOuter> for DB {}
impl<DB: SupportsFullJoin> JoinSupport<FullOuter> for DB {}
impl<DB: Backend> JoinSupport<Cross> for DB {}

/// A source with an explicit ON condition: `posts::table.on(posts::user_id.eq(users::id))`.
#[derive(Debug, Clone, Copy)]
pub struct OnClause<S, C> {
    source: S,
    condition: C,
}

/// A declared foreign key from this table to table `P`: the ON condition of a join that
/// follows it. `table!` implements it for each `references`.
pub trait ForeignKeyTo<P> {
    /// `child_column = parent_column`, or [`AmbiguousForeignKey`] when there are several.
    type Condition: Copy + Default;
}

/// The condition of a join between two tables linked by more than one foreign key.
#[derive(Debug, Clone, Copy, Default)]
pub struct AmbiguousForeignKey<Child, Parent>(PhantomData<(Child, Parent)>);

/// Rule: the foreign key a join follows is unique.
#[diagnostic::on_unimplemented(
    message = "more than one foreign key links `{Child}` and `{Parent}`",
    label = "which foreign key should this join follow?",
    note = "give the condition: `.inner_join(table.on(..))`"
)]
pub trait UniqueForeignKey<Child, Parent> {}
impl<C, P, L, R> UniqueForeignKey<C, P> for Eq<L, R> {}

// An ambiguous path is found like any other; it fails where its condition is checked, with
// its own message.
impl<C, P, QS> AppearsIn<QS, ()> for AmbiguousForeignKey<C, P>
where
    Self: UniqueForeignKey<C, P>,
{
    type Nullability = NotNullable;
    type Aggregation = crate::expression::ConstantValue;
    type SqlRow = ();
}

/// The foreign key joining `T` to a FROM list follows `T`'s key to the list entry.
#[derive(Debug, Clone, Copy, Default)]
pub struct ToParent;
/// The foreign key joining `T` to a FROM list follows the list entry's key to `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ToChild;

/// Rule: a join without `.on(..)` follows a foreign key between the new table and a table
/// already in FROM.
#[diagnostic::on_unimplemented(
    message = "no foreign key links `{T}` with a table already in this FROM clause",
    label = "cannot infer the ON condition of this join",
    note = "declare one with `references` in `table!`, or give the condition: `.inner_join({T}.on(..))`"
)]
pub trait JoinPath<T, Index> {
    /// The ON condition.
    type Condition: Copy + Default;
}

#[diagnostic::do_not_recommend]
impl<T, H, N, Tail> JoinPath<T, ToParent> for (Entry<H, N>, Tail)
where
    T: ForeignKeyTo<H>,
{
    type Condition = T::Condition;
}

#[diagnostic::do_not_recommend]
impl<T, H, N, Tail> JoinPath<T, ToChild> for (Entry<H, N>, Tail)
where
    H: ForeignKeyTo<T>,
{
    type Condition = H::Condition;
}

#[diagnostic::do_not_recommend]
impl<T, H, Tail, I> JoinPath<T, There<I>> for (H, Tail)
where
    Tail: JoinPath<T, I>,
{
    type Condition = Tail::Condition;
}

/// The right side of a join: a table (ON inferred from a foreign key to a table of the left
/// side `FL`) or `source.on(condition)`.
pub trait JoinTarget<FL, Index> {
    /// The source joined.
    type Source: QuerySource;
    /// The ON condition.
    type Condition: Copy;
    /// Splits into source and condition.
    fn into_parts(self) -> (Self::Source, Self::Condition);
}

impl<T: Table, FL, I> JoinTarget<FL, I> for T
where
    FL: JoinPath<T, I>,
{
    type Source = T;
    type Condition = FL::Condition;
    fn into_parts(self) -> (T, FL::Condition) {
        (self, FL::Condition::default())
    }
}

#[diagnostic::do_not_recommend]
impl<S: QuerySource, C: Copy, FL> JoinTarget<FL, OnClause<(), ()>> for OnClause<S, C> {
    type Source = S;
    type Condition = C;
    fn into_parts(self) -> (S, C) {
        (self.source, self.condition)
    }
}

/// The FROM list after joining target `T` to source `L` with kind `K`.
pub type JoinOf<L, T, K, I> = Join<
    L,
    <T as JoinTarget<<L as QuerySource>::FromList, I>>::Source,
    K,
    <T as JoinTarget<<L as QuerySource>::FromList, I>>::Condition,
>;

/// Joining methods, on every FROM source (tables and joins).
pub trait JoinDsl: QuerySource + Sized {
    /// `self JOIN target ON …`: the ON condition comes from the foreign key between them, or
    /// from `target.on(..)`.
    fn inner_join<T, I, IC, S, C>(self, target: T) -> Join<Self, S, Inner, C>
    where
        T: JoinTarget<Self::FromList, I, Source = S, Condition = C>,
        S: QuerySource,
        S::FromList: NewSources<Self::FromList>,
        Join<Self, S, Inner, C>: QuerySource,
        <Join<Self, S, Inner, C> as QuerySource>::FromList: CheckOn<C, IC>,
    {
        join(self, target)
    }

    /// `self LEFT OUTER JOIN target ON …`: the target's columns become nullable, so they read
    /// into `Option<_>` (a struct of them into `Option<Struct>`).
    fn left_join<T, I, IC, S, C>(self, target: T) -> Join<Self, S, LeftOuter, C>
    where
        T: JoinTarget<Self::FromList, I, Source = S, Condition = C>,
        S: QuerySource,
        S::FromList: NewSources<Self::FromList>,
        Join<Self, S, LeftOuter, C>: QuerySource,
        <Join<Self, S, LeftOuter, C> as QuerySource>::FromList: CheckOn<C, IC>,
    {
        join(self, target)
    }

    /// `self RIGHT OUTER JOIN target ON …`: the columns of `self`'s tables become nullable.
    fn right_join<T, I, IC, S, C>(self, target: T) -> Join<Self, S, RightOuter, C>
    where
        T: JoinTarget<Self::FromList, I, Source = S, Condition = C>,
        S: QuerySource,
        S::FromList: NewSources<Self::FromList>,
        Join<Self, S, RightOuter, C>: QuerySource,
        <Join<Self, S, RightOuter, C> as QuerySource>::FromList: CheckOn<C, IC>,
    {
        join(self, target)
    }

    /// `self FULL OUTER JOIN target ON …`: both sides become nullable (SQLite and PostgreSQL;
    /// MySQL has no full join, and a query using one does not compile for it).
    fn full_join<T, I, IC, S, C>(self, target: T) -> Join<Self, S, FullOuter, C>
    where
        T: JoinTarget<Self::FromList, I, Source = S, Condition = C>,
        S: QuerySource,
        S::FromList: NewSources<Self::FromList>,
        Join<Self, S, FullOuter, C>: QuerySource,
        <Join<Self, S, FullOuter, C> as QuerySource>::FromList: CheckOn<C, IC>,
    {
        join(self, target)
    }

    /// `self CROSS JOIN target`: every row of `self` with every row of `target`, no condition
    /// (SQL's `FROM a, b`). Filter the pairs with `.filter(..)`.
    fn cross_join<T>(self, target: T) -> Join<Self, T, Cross, NoOn>
    where
        T: QuerySource,
        T::FromList: NewSources<Self::FromList>,
        Join<Self, T, Cross, NoOn>: QuerySource,
    {
        Join {
            left: self,
            right: target,
            on: NoOn,
            _kind: PhantomData,
        }
    }

    /// `self CROSS JOIN LATERAL (query) AS t`: a [`super::lateral`] table, whose query may use
    /// the columns of the tables joined before it — and only of those: its `.correlate(..)`
    /// tables must be in this FROM list, checked here.
    fn cross_join_lateral<T, Q, IO>(
        self,
        target: super::Lateral<T, Q>,
    ) -> Join<Self, super::Lateral<T, Q>, Cross, NoOn>
    where
        T: Table,
        Q: super::subquery::Subquery + Copy,
        Q::Outer: super::subquery::OuterTablesIn<Self::FromList, IO>,
        <super::Lateral<T, Q> as QuerySource>::FromList: NewSources<Self::FromList>,
        Join<Self, super::Lateral<T, Q>, Cross, NoOn>: QuerySource,
    {
        Join {
            left: self,
            right: target,
            on: NoOn,
            _kind: PhantomData,
        }
    }

    /// `self JOIN LATERAL (query) AS t ON …`: as [`JoinDsl::cross_join_lateral`], with the
    /// condition of `lateral(..).on(..)`.
    fn inner_join_lateral<T, Q, C, IO, IC>(
        self,
        target: OnClause<super::Lateral<T, Q>, C>,
    ) -> Join<Self, super::Lateral<T, Q>, Inner, C>
    where
        T: Table,
        Q: super::subquery::Subquery + Copy,
        C: Copy,
        Q::Outer: super::subquery::OuterTablesIn<Self::FromList, IO>,
        <super::Lateral<T, Q> as QuerySource>::FromList: NewSources<Self::FromList>,
        Join<Self, super::Lateral<T, Q>, Inner, C>: QuerySource,
        <Join<Self, super::Lateral<T, Q>, Inner, C> as QuerySource>::FromList: CheckOn<C, IC>,
    {
        join_on(self, target)
    }

    /// `self LEFT JOIN LATERAL (query) AS t ON …`: rows of `self` for which the query finds
    /// nothing stay, with the lateral table's columns NULL (read into `Option`s).
    fn left_join_lateral<T, Q, C, IO, IC>(
        self,
        target: OnClause<super::Lateral<T, Q>, C>,
    ) -> Join<Self, super::Lateral<T, Q>, LeftOuter, C>
    where
        T: Table,
        Q: super::subquery::Subquery + Copy,
        C: Copy,
        Q::Outer: super::subquery::OuterTablesIn<Self::FromList, IO>,
        <super::Lateral<T, Q> as QuerySource>::FromList: NewSources<Self::FromList>,
        Join<Self, super::Lateral<T, Q>, LeftOuter, C>: QuerySource,
        <Join<Self, super::Lateral<T, Q>, LeftOuter, C> as QuerySource>::FromList: CheckOn<C, IC>,
    {
        join_on(self, target)
    }

    /// This source with an explicit join condition, as the target of a join:
    /// `users::table.inner_join(posts::table.on(posts::user_id.eq(users::id)))`.
    fn on<C>(self, condition: C) -> OnClause<Self, C>
    where
        C: Expression,
        C::SqlType: BooleanCondition,
    {
        OnClause {
            source: self,
            condition,
        }
    }
}

impl<S: QuerySource> JoinDsl for S {}

// The source and condition are named (`S`, `C`) rather than projected from `T` in the join
// methods, so that a join without a foreign key is reported once, at the `JoinTarget` bound,
// and not again for the return type.
fn join<L: QuerySource, T, K, I, S, C>(left: L, target: T) -> Join<L, S, K, C>
where
    T: JoinTarget<L::FromList, I, Source = S, Condition = C>,
{
    let (right, on) = target.into_parts();
    Join {
        left,
        right,
        on,
        _kind: PhantomData,
    }
}

/// `left K JOIN source ON condition`, from `source.on(condition)`.
fn join_on<L, S, K, C>(left: L, target: OnClause<S, C>) -> Join<L, S, K, C> {
    Join {
        left,
        right: target.source,
        on: target.condition,
        _kind: PhantomData,
    }
}

/// Rule: an ON condition uses only columns of the two sides of its join, and no aggregate.
#[diagnostic::on_unimplemented(
    message = "this ON condition uses a column whose table is not part of the join",
    label = "the condition of this join",
    note = "an ON condition may use the columns of the joined table and of the tables joined before it"
)]
pub trait CheckOn<C, Index> {}

impl<FL, C, I> CheckOn<C, I> for FL
where
    C: AppearsIn<Scope<FL, Ungrouped>, I>,
    C::Aggregation: ValidInWhere,
{
}
