//! The SELECT statement builder.

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{
    AppearsIn, CountStar, Expression, NoNestedAggregate, OrderTerm, QueryFragment, ValidSelectList,
    count_star,
};
use crate::schema::Table;
use crate::types::BooleanCondition;

use super::clauses::{
    Distinct, DistinctOn, EveryTable, ForShare, ForUpdate, HavingClause, Limit, LimitValue,
    NoDistinct, NoHaving, NoLimit, NoLock, NoModifier, NoOrder, NoWait, NoWhere, OfTable,
    OrderClause, RowLock, SkipLocked, WhereClause, WhereCondition,
};
use super::find::FindKey;
use super::join::FromClause;
use super::order_checks::{DistinctOrder, OrderFitsSelection};
use super::render::RenderStatement;
use super::row_limiting::SelectParts;
use super::scope::{GroupBy, GroupByClause, GroupKeys, NoGroupBy, Scope, Ungrouped};
use super::selection::{DefaultSelection, SelectItem, Selected, Selection, ValidSelection};
use super::source::QuerySource;
use super::{Query, SelectClause};

/// The scope expressions of a SELECT see: its FROM list and its GROUP BY keys.
pub type SelectScope<F, G> = Scope<<F as QuerySource>::FromList, <G as GroupByClause>::Grouping>;

/// The scope WHERE and ON conditions see: the FROM list, before grouping.
pub type RowScope<F> = Scope<<F as QuerySource>::FromList, Ungrouped>;

/// A SELECT whose type records every clause: FROM source `F`, selection `S`, DISTINCT `D`,
/// WHERE `W`, GROUP BY `G`, HAVING `H`, ORDER BY `O`, LIMIT `L`, OFFSET `Off` and row lock
/// `Lk`.
///
/// Start one from a table or a join (`users::table.filter(..)`); each method returns a new
/// type.
#[derive(Debug, Clone, Copy)]
#[must_use = "a query does nothing until it is run with `load`, `get_result`, `execute`, …"]
pub struct SelectStatement<
    F,
    S = DefaultSelection,
    D = NoDistinct,
    W = NoWhere,
    G = NoGroupBy,
    H = NoHaving,
    O = NoOrder,
    L = NoLimit,
    Off = NoLimit,
    Lk = NoLock,
> {
    pub(super) from: F,
    pub(super) select: S,
    pub(super) distinct: D,
    pub(super) where_clause: W,
    pub(super) group_by: G,
    pub(super) having: H,
    pub(super) order: O,
    pub(super) limit: L,
    pub(super) offset: Off,
    pub(super) lock: Lk,
}

impl<F: QuerySource> SelectStatement<F> {
    /// `SELECT * FROM from` (every column, named).
    pub fn new(from: F) -> Self {
        SelectStatement {
            from,
            select: DefaultSelection,
            distinct: NoDistinct,
            where_clause: NoWhere,
            group_by: NoGroupBy,
            having: NoHaving,
            order: NoOrder,
            limit: NoLimit,
            offset: NoLimit,
            lock: NoLock,
        }
    }
}

impl<F, S, D, W, G, H, O, L, Off, Lk> SelectStatement<F, S, D, W, G, H, O, L, Off, Lk> {
    /// The same statement with its row lock clause replaced.
    fn with_lock<K>(self, lock: K) -> SelectStatement<F, S, D, W, G, H, O, L, Off, K> {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: self.distinct,
            where_clause: self.where_clause,
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock,
        }
    }

    /// The same statement with its FROM source and select clause replaced (the other clauses,
    /// and the checks they passed, stay).
    pub(crate) fn map_parts<NF, NS>(
        self,
        from: impl FnOnce(F) -> NF,
        select: impl FnOnce(S) -> NS,
    ) -> SelectStatement<NF, NS, D, W, G, H, O, L, Off, Lk> {
        SelectStatement {
            from: from(self.from),
            select: select(self.select),
            distinct: self.distinct,
            where_clause: self.where_clause,
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
        }
    }
}

