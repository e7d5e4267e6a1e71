//! Compound SELECTs: `UNION`, `UNION ALL`, `INTERSECT` and `EXCEPT`, with ORDER BY and LIMIT
//! over the whole result.
//!
//! Both sides must return the same row type. The SELECTs inside a compound carry no ORDER BY,
//! LIMIT or row lock of their own (SQLite does not allow them there); the compound takes them
//! instead. Its ORDER BY names columns of the first SELECT's select list and is rendered by
//! position (`ORDER BY 2 DESC`), which every database resolves against the compound's result.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{Asc, Desc, Expression, QueryFragment};
use crate::schema::{Here, There};
use crate::types::{Nullable, SqlType};

use super::clauses::{Limit, LimitValue, NoLimit, NoLock, NoOrder};
use super::scope::GroupKeys;
use super::selection::{SelectableRow, Selected};
use super::subquery::Subquery;
use super::{Query, SelectStatement};

/// A set operator: its SQL keyword.
pub trait SetOperator: Copy + Default {
    /// The keyword, with spaces around it.
    const SQL: &'static str;
    /// The keyword on backend `DB` (Oracle spells EXCEPT `MINUS`).
    fn sql<DB: Backend>() -> &'static str {
        if Self::SQL == Except::SQL {
            DB::EXCEPT
        } else {
            Self::SQL
        }
    }
}

macro_rules! set_operators {
    ($($(#[$doc:meta])* $name:ident = $sql:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl SetOperator for $name {
            const SQL: &'static str = $sql;
        }
    )*};
}

set_operators! {
    /// `UNION`: rows of either side, duplicates removed.
    Union = " UNION ";
    /// `UNION ALL`: rows of both sides, duplicates kept.
    UnionAll = " UNION ALL ";
    /// `INTERSECT`: rows found on both sides.
    Intersect = " INTERSECT ";
    /// `EXCEPT`: rows of the left side not found on the right.
    Except = " EXCEPT ";
}

/// `left OP right [ORDER BY …] [LIMIT …] [OFFSET …]`.
#[derive(Debug, Clone, Copy)]
#[must_use = "a query does nothing until it is run with `load`, `get_result`, `execute`, …"]
pub struct CompoundSelect<L, R, Op, O = NoOrder, Lim = NoLimit, Off = NoLimit> {
    left: L,
    right: R,
    order: O,
    limit: Lim,
    offset: Off,
    _op: PhantomData<Op>,
}

/// Rule: a SELECT inside UNION, INTERSECT or EXCEPT has no ORDER BY, LIMIT or lock of its own.
#[diagnostic::on_unimplemented(
    message = "a SELECT combined with UNION, INTERSECT or EXCEPT cannot have its own ORDER BY, LIMIT, OFFSET or FOR UPDATE",
    label = "this SELECT is ordered, limited or locked",
    note = "call `.order(..)` and `.limit(..)` on the combined query instead"
)]
pub trait CompoundMember: Query {}

#[diagnostic::do_not_recommend]
impl<F, S, D, W, G, H> CompoundMember
    for SelectStatement<F, S, D, W, G, H, NoOrder, NoLimit, NoLimit, NoLock>
where
    Self: Query,
{
}

#[diagnostic::do_not_recommend]
impl<L: CompoundMember, R, Op> CompoundMember for CompoundSelect<L, R, Op> where Self: Query {}

/// The columns of a query's (first) select list, as a cons list of expressions: what the
/// ORDER BY of a compound may name. A select list of expressions has them; `SELECT *` and
/// `Struct::as_select()` do not.
pub trait ResultColumns {
    /// The cons list.
    type List;
}

impl<S: GroupKeys, I> ResultColumns for Selected<S, I> {
    type List = S::List;
}

impl<F, S: ResultColumns, D, W, G, H, O, L, Off, Lk> ResultColumns
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
{
    type List = S::List;
}

impl<L: ResultColumns, R, Op, O, Lim, Off> ResultColumns for CompoundSelect<L, R, Op, O, Lim, Off> {
    type List = L::List;
}

/// Rule: the SELECTs of a compound return the same row type.
#[diagnostic::on_unimplemented(
    message = "the SELECTs of a UNION, INTERSECT or EXCEPT return different rows: `{Self}` and `{Left}`",
    label = "this SELECT's columns differ in number or SQL type from the first SELECT's",
    note = "select the same number of columns, with the same SQL types, on both sides (a column NOT NULL on one side may be nullable on the other)"
)]
pub trait SameRowsAs<Left> {
    /// The compound's row: each column nullable where either side's is.
    type Unified;
}
#[diagnostic::do_not_recommend]
impl<ST: SqlType> SameRowsAs<ST> for ST {
    type Unified = ST;
}
#[diagnostic::do_not_recommend]
impl<ST: SqlType> SameRowsAs<ST> for Nullable<ST> {
    type Unified = Nullable<ST>;
}
#[diagnostic::do_not_recommend]
impl<ST: SqlType> SameRowsAs<Nullable<ST>> for ST {
    type Unified = Nullable<ST>;
}
#[diagnostic::do_not_recommend]
impl<T> SameRowsAs<SelectableRow<T>> for SelectableRow<T> {
    type Unified = SelectableRow<T>;
}

