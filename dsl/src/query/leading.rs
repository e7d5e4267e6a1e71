//! A hook for the ORM's loader: the same query with key columns put in front of its select
//! list, so that each row says which parent it is without the user's row type knowing the key,
//! and optionally with one more LEFT OUTER JOIN whose columns follow the keys (joined eager
//! loading). The query's own clauses, and the checks they passed, are untouched: the FROM list
//! their scope is checked against stays the same.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::schema::Table;
use crate::types::FromSqlRow;

use super::boxed::BoxedSelect;
use super::clauses::LimitValue;
use super::join::{FromClause, Join};
use super::scope::GroupByClause;
use super::select::{SelectScope, SelectStatement, WriteSelect};
use super::selection::{DefaultSelection, Selection};
use super::source::QuerySource;
use super::{AsQuery, SelectClause};

/// The SQL row of no columns, read as `()`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoColumns;

#[diagnostic::do_not_recommend]
impl<DB: Backend> FromSqlRow<NoColumns, DB> for () {
    #[inline]
    fn from_row(_: &DB::Row<'_>, _: &mut usize) -> QueryResult<()> {
        Ok(())
    }
}

impl crate::types::SqlRowWidth for NoColumns {
    const WIDTH: usize = 0;
    const NOT_NULL_COLUMN: Option<usize> = None;
}

/// Columns and a join the ORM adds to a query (joined eager loading): written after the
/// keys in the select list, and after the query's FROM.
pub trait ExtraJoin: Copy {
    /// The SQL row of the added columns.
    type SqlRow;
    /// Whether nothing is added.
    const EMPTY: bool;
}

/// Renders an [`ExtraJoin`] for backend `DB`.
pub trait ExtraJoinSql<DB: Backend>: ExtraJoin {
    /// Writes the added columns (without a leading comma).
    fn write_columns(&self, out: &mut SqlWriter<DB>);
    /// Binds the values of the added columns.
    fn collect_column_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Writes ` LEFT OUTER JOIN …` after the query's FROM.
    fn write_join(&self, out: &mut SqlWriter<DB>);
    /// Binds the values of the join's ON condition.
    fn collect_join_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether the added SQL depends only on the type.
    fn is_static(&self) -> bool;
}

/// Nothing added.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoExtraJoin;

impl ExtraJoin for NoExtraJoin {
    type SqlRow = NoColumns;
    const EMPTY: bool = true;
}

impl<DB: Backend> ExtraJoinSql<DB> for NoExtraJoin {
    fn write_columns(&self, _: &mut SqlWriter<DB>) {}
    fn collect_column_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn write_join(&self, _: &mut SqlWriter<DB>) {}
    fn collect_join_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn is_static(&self) -> bool {
        true
    }
}

/// A FROM source `F` followed by the ORM's join `J`. Its FROM list is `F`'s, so the query's
/// clauses stay checked against the tables they were written for.
#[derive(Debug, Clone, Copy)]
pub struct ExtendedFrom<F, J> {
    from: F,
    join: J,
}

impl<F: QuerySource, J: Copy> QuerySource for ExtendedFrom<F, J> {
    type FromList = F::FromList;
    type DefaultSqlRow = F::DefaultSqlRow;
    type Outer = F::Outer;
    const IS_JOIN: bool = true;
    fn write_default_selection<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        self.from.write_default_selection(out);
    }
}

impl<F: FromClause<DB>, J: ExtraJoinSql<DB>, DB: Backend> FromClause<DB> for ExtendedFrom<F, J> {
    fn to_from_sql(&self, out: &mut SqlWriter<DB>) {
        self.from.to_from_sql(out);
        self.join.write_join(out);
    }
    fn collect_from_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.from.collect_from_binds(out)?;
        self.join.collect_join_binds(out)
    }
    fn has_static_from(&self) -> bool {
        self.from.has_static_from() && self.join.is_static()
    }
}

/// A select clause `keys, <extra columns>, <the query's own select list>`; `KeyIndex` is where
/// the keys' tables sit in FROM.
#[derive(Debug, Clone, Copy)]
pub struct LeadingColumns<Keys, KeyIndex, J, S> {
    keys: Keys,
    extra: J,
    rest: S,
    _index: PhantomData<fn() -> KeyIndex>,
}

