//! What an expression can see: the FROM list and the GROUP BY keys of the query it sits in.
//!
//! [`crate::expression::AppearsIn`] is checked against a [`Scope`]. A column looks itself up
//! in both halves: its table must be in FROM ([`TableInFrom`]); when the query is grouped, the
//! column must be one of the keys, or its table's primary key must be ([`GroupedBy`], worked
//! out in `group_lookup`).

use std::marker::PhantomData;

use crate::expression::{Aggregation, ConstantValue, PlainColumn};
use crate::schema::{Here, SingleFrom, TableInFrom, There};
use crate::types::{IsNullable, Nullability};

use super::group_lookup::{GroupedThrough, IsYes, ListedThrough, LookedUpColumns};

/// The scope of an expression: FROM list `FL` and grouping `G` ([`Ungrouped`] or
/// [`GroupedBy`]-searchable key list in [`Grouped`]).
pub struct Scope<FL, G>(PhantomData<(FL, G)>);

/// The scope of a statement on one table, without grouping (INSERT, UPDATE, DELETE, a simple
/// SELECT).
pub type TableScope<T> = Scope<SingleFrom<T>, Ungrouped>;

/// The query has no GROUP BY.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ungrouped;

/// The query is grouped by the keys in cons list `L`, plainly or with subtotal rows (`Kind`:
/// [`PlainGrouping`] or [`SubtotalGrouping`]).
pub struct Grouped<L, Kind = PlainGrouping>(PhantomData<(L, Kind)>);

/// No grouping, as the row types see it (see [`GroupedRows`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct UngroupedRows;

/// The groupings of the scopes in which expressions are checked ([`Ungrouped`], [`Grouped`]),
/// as opposed to those in which a checked select list's row type is computed
/// ([`UngroupedRows`], [`GroupedRows`]).
pub trait CheckedGrouping {}
impl CheckedGrouping for Ungrouped {}
impl<L, Kind> CheckedGrouping for Grouped<L, Kind> {}

/// A grouping of kind `Kind` as the row types see it: the NULLs the grouping adds, not which
/// columns are keys. The row type of a checked select list is computed in this scope, so that
/// a column checked once at `.select(..)` (grouped or not) is not checked — and reported —
/// again where the query is run.
pub struct GroupedRows<Kind>(PhantomData<Kind>);

/// GROUP BY keys: every row of the result is one group.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainGrouping;

/// `ROLLUP` / `CUBE`: subtotal rows hold NULL in the keys they sum over, so every column and
/// key the query reads may be NULL.
#[derive(Debug, Clone, Copy, Default)]
pub struct SubtotalGrouping;

/// How a grouping changes what a grouped column may hold.
pub trait GroupingKind {
    /// The nullability of a column of nullability `N` in the result.
    type Nullability<N: Nullability>: Nullability;
}

impl GroupingKind for PlainGrouping {
    type Nullability<N: Nullability> = N;
}

impl GroupingKind for SubtotalGrouping {
    type Nullability<N: Nullability> = IsNullable;
}

/// Rule: a column read by a grouped query is one of the GROUP BY keys, or its table's primary
/// key is (`Source` is the FROM entry it is read through: its table or an alias).
#[diagnostic::on_unimplemented(
    message = "column `{C}` must appear in GROUP BY or be used in an aggregate function",
    label = "this column is neither grouped nor aggregated",
    note = "add it to `.group_by(..)` (grouping by its table's primary key also covers it, except in `rollup(..)` and `cube(..)`), or wrap it in an aggregate such as `max(..)`; a computed GROUP BY key is selected as `grouped(expr)`"
)]
pub trait GroupedBy<C, Source, Kind = PlainGrouping> {}

#[diagnostic::do_not_recommend]
impl<C, Source, Keys> GroupedBy<C, Source, PlainGrouping> for Keys
where
    C: LookedUpColumns,
    C::Columns: GroupedThrough<Source, Keys>,
    <C::Columns as GroupedThrough<Source, Keys>>::Answer: IsYes,
{
}

// ROLLUP and CUBE: only the keys themselves. PostgreSQL does not extend a grouped primary key
// to its table's columns there, and MySQL would read an arbitrary row's value in a subtotal
// row instead of NULL.
#[diagnostic::do_not_recommend]
impl<C, Source, Keys> GroupedBy<C, Source, SubtotalGrouping> for Keys
where
    C: LookedUpColumns,
    C::Columns: ListedThrough<Source, Keys>,
    <C::Columns as ListedThrough<Source, Keys>>::Answer: IsYes,
{
}