macro_rules! same_rows_for_tuples {
    ($($T:ident $IT:ident $idx:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<$($T, $IT),+> SameRowsAs<($($IT,)+)> for ($($T,)+)
        where
            $($T: SameRowsAs<$IT>,)+
        {
            type Unified = ($($T::Unified,)+);
        }
    };
}
crate::for_each_tuple!(same_rows_for_tuples);

/// The set operators, on every SELECT and compound (those with their own ORDER BY, LIMIT or
/// lock are refused at the call).
pub trait CombineDsl: Query + Sized {
    /// `self UNION other`: the distinct rows of both.
    fn union<R>(self, other: R) -> CompoundSelect<Self, R, Union>
    where
        Self: CompoundMember,
        R: CompoundMember,
        R::SqlRow: SameRowsAs<Self::SqlRow>,
    {
        CompoundSelect::new(self, other)
    }

    /// `self UNION ALL other`: every row of both, duplicates kept.
    fn union_all<R>(self, other: R) -> CompoundSelect<Self, R, UnionAll>
    where
        Self: CompoundMember,
        R: CompoundMember,
        R::SqlRow: SameRowsAs<Self::SqlRow>,
    {
        CompoundSelect::new(self, other)
    }

    /// `self INTERSECT other`: the distinct rows found in both.
    fn intersect<R>(self, other: R) -> CompoundSelect<Self, R, Intersect>
    where
        Self: CompoundMember,
        R: CompoundMember,
        R::SqlRow: SameRowsAs<Self::SqlRow>,
    {
        CompoundSelect::new(self, other)
    }

    /// `self EXCEPT other`: the distinct rows of `self` not found in `other`.
    fn except<R>(self, other: R) -> CompoundSelect<Self, R, Except>
    where
        Self: CompoundMember,
        R: CompoundMember,
        R::SqlRow: SameRowsAs<Self::SqlRow>,
    {
        CompoundSelect::new(self, other)
    }
}

impl<F, S, D, W, G, H, O, L, Off, Lk> CombineDsl
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
where
    Self: Query,
{
}

impl<L, R, Op, O, Lim, Off> CombineDsl for CompoundSelect<L, R, Op, O, Lim, Off> where Self: Query {}

impl<L, R, Op> CompoundSelect<L, R, Op> {
    fn new(left: L, right: R) -> Self {
        CompoundSelect {
            left,
            right,
            order: NoOrder,
            limit: NoLimit,
            offset: NoLimit,
            _op: PhantomData,
        }
    }
}

impl<L: ResultColumns, R, Op, O, Lim, Off> CompoundSelect<L, R, Op, O, Lim, Off> {
    /// `ORDER BY` over the whole result: columns of the first SELECT's select list, with
    /// `.asc()` / `.desc()`, or a tuple of them (replaces an earlier ORDER BY).
    pub fn order<T, I>(
        self,
        _terms: T,
    ) -> CompoundSelect<L, R, Op, CompoundOrder<T, L::List, I>, Lim, Off>
    where
        T: ResultOrder<L::List, I>,
    {
        CompoundSelect {
            left: self.left,
            right: self.right,
            order: CompoundOrder(PhantomData),
            limit: self.limit,
            offset: self.offset,
            _op: PhantomData,
        }
    }

    /// `LIMIT n` over the whole result.
    pub fn limit(self, n: i64) -> CompoundSelect<L, R, Op, O, Limit, Off> {
        CompoundSelect {
            left: self.left,
            right: self.right,
            order: self.order,
            limit: Limit(n),
            offset: self.offset,
            _op: PhantomData,
        }
    }

    /// `OFFSET n` over the whole result.
    pub fn offset(self, n: i64) -> CompoundSelect<L, R, Op, O, Lim, Limit> {
        CompoundSelect {
            left: self.left,
            right: self.right,
            order: self.order,
            limit: self.limit,
            offset: Limit(n),
            _op: PhantomData,
        }
    }
}

impl<L, R, Op, O, Lim, Off> super::ReadOnlyQuery for CompoundSelect<L, R, Op, O, Lim, Off> {}

impl<L: Query, R: Query, Op, O, Lim, Off> Query for CompoundSelect<L, R, Op, O, Lim, Off>
where
    R::SqlRow: SameRowsAs<L::SqlRow>,
{
    type SqlRow = <R::SqlRow as SameRowsAs<L::SqlRow>>::Unified;
}

impl<L: Subquery, R, Op, O, Lim, Off> Subquery for CompoundSelect<L, R, Op, O, Lim, Off> {
    type Outer = L::Outer;
}

/// Whether a compound member is itself a compound (which PostgreSQL and MySQL need
/// parenthesised on the left of another operator, as `INTERSECT` binds tighter there).
pub trait MemberShape {
    /// True for a compound.
    const IS_COMPOUND: bool;
}

impl<F, S, D, W, G, H, O, L, Off, Lk> MemberShape
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
{
    const IS_COMPOUND: bool = false;
}

impl<L, R, Op, O, Lim, Off> MemberShape for CompoundSelect<L, R, Op, O, Lim, Off> {
    const IS_COMPOUND: bool = true;
}

impl<L, R, Op, O, Lim, Off, DB> QueryFragment<DB> for CompoundSelect<L, R, Op, O, Lim, Off>
where
    DB: Backend,
    L: QueryFragment<DB> + MemberShape,
    R: QueryFragment<DB>,
    Op: SetOperator,
    O: QueryFragment<DB>,
    Lim: LimitValue,
    Off: LimitValue,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        let statement = |out: &mut SqlWriter<DB>| {
            // SQLite rejects parentheses here but evaluates compounds left to right, which is
            // what the parentheses say on the other backends.
            let parenthesize = L::IS_COMPOUND && DB::PARENTHESIZED_COMPOUNDS;
            if parenthesize {
                out.push_sql("(");
            }
            self.left.to_sql(out);
            if parenthesize {
                out.push_sql(")");
            }
            out.push_sql(Op::sql::<DB>());
            self.right.to_sql(out);
            let before = out.as_str().len();
            self.order.to_sql(out);
            out.as_str().len() > before
        };
        super::row_limiting::write_limited(out, Lim::PRESENT, Off::PRESENT, &statement);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.left.collect_binds(out)?;
        self.right.collect_binds(out)?;
        self.order.collect_binds(out)?;
        super::row_limiting::bind_limited(self.limit.value(), self.offset.value(), out)
    }
    fn has_static_sql(&self) -> bool {
        self.left.has_static_sql() && self.right.has_static_sql()
    }
}