impl<F, G, Keys, KeyIndex, J, S> SelectClause<F, G> for LeadingColumns<Keys, KeyIndex, J, S>
where
    F: QuerySource,
    G: GroupByClause,
    Keys: Selection<SelectScope<F, G>, KeyIndex>,
    J: ExtraJoin,
    S: SelectClause<F, G>,
{
    type SqlRow = (Keys::SqlRow, J::SqlRow, S::SqlRow);
}

impl<F, DB, Keys, KeyIndex, J, S> WriteSelect<F, DB> for LeadingColumns<Keys, KeyIndex, J, S>
where
    DB: Backend,
    Keys: QueryFragment<DB>,
    J: ExtraJoinSql<DB>,
    S: WriteSelect<F, DB>,
{
    fn write_select(&self, from: &F, out: &mut SqlWriter<DB>) {
        self.keys.to_sql(out);
        out.push_sql(", ");
        if !J::EMPTY {
            self.extra.write_columns(out);
            out.push_sql(", ");
        }
        self.rest.write_select(from, out);
    }
    fn collect_select_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.keys.collect_binds(out)?;
        self.extra.collect_column_binds(out)?;
        self.rest.collect_select_binds(out)
    }
    fn select_is_static(&self) -> bool {
        self.keys.has_static_sql() && self.extra.is_static() && self.rest.select_is_static()
    }
}

/// How a query's FROM source and select clause change to carry `keys` and `extra`.
#[allow(clippy::type_complexity)]
fn leading_parts<F, S, Keys, KeyIndex, J: Copy>(
    keys: Keys,
    extra: J,
) -> (
    impl FnOnce(F) -> ExtendedFrom<F, J>,
    impl FnOnce(S) -> LeadingColumns<Keys, KeyIndex, J, S>,
) {
    (
        move |from| ExtendedFrom { from, join: extra },
        move |rest| LeadingColumns {
            keys,
            extra,
            rest,
            _index: PhantomData,
        },
    )
}

/// A SELECT (or a table, read as `SELECT *`) that can carry key columns in front of its select
/// list, and an extra join. The ORM's `load_with` uses it; it is not meant to be called
/// directly.
#[diagnostic::on_unimplemented(
    message = "relationships cannot be loaded from `{Self}`",
    label = "expected a SELECT: a table, a filtered or joined query, or a boxed one",
    note = "compound queries (UNION, …) and statements other than SELECT have no rows to load relationships for"
)]
pub trait WithLeadingColumns<Keys, KeyIndex, J>: AsQuery {
    /// The tables of its FROM clause (see [`crate::schema::TableInFrom`]).
    type FromList;
    /// The query with the keys in front and the join added.
    type Output;
    /// Puts `keys` and `extra`'s columns in front of the select list, and `extra`'s join after
    /// FROM.
    fn with_leading_columns(self, keys: Keys, extra: J) -> Self::Output;
    /// Whether the query has a LIMIT or OFFSET (which a joined load would apply to the joined
    /// rows, not to the query's own).
    fn has_limit(&self) -> bool;
}

impl<Keys, KeyIndex, J, F, S, D, W, G, H, O, L, Off, Lk> WithLeadingColumns<Keys, KeyIndex, J>
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
where
    F: QuerySource,
    J: Copy,
    L: LimitValue,
    Off: LimitValue,
{
    type FromList = F::FromList;
    type Output = SelectStatement<
        ExtendedFrom<F, J>,
        LeadingColumns<Keys, KeyIndex, J, S>,
        D,
        W,
        G,
        H,
        O,
        L,
        Off,
        Lk,
    >;
    fn with_leading_columns(self, keys: Keys, extra: J) -> Self::Output {
        let (from, select) = leading_parts(keys, extra);
        self.map_parts(from, select)
    }
    fn has_limit(&self) -> bool {
        L::PRESENT || Off::PRESENT
    }
}

impl<T: Table, Keys, KeyIndex, J: Copy> WithLeadingColumns<Keys, KeyIndex, J> for T {
    type FromList = <T as QuerySource>::FromList;
    type Output =
        SelectStatement<ExtendedFrom<T, J>, LeadingColumns<Keys, KeyIndex, J, DefaultSelection>>;
    fn with_leading_columns(self, keys: Keys, extra: J) -> Self::Output {
        SelectStatement::new(self).with_leading_columns(keys, extra)
    }
    fn has_limit(&self) -> bool {
        false
    }
}