/// Rule: GROUP BY comes before the select list and ORDER BY, which are checked against it.
#[diagnostic::on_unimplemented(
    message = "call `.group_by(..)` before `.select(..)` and `.order(..)`",
    label = "this query already has a select list or an ORDER BY",
    note = "the select list and ORDER BY of a grouped query are checked against its GROUP BY keys"
)]
pub trait GroupByFirst {}
// Not recommended: the rule's message says what to do; the compiler's "the trait is
// implemented for `(DefaultSelection, NoOrder)`" would only add internal types.
#[diagnostic::do_not_recommend]
impl GroupByFirst for (DefaultSelection, NoOrder) {}

/// Rule: HAVING filters groups, so the query needs a GROUP BY.
#[diagnostic::on_unimplemented(
    message = "HAVING needs a GROUP BY",
    label = "this query is not grouped",
    note = "call `.group_by(..)` first, or use `.filter(..)` to filter rows"
)]
pub trait HavingNeedsGroupBy {}
#[diagnostic::do_not_recommend]
impl<K> HavingNeedsGroupBy for GroupBy<K> {}

impl<F: QuerySource, S, D, W, G: GroupByClause, H, O, L, Off, Lk>
    SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
{
    /// Chooses what to return: an expression, a tuple of them, or `Struct::as_select()`.
    ///
    /// In a grouped query every column must be a GROUP BY key or sit inside an aggregate;
    /// without GROUP BY, aggregates and plain columns do not mix.
    pub fn select<NS, I, DistinctIndex>(
        self,
        selection: NS,
    ) -> SelectStatement<F, Selected<NS, I>, D, W, G, H, O, L, Off, Lk>
    where
        NS: ValidSelection<SelectScope<F, G>, I>,
        D: DistinctOrder<Selected<NS, I>, O, DistinctIndex>,
    {
        self.map_parts(|from| from, |_| Selected::new(selection))
    }

    /// Adds a WHERE condition; several calls are joined with AND.
    pub fn filter<P, I>(
        self,
        predicate: P,
    ) -> SelectStatement<F, S, D, W::And<P>, G, H, O, L, Off, Lk>
    where
        P: WhereCondition<RowScope<F>, I>,
        W: WhereClause,
    {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: self.distinct,
            where_clause: self.where_clause.and(predicate),
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
        }
    }

    /// Adds a condition joined with OR to the conditions so far: `WHERE (a AND b) OR c`.
    pub fn or_filter<P, I>(
        self,
        predicate: P,
    ) -> SelectStatement<F, S, D, W::Or<P>, G, H, O, L, Off, Lk>
    where
        P: WhereCondition<RowScope<F>, I>,
        W: WhereClause,
    {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: self.distinct,
            where_clause: self.where_clause.or(predicate),
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
        }
    }

    /// `GROUP BY keys`: a column, an expression, or a tuple of them. Call it before
    /// `.select(..)`; grouping by a table's primary key covers all of that table's columns.
    pub fn group_by<K, I>(
        self,
        keys: K,
    ) -> SelectStatement<F, S, D, W, GroupBy<K>, H, O, L, Off, Lk>
    where
        (S, O): GroupByFirst,
        K: AppearsIn<RowScope<F>, I> + GroupKeys,
    {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: self.distinct,
            where_clause: self.where_clause,
            group_by: GroupBy(keys),
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
        }
    }

    /// Adds a HAVING condition on groups (several calls are joined with AND). It may use
    /// aggregates and GROUP BY keys.
    pub fn having<P, I>(
        self,
        predicate: P,
    ) -> SelectStatement<F, S, D, W, G, H::And<P>, O, L, Off, Lk>
    where
        G: HavingNeedsGroupBy,
        P: Expression + AppearsIn<SelectScope<F, G>, I>,
        P::SqlType: BooleanCondition,
        P::Aggregation: ValidSelectList,
        P::Aggregation: NoNestedAggregate,
        P::Aggregation: crate::expression::NoBareWindow,
        H: HavingClause,
    {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: self.distinct,
            where_clause: self.where_clause,
            group_by: self.group_by,
            having: self.having.and(predicate),
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
        }
    }

    /// Appends ORDER BY keys: `users::name` (ascending), `users::id.desc()`, or a tuple.
    pub fn order<T, I, DistinctIndex>(
        self,
        terms: T,
    ) -> SelectStatement<F, S, D, W, G, H, O::Then<T>, L, Off, Lk>
    where
        T: OrderTerm<SelectScope<F, G>, I>,
        O: OrderClause,
        D: DistinctOrder<S, O::Then<T>, DistinctIndex>,
        G: OrderFitsSelection<S, SelectScope<F, G>, T::Aggregation>,
    {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: self.distinct,
            where_clause: self.where_clause,
            group_by: self.group_by,
            having: self.having,
            order: self.order.then(terms),
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
        }
    }

    /// `LIMIT n` (replaces an earlier limit).
    pub fn limit(self, n: i64) -> SelectStatement<F, S, D, W, G, H, O, Limit, Off, Lk> {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: self.distinct,
            where_clause: self.where_clause,
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: Limit(n),
            offset: self.offset,
            lock: self.lock,
        }
    }

    /// `OFFSET n` (replaces an earlier offset).
    pub fn offset(self, n: i64) -> SelectStatement<F, S, D, W, G, H, O, L, Limit, Lk> {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: self.distinct,
            where_clause: self.where_clause,
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: Limit(n),
            lock: self.lock,
        }
    }

    /// `SELECT DISTINCT`.
    pub fn distinct<DistinctIndex>(self) -> SelectStatement<F, S, Distinct, W, G, H, O, L, Off, Lk>
    where
        Distinct: DistinctOrder<S, O, DistinctIndex>,
    {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: Distinct,
            where_clause: self.where_clause,
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
        }
    }

    /// `SELECT DISTINCT ON (exprs)`: one row per distinct value of `exprs` (PostgreSQL only;
    /// other backends reject the query at compile time). ORDER BY should start with `exprs`.
    pub fn distinct_on<E, I>(
        self,
        exprs: E,
    ) -> SelectStatement<F, S, DistinctOn<E>, W, G, H, O, L, Off, Lk>
    where
        E: SelectItem + AppearsIn<SelectScope<F, G>, I>,
    {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: DistinctOn(exprs),
            where_clause: self.where_clause,
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
        }
    }

    /// `… FOR UPDATE`: locks the selected rows until the transaction ends (PostgreSQL, MySQL;
    /// SQLite rejects the query at compile time).
    pub fn for_update(
        self,
    ) -> SelectStatement<F, S, D, W, G, H, O, L, Off, RowLock<ForUpdate, NoModifier>> {
        self.with_lock(RowLock::default())
    }

    /// `… FOR SHARE` (MySQL: `LOCK IN SHARE MODE`): a shared lock on the selected rows.
    pub fn for_share(
        self,
    ) -> SelectStatement<F, S, D, W, G, H, O, L, Off, RowLock<ForShare, NoModifier>> {
        self.with_lock(RowLock::default())
    }

    /// `SELECT COUNT(*)` with the same FROM and WHERE.
    pub fn count(self) -> SelectStatement<F, Selected<CountStar, ()>, D, W, G, H, O, L, Off, Lk> {
        SelectStatement {
            from: self.from,
            select: Selected::new(count_star()),
            distinct: self.distinct,
            where_clause: self.where_clause,
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
        }
    }
}

