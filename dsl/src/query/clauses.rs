//! The optional clauses of a SELECT as type states: present or absent is part of the type, so
//! the SQL text of a query type never changes and can be cached by type.

use crate::backend::{
    Backend, BindSink, SqlWriter, SupportsDistinctOn, SupportsLockingOf, SupportsRowLocking,
    SupportsShareLockModifiers,
};
use crate::error::QueryResult;
use crate::expression::{And, AppearsIn, Binary, Expression, Or, QueryFragment, ValidInWhere};
use crate::types::BooleanCondition;

use super::scope::{GroupBy, NoGroupBy};

/// Renders an optional clause: nothing when absent, `keyword inner` when present.
macro_rules! optional_clause {
    (absent $absent:ident) => {
        impl<DB: Backend> QueryFragment<DB> for $absent {
            fn to_sql(&self, _: &mut SqlWriter<DB>) {}
            fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                Ok(())
            }
            fn has_static_sql(&self) -> bool {
                true
            }
        }
    };
    ($absent:ident, $present:ident, $keyword:literal, $write:path) => {
        optional_clause!(absent $absent);

        impl<X: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for $present<X> {
            fn to_sql(&self, out: &mut SqlWriter<DB>) {
                out.push_sql($keyword);
                $write(&self.0, out);
            }
            fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                self.0.collect_binds(out)
            }
            fn has_static_sql(&self) -> bool {
                self.0.has_static_sql()
            }
            fn sql_shape(&self, shape: &mut crate::expression::SqlShape) -> bool {
                self.0.sql_shape(shape)
            }
        }
    };
}

/// A condition the WHERE clause of a query with scope `Scope` takes: a boolean expression of
/// the query's tables, with no aggregate or window function in it. One bound for the three
/// rules, so that a value that breaks them (a Rust string, say) is reported once, where it was
/// written, and not again for each rule.
pub trait WhereCondition<Scope, Index>: Expression + AppearsIn<Scope, Index> {}

impl<P, Scope, Index> WhereCondition<Scope, Index> for P
where
    P: Expression + AppearsIn<Scope, Index>,
    P::SqlType: BooleanCondition,
    P::Aggregation: ValidInWhere,
{
}

/// No WHERE clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoWhere;
/// `WHERE predicate`.
#[derive(Debug, Clone, Copy)]
pub struct Where<P>(pub(crate) P);

/// Adds a condition to a WHERE clause with AND or OR.
pub trait WhereClause: Sized {
    /// The clause after `AND p`.
    type And<P>;
    /// The clause after `OR p`.
    type Or<P>;
    /// `self AND p`
    fn and<P>(self, p: P) -> Self::And<P>;
    /// `self OR p`
    fn or<P>(self, p: P) -> Self::Or<P>;
}

impl WhereClause for NoWhere {
    type And<P> = Where<P>;
    type Or<P> = Where<P>;
    fn and<P>(self, p: P) -> Where<P> {
        Where(p)
    }
    fn or<P>(self, p: P) -> Where<P> {
        Where(p)
    }
}

impl<W> WhereClause for Where<W> {
    type And<P> = Where<And<W, P>>;
    type Or<P> = Where<Or<W, P>>;
    fn and<P>(self, p: P) -> Self::And<P> {
        Where(Binary::new(self.0, p))
    }
    fn or<P>(self, p: P) -> Self::Or<P> {
        Where(Binary::new(self.0, p))
    }
}

optional_clause!(
    NoWhere,
    Where,
    " WHERE ",
    crate::expression::write_condition
);

/// No HAVING clause.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHaving;
/// `HAVING predicate`.
#[derive(Debug, Clone, Copy)]
pub struct Having<P>(pub(crate) P);

/// Adds a condition to a HAVING clause with AND.
pub trait HavingClause: Sized {
    /// The clause after `AND p`.
    type And<P>;
    /// `self AND p`
    fn and<P>(self, p: P) -> Self::And<P>;
}

impl HavingClause for NoHaving {
    type And<P> = Having<P>;
    fn and<P>(self, p: P) -> Having<P> {
        Having(p)
    }
}

impl<H> HavingClause for Having<H> {
    type And<P> = Having<And<H, P>>;
    fn and<P>(self, p: P) -> Self::And<P> {
        Having(Binary::new(self.0, p))
    }
}