/// Where expression `E` stands in the cons list of GROUP BY keys: the lookup of
/// `grouped(expr)`, which matches the key's Rust type as a whole.
pub trait ListsKeyAt<E, Index> {}

#[diagnostic::do_not_recommend]
impl<E, Tail> ListsKeyAt<E, Here> for (E, Tail) {}

#[diagnostic::do_not_recommend]
impl<E, H, Tail, I> ListsKeyAt<E, There<I>> for (H, Tail) where Tail: ListsKeyAt<E, I> {}

/// How column `C` of FROM source `S` appears in a scope: found in FROM at `Index`, grouped or
/// not.
#[diagnostic::on_unimplemented(
    message = "table `{S}` is not in the FROM clause of this query",
    label = "a column of `{S}` is used here, but the query does not select from `{S}`",
    note = "select from `{S}`, or join it, before using its columns (a subquery reaches the enclosing query's tables through `.correlate(table)`)"
)]
pub trait ColumnInScope<S, C, Index> {
    /// Whether an outer join can make it NULL.
    type Nullability: crate::types::Nullability;
    /// [`PlainColumn`] outside GROUP BY, [`ConstantValue`] as a grouping key.
    type Aggregation: Aggregation;
}

impl<S, C, FL, I> ColumnInScope<S, C, I> for Scope<FL, Ungrouped>
where
    FL: TableInFrom<S, I>,
{
    type Nullability = FL::Nullability;
    type Aggregation = PlainColumn;
}

impl<S, C, FL, L, Kind, I> ColumnInScope<S, C, I> for Scope<FL, Grouped<L, Kind>>
where
    FL: TableInFrom<S, I>,
    L: GroupedBy<C, S, Kind>,
    Kind: GroupingKind,
{
    type Nullability = Kind::Nullability<FL::Nullability>;
    type Aggregation = ConstantValue;
}

#[diagnostic::do_not_recommend]
impl<S, C, FL, I> ColumnInScope<S, C, I> for Scope<FL, UngroupedRows>
where
    FL: TableInFrom<S, I>,
{
    type Nullability = FL::Nullability;
    type Aggregation = PlainColumn;
}

#[diagnostic::do_not_recommend]
impl<S, C, FL, Kind, I> ColumnInScope<S, C, I> for Scope<FL, GroupedRows<Kind>>
where
    FL: TableInFrom<S, I>,
    Kind: GroupingKind,
{
    type Nullability = Kind::Nullability<FL::Nullability>;
    type Aggregation = ConstantValue;
}

/// A scope with the grouping removed: what the argument of an aggregate function sees.
pub trait UngroupedScope {
    /// The same FROM list, without GROUP BY.
    type Ungrouped;
}

impl<FL, G> UngroupedScope for Scope<FL, G> {
    type Ungrouped = Scope<FL, Ungrouped>;
}

/// The FROM list of a scope.
pub trait ScopeFrom {
    /// The FROM list.
    type FromList;
}

impl<FL, G> ScopeFrom for Scope<FL, G> {
    type FromList = FL;
}

/// The argument of `.group_by(..)`: an expression or a tuple of them, as a cons list of keys;
/// or [`super::rollup`] / [`super::cube`] of them.
#[diagnostic::on_unimplemented(
    message = "GROUP BY takes columns or expressions, or a tuple of them: not `{Self}`",
    label = "not a GROUP BY key",
    note = "`group_by(posts::user_id)`, `group_by((users::id, users::name))`, `group_by(rollup((a, b)))`"
)]
pub trait GroupKeys {
    /// The keys as a cons list.
    type List;
    /// [`PlainGrouping`], or [`SubtotalGrouping`] for ROLLUP and CUBE.
    type Kind: GroupingKind;
}

impl<E: crate::expression::Expression> GroupKeys for E {
    type List = (E, ());
    type Kind = PlainGrouping;
}

macro_rules! group_key_tuples {
    ($($T:ident $I:ident $idx:tt),+) => {
        impl<$($T: crate::expression::Expression),+> GroupKeys for ($($T,)+) {
            type List = group_key_tuples!(@list $($T)+);
            type Kind = PlainGrouping;
        }
    };
    (@list) => { () };
    (@list $head:ident $($rest:ident)*) => { ($head, group_key_tuples!(@list $($rest)*)) };
}

crate::for_each_tuple!(group_key_tuples);

/// The GROUP BY state of a SELECT: none, or `GROUP BY keys`.
pub trait GroupByClause {
    /// The grouping half of the scope: [`Ungrouped`] or [`Grouped`].
    type Grouping;
    /// The grouping as row types see it: [`UngroupedRows`] or [`GroupedRows`].
    type RowGrouping;
}