impl<F, S, D, W, G, H, O, L, Off, K>
    SelectStatement<F, S, D, W, G, H, O, L, Off, RowLock<K, NoModifier, EveryTable>>
{
    /// `… FOR UPDATE OF t` / `FOR SHARE OF t`: lock only the rows of `table`, one of the
    /// query's tables (PostgreSQL; MariaDB has no `OF`). In a join, the other tables' rows stay
    /// unlocked.
    pub fn of<T, I>(
        self,
        table: T,
    ) -> SelectStatement<F, S, D, W, G, H, O, L, Off, RowLock<K, NoModifier, OfTable<T>>>
    where
        F: super::QuerySource,
        T: super::clauses::LockableIn<F::FromList, I>,
    {
        let _ = table;
        self.with_lock(RowLock::default())
    }
}

impl<F, S, D, W, G, H, O, L, Off, K, Of>
    SelectStatement<F, S, D, W, G, H, O, L, Off, RowLock<K, NoModifier, Of>>
{
    fn with_modifier<M>(self) -> SelectStatement<F, S, D, W, G, H, O, L, Off, RowLock<K, M, Of>> {
        self.with_lock(RowLock::default())
    }

    /// `… SKIP LOCKED`: leave out rows another transaction has locked.
    pub fn skip_locked(
        self,
    ) -> SelectStatement<F, S, D, W, G, H, O, L, Off, RowLock<K, SkipLocked, Of>> {
        self.with_modifier()
    }

    /// `… NOWAIT`: fail at once instead of waiting for a locked row.
    pub fn no_wait(self) -> SelectStatement<F, S, D, W, G, H, O, L, Off, RowLock<K, NoWait, Of>> {
        self.with_modifier()
    }
}