optional_clause!(absent NoHaving);

/// HAVING tells the [`super::grouped`] keys inside it where they are (MySQL needs them
/// wrapped; see [`Backend::HAVING_RESOLVES_ONLY_GROUPED_COLUMNS`]).
impl<P: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Having<P> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" HAVING ");
        let before = out.set_in_having(true);
        crate::expression::write_condition(&self.0, out);
        out.set_in_having(before);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
    fn sql_shape(&self, shape: &mut crate::expression::SqlShape) -> bool {
        self.0.sql_shape(shape)
    }
}
optional_clause!(absent NoGroupBy);

/// GROUP BY keys write their numbers and booleans as literals, as [`super::grouped`] does
/// where the same key is selected, filtered by HAVING or ordered on: the database matches the
/// two by their text (see `expression::inline`).
impl<K: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for GroupBy<K> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" GROUP BY ");
        crate::expression::inline::to_sql_with_literals(&self.0, out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        crate::expression::inline::collect_binds_with_literals(&self.0, out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && !crate::expression::inline::has_literals(&self.0)
    }
    fn sql_shape(&self, shape: &mut crate::expression::SqlShape) -> bool {
        !crate::expression::inline::has_literals(&self.0) && self.0.sql_shape(shape)
    }
}

/// No ORDER BY.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoOrder;
/// `ORDER BY terms`.
#[derive(Debug, Clone, Copy)]
pub struct OrderBy<O>(pub(crate) O);

/// Appends ORDER BY keys.
pub trait OrderClause: Sized {
    /// The clause with `O` appended.
    type Then<O>;
    /// Appends `o`.
    fn then<O>(self, o: O) -> Self::Then<O>;
}

impl OrderClause for NoOrder {
    type Then<O> = OrderBy<O>;
    fn then<O>(self, o: O) -> OrderBy<O> {
        OrderBy(o)
    }
}

impl<X> OrderClause for OrderBy<X> {
    type Then<O> = OrderBy<(X, O)>;
    fn then<O>(self, o: O) -> Self::Then<O> {
        OrderBy((self.0, o))
    }
}

optional_clause!(
    NoOrder,
    OrderBy,
    " ORDER BY ",
    crate::expression::write_value
);

/// No DISTINCT.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoDistinct;
/// `SELECT DISTINCT`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Distinct;

/// `SELECT DISTINCT ON (exprs)` (PostgreSQL).
#[derive(Debug, Clone, Copy)]
pub struct DistinctOn<E>(pub(crate) E);

impl<DB: Backend> QueryFragment<DB> for NoDistinct {
    fn to_sql(&self, _: &mut SqlWriter<DB>) {}
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

impl<DB: Backend> QueryFragment<DB> for Distinct {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("DISTINCT ");
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

impl<E: QueryFragment<DB>, DB: SupportsDistinctOn> QueryFragment<DB> for DistinctOn<E> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("DISTINCT ON (");
        self.0.to_sql(out);
        out.push_sql(") ");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

/// No row lock.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLock;
/// `FOR UPDATE`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ForUpdate;
/// `FOR SHARE`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ForShare;
/// No lock modifier.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoModifier;
/// `SKIP LOCKED`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SkipLocked;
/// `NOWAIT`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoWait;

/// The rows of every table in the query are locked.
#[derive(Debug, Clone, Copy, Default)]
pub struct EveryTable;
/// `… OF t`: only the rows of table `T` are locked.
#[derive(Debug, Clone, Copy, Default)]
pub struct OfTable<T>(std::marker::PhantomData<T>);

/// Rule: `FOR UPDATE OF t` names a table of the query's FROM clause.
#[diagnostic::on_unimplemented(
    message = "`FOR UPDATE OF` names table `{Self}`, which is not in the FROM clause of this query",
    label = "not one of the query's tables",
    note = "lock a table the query selects from or joins"
)]
pub trait LockableIn<FromList, Index>: crate::schema::Table {}

#[diagnostic::do_not_recommend]
impl<T, FromList, Index> LockableIn<FromList, Index> for T
where
    T: crate::schema::Table,
    FromList: crate::schema::TableInFrom<T, Index>,
{
}

/// The tables a row lock takes: [`EveryTable`] or [`OfTable`].
pub trait LockedTables<DB: Backend> {
    /// Writes ` OF t`, or nothing.
    fn write_of(out: &mut SqlWriter<DB>);
}