impl<Left, Right, Kind, On, Keys, KeyIndex, J: Copy> WithLeadingColumns<Keys, KeyIndex, J>
    for Join<Left, Right, Kind, On>
where
    Self: QuerySource + Clone,
{
    type FromList = <Self as QuerySource>::FromList;
    type Output =
        SelectStatement<ExtendedFrom<Self, J>, LeadingColumns<Keys, KeyIndex, J, DefaultSelection>>;
    fn with_leading_columns(self, keys: Keys, extra: J) -> Self::Output {
        SelectStatement::new(self).with_leading_columns(keys, extra)
    }
    fn has_limit(&self) -> bool {
        false
    }
}

impl<'a, F: QuerySource, S, G, DB: Backend, Keys, KeyIndex, J: Copy>
    WithLeadingColumns<Keys, KeyIndex, J> for BoxedSelect<'a, F, S, G, DB>
{
    type FromList = F::FromList;
    type Output = BoxedSelect<'a, ExtendedFrom<F, J>, LeadingColumns<Keys, KeyIndex, J, S>, G, DB>;
    fn with_leading_columns(self, keys: Keys, extra: J) -> Self::Output {
        let (from, select) = leading_parts(keys, extra);
        self.map_parts(from, select)
    }
    fn has_limit(&self) -> bool {
        self.has_limit_or_offset()
    }
}

/// A select clause of a key's columns, `t.a AS philtre_key0, t.b AS philtre_key1`: the parent
/// query as a subquery of its keys (subquery eager loading). Its rows are never read, only
/// nested.
#[derive(Debug, Clone, Copy)]
pub struct KeyOnly {
    table: &'static str,
    columns: &'static [&'static str],
}

/// The name [`KeyOnly`] gives its `i`-th column.
pub fn key_column_name(i: usize) -> String {
    format!("philtre_key{i}")
}

impl<F: QuerySource, G> SelectClause<F, G> for KeyOnly {
    type SqlRow = NoColumns;
}

impl<F, DB: Backend> WriteSelect<F, DB> for KeyOnly {
    fn write_select(&self, _: &F, out: &mut SqlWriter<DB>) {
        for (i, column) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_column(self.table, column);
            out.push_sql(" AS ");
            out.push_identifier(&key_column_name(i));
        }
    }
    fn collect_select_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn select_is_static(&self) -> bool {
        true
    }
}

/// A SELECT whose select list can be replaced by a key's columns (see [`KeyOnly`]). The ORM's
/// subquery loading uses it.
pub trait WithKeyOnly: AsQuery {
    /// The query selecting only the key.
    type KeyQuery;
    /// Replaces the select list by `table.column AS philtre_key0, …`.
    fn with_key_only(self, table: &'static str, columns: &'static [&'static str])
    -> Self::KeyQuery;
}

impl<F, S, D, W, G, H, O, L, Off, Lk> WithKeyOnly
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
{
    type KeyQuery = SelectStatement<F, KeyOnly, D, W, G, H, O, L, Off, Lk>;
    fn with_key_only(
        self,
        table: &'static str,
        columns: &'static [&'static str],
    ) -> Self::KeyQuery {
        self.map_parts(|from| from, |_| KeyOnly { table, columns })
    }
}

impl<T: Table> WithKeyOnly for T {
    type KeyQuery = SelectStatement<T, KeyOnly>;
    fn with_key_only(
        self,
        table: &'static str,
        columns: &'static [&'static str],
    ) -> Self::KeyQuery {
        SelectStatement::new(self).with_key_only(table, columns)
    }
}

impl<Left, Right, Kind, On> WithKeyOnly for Join<Left, Right, Kind, On>
where
    Self: QuerySource + Clone,
{
    type KeyQuery = SelectStatement<Self, KeyOnly>;
    fn with_key_only(
        self,
        table: &'static str,
        columns: &'static [&'static str],
    ) -> Self::KeyQuery {
        SelectStatement::new(self).with_key_only(table, columns)
    }
}

impl<'a, F, S, G, DB: Backend> WithKeyOnly for BoxedSelect<'a, F, S, G, DB> {
    type KeyQuery = BoxedSelect<'a, F, KeyOnly, G, DB>;
    fn with_key_only(
        self,
        table: &'static str,
        columns: &'static [&'static str],
    ) -> Self::KeyQuery {
        self.map_parts(|from| from, |_| KeyOnly { table, columns })
    }
}