impl<T: Table, W> SelectStatement<T, DefaultSelection, NoDistinct, W> {
    pub(crate) fn into_table_and_where(self) -> (T, W) {
        (self.from, self.where_clause)
    }
}

/// The WHERE clause after `find(key)` on table `T`.
pub type FindWhere<T, W, K> =
    <W as WhereClause>::And<<<T as Table>::PrimaryKey as FindKey<K>>::Condition>;

impl<T: Table, S, D, W: WhereClause, G, H, O, L, Off, Lk>
    SelectStatement<T, S, D, W, G, H, O, L, Off, Lk>
{
    /// Filters by primary key: `users::table.find(1)`, `post_tags::table.find((1, 2))`.
    pub fn find<K>(
        self,
        key: K,
    ) -> SelectStatement<T, S, D, FindWhere<T, W, K>, G, H, O, L, Off, Lk>
    where
        T::PrimaryKey: FindKey<K>,
    {
        SelectStatement {
            from: self.from,
            select: self.select,
            distinct: self.distinct,
            where_clause: self
                .where_clause
                .and(T::PrimaryKey::default().condition(key)),
            group_by: self.group_by,
            having: self.having,
            order: self.order,
            limit: self.limit,
            offset: self.offset,
            lock: self.lock,
        }
    }
}

impl<F, S, D, W, G, H, O, L, Off, Lk> super::ReadOnlyQuery
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
{
}

impl<F: QuerySource, S: SelectClause<F, G>, D, W, G, H, O, L, Off, Lk> Query
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
{
    type SqlRow = S::SqlRow;
}

// One line, so that rustc's "the trait is implemented for" help under a capability error
// (FOR UPDATE on SQLite, say) stays short.
#[rustfmt::skip]
impl<F, S, D, W, G, H, O, L, Off, Lk, DB: Backend> QueryFragment<DB> for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk> where Self: RenderStatement<DB> {
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

impl<F, S, D, W, G, H, O, L, Off, Lk, DB> RenderStatement<DB>
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
where
    DB: Backend,
    F: FromClause<DB>,
    S: SelectClause<F, G> + WriteSelect<F, DB>,
    D: QueryFragment<DB>,
    Lk: QueryFragment<DB>,
    W: QueryFragment<DB>,
    G: QueryFragment<DB>,
    H: QueryFragment<DB>,
    O: QueryFragment<DB>,
    L: LimitValue,
    Off: LimitValue,
{
    fn render_prefixed_sql(
        &self,
        out: &mut SqlWriter<DB>,
        write_prefixes: &dyn Fn(&mut SqlWriter<DB>),
    ) {
        super::row_limiting::write_select(self, write_prefixes, out);
    }
    fn render_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        super::row_limiting::bind_select(self, out)
    }
    fn render_is_static(&self) -> bool {
        self.distinct.has_static_sql()
            && self.select.select_is_static()
            && self.from.has_static_from()
            && self.where_clause.has_static_sql()
            && self.group_by.has_static_sql()
            && self.having.has_static_sql()
            && self.order.has_static_sql()
    }
    fn render_shape(&self, shape: &mut crate::expression::SqlShape) -> bool {
        self.distinct.sql_shape(shape)
            && self.select.select_is_static()
            && self.from.has_static_from()
            && self.where_clause.sql_shape(shape)
            && self.group_by.sql_shape(shape)
            && self.having.sql_shape(shape)
            && self.order.sql_shape(shape)
    }
}