/// No GROUP BY.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoGroupBy;

/// `GROUP BY keys`.
#[derive(Debug, Clone, Copy)]
pub struct GroupBy<K>(pub(crate) K);

impl GroupByClause for NoGroupBy {
    type Grouping = Ungrouped;
    type RowGrouping = UngroupedRows;
}

impl<K: GroupKeys> GroupByClause for GroupBy<K> {
    type Grouping = Grouped<K::List, K::Kind>;
    type RowGrouping = GroupedRows<K::Kind>;
}

// The statement `.group_by("name")` returned (already refused there) reads as grouped, so the
// calls after it do not report the string again.
#[diagnostic::do_not_recommend]
impl<'a> GroupByClause for GroupBy<&'a str> {
    type Grouping = Grouped<(&'a str, ()), PlainGrouping>;
    type RowGrouping = GroupedRows<PlainGrouping>;
}

/// A GROUP BY key used as a value: `grouped(year(users::created_at))` in the select list,
/// HAVING or ORDER BY of a query grouped by that expression.
///
/// A column that is a key needs no wrapper. A computed key does: its columns are not grouped
/// one by one, so the expression is looked up among the keys as a whole (it must be the same
/// Rust type as the key given to `group_by`).
pub fn grouped<E: crate::expression::Expression>(key: E) -> GroupKey<E> {
    GroupKey(key)
}

/// See [`grouped`].
#[derive(Debug, Clone, Copy)]
pub struct GroupKey<E>(E);

impl<E: crate::expression::Expression> crate::expression::Expression for GroupKey<E> {
    type SqlType = E::SqlType;
}

/// Rule: an expression wrapped in `grouped(..)` is one of the GROUP BY keys.
#[diagnostic::on_unimplemented(
    message = "`{E}` is not one of the GROUP BY keys of this query",
    label = "`grouped(..)` names an expression given to `.group_by(..)`",
    note = "group by this same expression first: `.group_by(expr)`"
)]
pub trait HasGroupKey<E, Index> {}

#[diagnostic::do_not_recommend]
impl<FL, L: ListsKeyAt<E, IG>, Kind, E, IG> HasGroupKey<E, IG> for Scope<FL, Grouped<L, Kind>> {}

impl<E, FL, L, Kind, IG, IE> crate::expression::AppearsIn<Scope<FL, Grouped<L, Kind>>, (IG, IE)>
    for GroupKey<E>
where
    E: crate::expression::Expression + crate::expression::AppearsIn<Scope<FL, Ungrouped>, IE>,
    Scope<FL, Grouped<L, Kind>>: HasGroupKey<E, IG>,
    Kind: GroupingKind,
{
    type Nullability = Kind::Nullability<E::Nullability>;
    type Aggregation = ConstantValue;
    type SqlRow = crate::expression::Seen<Kind::Nullability<E::Nullability>, E::SqlType>;
}

impl<E, FL, Kind, IG, IE> crate::expression::AppearsIn<Scope<FL, GroupedRows<Kind>>, (IG, IE)>
    for GroupKey<E>
where
    E: crate::expression::Expression + crate::expression::AppearsIn<Scope<FL, Ungrouped>, IE>,
    Kind: GroupingKind,
{
    type Nullability = Kind::Nullability<E::Nullability>;
    type Aggregation = ConstantValue;
    type SqlRow = crate::expression::Seen<Kind::Nullability<E::Nullability>, E::SqlType>;
}

impl<E: crate::expression::QueryFragment<DB>, DB: crate::backend::Backend>
    crate::expression::QueryFragment<DB> for GroupKey<E>
{
    fn to_sql(&self, out: &mut crate::backend::SqlWriter<DB>) {
        let wrap = DB::HAVING_RESOLVES_ONLY_GROUPED_COLUMNS && out.in_having();
        if wrap {
            out.push_sql("MIN(");
        }
        crate::expression::inline::to_sql_with_literals(&self.0, out);
        if wrap {
            out.push_sql(")");
        }
    }
    fn collect_binds<'a>(
        &'a self,
        out: &mut dyn crate::backend::BindSink<'a, DB>,
    ) -> crate::error::QueryResult<()> {
        crate::expression::inline::collect_binds_with_literals(&self.0, out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && !crate::expression::inline::has_literals(&self.0)
    }
}

crate::__impl_as_expression!([E] GroupKey<E>);
crate::__impl_arithmetic!([E] GroupKey<E>);