/// The ORDER BY of a compound: terms `T` found in result columns `Cols` at `I`.
#[derive(Debug, Clone, Copy)]
pub struct CompoundOrder<T, Cols, I>(PhantomData<(T, Cols, I)>);

impl<T: ResultOrder<Cols, I>, Cols, I, DB: Backend> QueryFragment<DB>
    for CompoundOrder<T, Cols, I>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" ORDER BY ");
        T::write_positions(out, true);
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

/// Rule: the ORDER BY of a compound names columns of its result.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of this UNION's result",
    label = "ORDER BY of a compound SELECT can only name columns of the first SELECT's select list",
    note = "select the column in the first SELECT, or order inside a subquery"
)]
pub trait ResultOrder<Columns, Index> {
    /// Writes `position [DESC]` for each term, comma separated.
    fn write_positions<DB: Backend>(out: &mut SqlWriter<DB>, first: bool);
}

/// Column `C` sits in the cons list at `Index`; `POSITION` counts from 1.
pub trait ResultPosition<C, Index> {
    /// 1-based position.
    const POSITION: usize;
}

impl<C, Tail> ResultPosition<C, Here> for (C, Tail) {
    const POSITION: usize = 1;
}

impl<C, H, Tail: ResultPosition<C, I>, I> ResultPosition<C, There<I>> for (H, Tail) {
    const POSITION: usize = Tail::POSITION + 1;
}

fn write_position<DB: Backend>(
    out: &mut SqlWriter<DB>,
    first: bool,
    position: usize,
    suffix: &str,
) {
    if !first {
        out.push_sql(", ");
    }
    out.push_sql(&position.to_string());
    out.push_sql(suffix);
}

#[diagnostic::do_not_recommend]
impl<E: Expression, Cols: ResultPosition<E, I>, I> ResultOrder<Cols, I> for E {
    fn write_positions<DB: Backend>(out: &mut SqlWriter<DB>, first: bool) {
        write_position(out, first, Cols::POSITION, "");
    }
}

#[diagnostic::do_not_recommend]
impl<E, Cols: ResultPosition<E, I>, I> ResultOrder<Cols, I> for Asc<E> {
    fn write_positions<DB: Backend>(out: &mut SqlWriter<DB>, first: bool) {
        write_position(out, first, Cols::POSITION, " ASC");
    }
}

#[diagnostic::do_not_recommend]
impl<E, Cols: ResultPosition<E, I>, I> ResultOrder<Cols, I> for Desc<E> {
    fn write_positions<DB: Backend>(out: &mut SqlWriter<DB>, first: bool) {
        write_position(out, first, Cols::POSITION, " DESC");
    }
}

macro_rules! result_order_tuples {
    ($($T:ident $I:ident $idx:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<Cols, $($T: ResultOrder<Cols, $I>, $I),+> ResultOrder<Cols, ($($I,)+)> for ($($T,)+) {
            fn write_positions<DB: Backend>(out: &mut SqlWriter<DB>, first: bool) {
                let mut first = first;
                $(
                    $T::write_positions(out, first);
                    first = false;
                )+
                let _ = first;
            }
        }
    };
}

crate::for_each_tuple!(result_order_tuples);