impl<F, S, D, W, G, H, O, L, Off, Lk, DB> SelectParts<DB>
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
where
    DB: Backend,
    F: FromClause<DB>,
    S: WriteSelect<F, DB>,
    D: QueryFragment<DB>,
    Lk: QueryFragment<DB>,
    W: QueryFragment<DB>,
    G: QueryFragment<DB>,
    H: QueryFragment<DB>,
    O: QueryFragment<DB>,
    L: LimitValue,
    Off: LimitValue,
{
    fn write_distinct(&self, out: &mut SqlWriter<DB>) {
        self.distinct.to_sql(out);
    }
    fn write_list(&self, out: &mut SqlWriter<DB>) {
        self.select.write_select(&self.from, out);
    }
    fn write_from(&self, out: &mut SqlWriter<DB>) {
        super::no_from::write_from(&self.from, out);
    }
    fn write_filters(&self, out: &mut SqlWriter<DB>) {
        self.where_clause.to_sql(out);
        self.group_by.to_sql(out);
        self.having.to_sql(out);
    }
    fn write_order(&self, out: &mut SqlWriter<DB>) {
        self.order.to_sql(out);
    }
    fn write_lock(&self, out: &mut SqlWriter<DB>) {
        self.lock.to_sql(out);
    }
    fn bind_distinct<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.distinct.collect_binds(out)
    }
    fn bind_list<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.select.collect_select_binds(out)
    }
    fn bind_body<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.from.collect_from_binds(out)?;
        self.where_clause.collect_binds(out)?;
        self.group_by.collect_binds(out)?;
        self.having.collect_binds(out)
    }
    fn bind_order<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.order.collect_binds(out)
    }
    fn limit(&self) -> Option<&i64> {
        self.limit.value()
    }
    fn offset(&self) -> Option<&i64> {
        self.offset.value()
    }
}

impl<F: QuerySource, G> SelectClause<F, G> for DefaultSelection {
    type SqlRow = F::DefaultSqlRow;
}

/// The scope in which a checked select list's row type is computed (see
/// [`GroupedRows`](super::scope::GroupedRows)).
type RowTypeScope<F, G> = Scope<<F as QuerySource>::FromList, <G as GroupByClause>::RowGrouping>;

impl<F: QuerySource, G: GroupByClause, S: Selection<RowTypeScope<F, G>, I>, I> SelectClause<F, G>
    for Selected<S, I>
{
    type SqlRow = S::SqlRow;
}

impl<F: QuerySource, DB: Backend> WriteSelect<F, DB> for DefaultSelection {
    fn write_select(&self, from: &F, out: &mut SqlWriter<DB>) {
        from.write_default_selection(out);
    }
    fn collect_select_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn select_is_static(&self) -> bool {
        true
    }
}

impl<F, S: QueryFragment<DB>, Row, DB: Backend> WriteSelect<F, DB> for Selected<S, Row> {
    fn write_select(&self, _: &F, out: &mut SqlWriter<DB>) {
        crate::expression::write_value(&self.selection, out);
    }
    fn collect_select_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.selection.collect_binds(out)
    }
    fn select_is_static(&self) -> bool {
        self.selection.has_static_sql()
    }
}

/// Renders a select clause, which for the default selection needs the FROM source.
pub trait WriteSelect<F, DB: Backend> {
    /// Writes the column list.
    fn write_select(&self, from: &F, out: &mut SqlWriter<DB>);
    /// Binds values used in the column list.
    fn collect_select_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether the column list's SQL depends only on its type.
    fn select_is_static(&self) -> bool;
}

impl<F, S, D, W, G, H, O, L, Off, Lk> SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
where
    Self: Query,
{
    /// This query as a value: `(SELECT …)`, the single column of its first row (NULL when it
    /// returns no row). Use it in a select list or a comparison.
    pub fn single_value(self) -> super::ScalarSubquery<Self>
    where
        <Self as Query>::SqlRow: super::SingleColumn,
    {
        super::subquery::scalar(self)
    }
}