impl<DB: Backend> LockedTables<DB> for EveryTable {
    fn write_of(_: &mut SqlWriter<DB>) {}
}

impl<T: crate::schema::Table, DB: SupportsLockingOf> LockedTables<DB> for OfTable<T> {
    fn write_of(out: &mut SqlWriter<DB>) {
        out.push_sql(" OF ");
        out.push_identifier(T::DESCRIPTION.name);
    }
}

/// A row lock of kind `K` (`ForUpdate`, `ForShare`) with modifier `M`, on the tables `Of`.
#[derive(Debug, Clone, Copy)]
pub struct RowLock<K, M, Of = EveryTable>(pub(crate) std::marker::PhantomData<(K, M, Of)>);

impl<K, M, Of> Default for RowLock<K, M, Of> {
    fn default() -> Self {
        RowLock(std::marker::PhantomData)
    }
}

/// A lock modifier's SQL.
pub trait LockModifier {
    /// ` SKIP LOCKED`, ` NOWAIT` or nothing.
    const SQL: &'static str;
}
impl LockModifier for NoModifier {
    const SQL: &'static str = "";
}
impl LockModifier for SkipLocked {
    const SQL: &'static str = " SKIP LOCKED";
}
impl LockModifier for NoWait {
    const SQL: &'static str = " NOWAIT";
}

/// Marker: a modifier that is not [`NoModifier`].
pub trait ActiveModifier: LockModifier {}
impl ActiveModifier for SkipLocked {}
impl ActiveModifier for NoWait {}

macro_rules! no_binds {
    () => {
        fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
            Ok(())
        }
        fn has_static_sql(&self) -> bool {
            true
        }
    };
}

impl<DB: Backend> QueryFragment<DB> for NoLock {
    fn to_sql(&self, _: &mut SqlWriter<DB>) {}
    no_binds!();
}

impl<M: LockModifier, Of: LockedTables<DB>, DB: SupportsRowLocking> QueryFragment<DB>
    for RowLock<ForUpdate, M, Of>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" FOR UPDATE");
        Of::write_of(out);
        out.push_sql(M::SQL);
    }
    no_binds!();
}

impl<Of: LockedTables<DB>, DB: SupportsRowLocking> QueryFragment<DB>
    for RowLock<ForShare, NoModifier, Of>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(DB::FOR_SHARE);
        Of::write_of(out);
    }
    no_binds!();
}

impl<M: ActiveModifier, Of: LockedTables<DB>, DB: SupportsShareLockModifiers> QueryFragment<DB>
    for RowLock<ForShare, M, Of>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(DB::FOR_SHARE);
        Of::write_of(out);
        out.push_sql(M::SQL);
    }
    no_binds!();
}

/// No LIMIT (or no OFFSET).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLimit;
/// `LIMIT n` or `OFFSET n`, bound as a parameter.
#[derive(Debug, Clone, Copy)]
pub struct Limit(pub(crate) i64);

/// A LIMIT or OFFSET value, present or not.
pub trait LimitValue {
    /// Whether the clause is present.
    const PRESENT: bool;
    /// The value, if present.
    fn value(&self) -> Option<&i64>;
}
impl LimitValue for NoLimit {
    const PRESENT: bool = false;
    fn value(&self) -> Option<&i64> {
        None
    }
}
impl LimitValue for Limit {
    const PRESENT: bool = true;
    fn value(&self) -> Option<&i64> {
        Some(&self.0)
    }
}

/// Writes LIMIT/OFFSET at the end of a statement the backend's way.
pub(crate) fn write_limit_offset<L: LimitValue, O: LimitValue, DB: Backend>(
    out: &mut SqlWriter<DB>,
    ordered: bool,
) {
    if L::PRESENT || O::PRESENT {
        DB::push_limit_offset(out, L::PRESENT, O::PRESENT, ordered);
    }
}

/// Binds the values [`write_limit_offset`] wrote placeholders for.
pub(crate) fn bind_limit_offset<'a, L: LimitValue, O: LimitValue, DB: Backend>(
    limit: &'a L,
    offset: &'a O,
    out: &mut dyn BindSink<'a, DB>,
) -> QueryResult<()> {
    super::row_limiting::bind_limited(limit.value(), offset.value(), out)
}
