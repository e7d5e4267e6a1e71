//! Joined loading (SQLAlchemy's `joinedload`): the related rows come in the query itself,
//! through one LEFT OUTER JOIN, so the load is one statement; the joined rows of one parent are
//! merged back into one row.
//!
//! ```text
//! SELECT users.id, posts.user_id, posts.id, <Post's columns>,
//!        ROW_NUMBER() OVER (PARTITION BY users.id ORDER BY …)   -- only with an order or limit
//!        , <the query's own select list>
//! FROM users LEFT OUTER JOIN posts ON posts.user_id = users.id [AND condition]
//! WHERE … ORDER BY …                                              -- the query as written
//! ```
//!
//! The relationship's own order is applied to each parent's rows from that rank, so the
//! query's ORDER BY stays the user's; a per-parent limit drops the rows ranked past it.

use std::future::Future;
use std::marker::PhantomData;

use foldhash::{HashMap, HashMapExt};

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::QueryFragment;
use crate::query::{ExtraJoin, ExtraJoinSql, FromClause, NoExtraJoin};
use crate::schema::Table;
use crate::types::{BigInt, Nullable, NullableRow};

use super::keys::{KeyColumns, KeyOf, KeyType, write_names};
use super::loaded::{Loaded, With};
use super::loading::{
    EagerLoad, FromKeyType, Gather, KeyColumnList, LoadPlan, MatchKeyType, NoLoads, Plan,
    RelatedSelection, StartsInFrom,
};
use super::relationship::{Relation, RelationSql, is_self_referential, write_aliased_related};

/// The SQL type of the related table's primary key.
type PrimaryKeyType<R> = <<<R as Relation>::To as Table>::PrimaryKey as KeyColumns>::SqlType;

/// Where a joined load's rows come from: a join it adds ([`AddsJoin`]), or a join the query
/// already has ([`FromQueryJoin`], SQLAlchemy's `contains_eager`).
pub trait JoinMode {
    /// Whether the load adds the LEFT OUTER JOIN itself.
    const ADDS_JOIN: bool;
}

/// The load adds its LEFT OUTER JOIN ([`super::LoadDsl::joined`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct AddsJoin;
impl JoinMode for AddsJoin {
    const ADDS_JOIN: bool = true;
}

/// The related rows come from a join the query already has
/// ([`super::LoadDsl::contains_eager`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct FromQueryJoin;
impl JoinMode for FromQueryJoin {
    const ADDS_JOIN: bool = false;
}

/// Joined loading of relationship `R` into rows of type `T` selected by `Sel`, with `Sub`
/// (selectin loaders) below each of them. Made by [`super::LoadDsl::joined`] and
/// [`super::LoadDsl::contains_eager`].
pub struct JoinedLoad<R, T, Sel, Sub = NoLoads, Mode = AddsJoin> {
    relation: R,
    selection: Sel,
    sub: Sub,
    _row: PhantomData<fn() -> (T, Mode)>,
}

impl<R: Clone, T, Sel: Clone, Sub: Clone, Mode> Clone for JoinedLoad<R, T, Sel, Sub, Mode> {
    fn clone(&self) -> Self {
        JoinedLoad {
            relation: self.relation.clone(),
            selection: self.selection.clone(),
            sub: self.sub.clone(),
            _row: PhantomData,
        }
    }
}

impl<R: std::fmt::Debug, T, Sel, Sub: std::fmt::Debug, Mode> std::fmt::Debug
    for JoinedLoad<R, T, Sel, Sub, Mode>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinedLoad")
            .field("relation", &self.relation)
            .field("row", &std::any::type_name::<T>())
            .field("then", &self.sub)
            .finish()
    }
}

impl<R, T, Sel, Mode> JoinedLoad<R, T, Sel, NoLoads, Mode> {
    pub(crate) fn new(relation: R, selection: Sel) -> Self {
        JoinedLoad {
            relation,
            selection,
            sub: NoLoads,
            _row: PhantomData,
        }
    }

    /// Loads `sub` for the joined rows: selectin loaders of the related table (or a tuple of
    /// them) in queries of their own, `posts.joined::<Post>().then(comments.selectin::<Comment>())`,
    /// or one more joined level in the same statement,
    /// `posts.joined::<Post>().then(comments.joined::<Comment>())`.
    pub fn then<Sub>(self, sub: Sub) -> JoinedLoad<R, T, Sel, Sub, Mode>
    where
        R: Relation,
        Sub: JoinedShape + super::loading::StartsAt<R::To>,
    {
        JoinedLoad {
            relation: self.relation,
            selection: self.selection,
            sub,
            _row: PhantomData,
        }
    }
}

impl<R, T, Sel, Sub, Mode> JoinedLoad<R, T, Sel, Sub, Mode> {
    /// Loads `other` (selectin loaders of the same table's relationships) for the same rows,
    /// beside this one: `posts.joined::<Post>().and(teams.selectin::<Team>())`.
    pub fn and<Other: super::Plan>(self, other: Other) -> super::Both<Self, Other> {
        super::Both::new(self, other)
    }
}

#[diagnostic::do_not_recommend]
impl<FromList, Index, R: Relation, T, Sel, Sub> StartsInFrom<FromList, Index>
    for JoinedLoad<R, T, Sel, Sub, AddsJoin>
where
    FromList: crate::schema::TableInFrom<R::From, Index>,
{
}

/// A joined level below another starts at the table the level above reaches.
#[diagnostic::do_not_recommend]
impl<Table, R, T, Sel, Sub> super::loading::StartsAt<Table> for JoinedLoad<R, T, Sel, Sub, AddsJoin>
where
    R: Relation,
    R::From: super::loading::SameTable<Table>,
{
}

/// `contains_eager` also needs the related table in the query's FROM: it reads the rows of
/// the query's own join.
#[diagnostic::do_not_recommend]
impl<FromList, FromIndex, ToIndex, R: Relation, T, Sel, Sub>
    StartsInFrom<FromList, (FromIndex, ToIndex)> for JoinedLoad<R, T, Sel, Sub, FromQueryJoin>
where
    FromList:
        crate::schema::TableInFrom<R::From, FromIndex> + crate::schema::TableInFrom<R::To, ToIndex>,
{
}

/// What a joined level has below it: selectin loaders (every [`Plan`], [`NoLoads`] included),
/// run as queries of their own, or another joined level, whose columns and LEFT OUTER JOIN
/// join the same statement.
pub trait JoinedShape {
    /// The key columns the level above selects for it (its relationship's `FromKey`).
    type KeyColumns: Copy + Default + Send + Sync;
    /// What they read into.
    type KeyRead: Default + Send;
    /// Its own columns and join in the statement ([`NoExtraJoin`] for selectin).
    type Columns: ExtraJoin;
    /// What its columns read into.
    type ColumnsRead: Send;
    /// What it gives one row of the level above.
    type Output: Send;
    /// A row of type `T` with the output attached.
    type Row<T>;
    /// Attaches `output` to `row`.
    fn attach<T>(row: T, output: Self::Output) -> Self::Row<T>;
    /// Its columns and join.
    fn columns(&self) -> Self::Columns;
}

/// A [`JoinedShape`] that can finish its load on connection `Conn`.
pub trait JoinedBelow<Conn, Io>: JoinedShape + Sync {
    /// What each row of the level above (its "owners") gets: from the owners' keys, and from
    /// every joined row's own columns together with the owner it belongs to.
    fn finish_below<'a>(
        &'a self,
        owner_keys: Vec<Self::KeyRead>,
        rows: Vec<(usize, Self::ColumnsRead)>,
        conn: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<Self::Output>>> + Send;
}

impl<L: Plan> JoinedShape for L {
    type KeyColumns = L::KeyColumns;
    type KeyRead = L::KeyRead;
    type Columns = NoExtraJoin;
    type ColumnsRead = ();
    type Output = L::Output;
    type Row<T> = L::Row<T>;
    fn attach<T>(row: T, output: L::Output) -> L::Row<T> {
        L::attach(row, output)
    }
    fn columns(&self) -> NoExtraJoin {
        NoExtraJoin
    }
}

impl<Conn: Send, Io, L: LoadPlan<Conn, Io>> JoinedBelow<Conn, Io> for L {
    fn finish_below<'a>(
        &'a self,
        owner_keys: Vec<L::KeyRead>,
        _: Vec<(usize, ())>,
        conn: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<L::Output>>> + Send {
        self.load_for(owner_keys, conn)
    }
}

/// What a joined load adds to the query: the related table's columns and (unless the query
/// has the join already) the LEFT OUTER JOIN, then those of the level below.
pub struct JoinedColumns<R, Sel, Below: JoinedShape, Mode = AddsJoin> {
    relation: R,
    selection: Sel,
    below: Below::Columns,
    _mode: PhantomData<fn() -> (Below, Mode)>,
}

impl<R: Clone, Sel: Clone, Below: JoinedShape, Mode> Clone for JoinedColumns<R, Sel, Below, Mode> {
    fn clone(&self) -> Self {
        JoinedColumns {
            relation: self.relation.clone(),
            selection: self.selection.clone(),
            below: self.below,
            _mode: PhantomData,
        }
    }
}

impl<R: Copy, Sel: Copy, Below: JoinedShape, Mode> Copy for JoinedColumns<R, Sel, Below, Mode> {}

impl<R, Sel, Below, Mode> ExtraJoin for JoinedColumns<R, Sel, Below, Mode>
where
    R: Relation + Copy,
    <R::To as Table>::PrimaryKey: KeyColumns,
    Sel: RelatedSelection<R::To> + Copy,
    Below: JoinedShape,
    Below::KeyColumns: KeyColumnList,
{
    type SqlRow = (
        NullableRow<(
            MatchKeyType<R>,
            PrimaryKeyType<R>,
            <Below::KeyColumns as KeyColumnList>::SqlRow,
            Sel::SqlRow,
        )>,
        Nullable<BigInt>,
        <Below::Columns as ExtraJoin>::SqlRow,
    );
    const EMPTY: bool = false;
}

impl<R, Sel, Below, Mode, DB> ExtraJoinSql<DB> for JoinedColumns<R, Sel, Below, Mode>
where
    Mode: JoinMode,
    DB: Backend,
    R: RelationSql<DB> + Copy,
    R::To: FromClause<DB>,
    <R::To as Table>::PrimaryKey: KeyColumns,
    Sel: RelatedSelection<R::To> + QueryFragment<DB> + Copy,
    Below: JoinedShape,
    Below::KeyColumns: KeyColumnList + QueryFragment<DB>,
    Below::Columns: ExtraJoinSql<DB>,
{
    fn write_columns(&self, out: &mut SqlWriter<DB>) {
        if is_self_referential::<R>() {
            // A table joined to itself: the joined rows are read through an alias.
            write_names::<DB>(SELF_ALIAS, R::MatchKey::NAMES, out);
            out.push_sql(", ");
            write_names::<DB>(
                SELF_ALIAS,
                <<R::To as Table>::PrimaryKey as KeyColumns>::NAMES,
                out,
            );
            out.push_sql(", ");
            if Sel::ALIASABLE {
                Sel::write_from_alias(SELF_ALIAS, out);
            } else {
                // Refused when its binds are collected; written so that the SQL is whole.
                self.selection.to_sql(out);
            }
            out.push_sql(", ");
            if self.relation.per_parent_limit().is_some() {
                out.push_sql("ROW_NUMBER() OVER (PARTITION BY ");
                R::FromKey::write_list(out);
                out.push_sql(")");
            } else {
                out.push_sql("NULL");
            }
            return;
        }
        R::MatchKey::write_list(out);
        out.push_sql(", ");
        <<R::To as Table>::PrimaryKey as KeyColumns>::write_list(out);
        if !<Below::KeyColumns as KeyColumnList>::EMPTY {
            out.push_sql(", ");
            Below::KeyColumns::default().to_sql(out);
        }
        out.push_sql(", ");
        self.selection.to_sql(out);
        out.push_sql(", ");
        if R::ORDERED || self.relation.per_parent_limit().is_some() {
            out.push_sql("ROW_NUMBER() OVER (PARTITION BY ");
            R::FromKey::write_list(out);
            if R::ORDERED {
                out.push_sql(" ORDER BY ");
                self.relation.write_order(out);
            }
            out.push_sql(")");
        } else {
            out.push_sql("NULL");
        }
        if !<Below::Columns as ExtraJoin>::EMPTY {
            out.push_sql(", ");
            self.below.write_columns(out);
        }
    }
    fn collect_column_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.selection.collect_binds(out)?;
        self.relation.collect_order_binds(out)?;
        self.below.collect_column_binds(out)
    }
    fn write_join(&self, out: &mut SqlWriter<DB>) {
        if Mode::ADDS_JOIN && is_self_referential::<R>() {
            out.push_sql(" LEFT OUTER JOIN ");
            write_aliased_related::<R, DB>(SELF_ALIAS, " ON ", out);
            return;
        }
        if Mode::ADDS_JOIN {
            out.push_sql(" LEFT OUTER JOIN ");
            if R::SOURCE_IS_JOIN {
                out.push_sql("(");
                R::write_source(out);
                out.push_sql(")");
            } else {
                R::write_source(out);
            }
            out.push_sql(" ON ");
            R::MatchKey::write_equal::<R::FromKey, DB>(out);
            self.relation.write_condition(out);
        }
        self.below.write_join(out);
    }
    fn collect_join_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if is_self_referential::<R>() {
            // Read through an alias: whatever names the table itself (a condition, an order,
            // a selection of loose columns, a level below, a join as source, the query's own
            // join) would name the outer rows instead.
            if R::FILTERED
                || R::ORDERED
                || !Sel::ALIASABLE
                || R::SOURCE_IS_JOIN
                || !Mode::ADDS_JOIN
                || !<Below::Columns as ExtraJoin>::EMPTY
                || !<Below::KeyColumns as KeyColumnList>::EMPTY
            {
                return Err(Error::new(
                    ErrorKind::InvalidQuery,
                    format!(
                        "joined loading of a relationship from `{0}` to `{0}` itself takes a \
                         `Selectable` row and no `.filter`, `.order_by` or level below (they \
                         would name the outer `{0}`): load it with `selectin`",
                        <R::From as Table>::DESCRIPTION.name
                    ),
                ));
            }
            return self.below.collect_join_binds(out);
        }
        if Mode::ADDS_JOIN {
            self.relation.collect_condition_binds(out)?;
        }
        self.below.collect_join_binds(out)
    }
    fn is_static(&self) -> bool {
        self.relation.is_static() && self.selection.has_static_sql() && self.below.is_static()
    }
}

/// The alias of a table joined to itself.
const SELF_ALIAS: &str = "philtre_joined";

/// One joined row's related part: match key, related primary key, keys for the level below,
/// the row.
type JoinedPart<R, SubKeyRead, T> = (
    <MatchKeyType<R> as KeyType>::Read,
    <PrimaryKeyType<R> as KeyType>::Read,
    SubKeyRead,
    T,
);

/// What one joined row reads for a level: its part (if the join found a row), its rank, and
/// the level below's columns.
type JoinedRead<R, Below, T> = (
    Option<JoinedPart<R, <Below as JoinedShape>::KeyRead, T>>,
    Option<i64>,
    <Below as JoinedShape>::ColumnsRead,
);

/// What a joined level gives one row of the level above.
type JoinedOutput<R, Below, T> =
    With<R, <<R as Relation>::Cardinality as Gather<<Below as JoinedShape>::Row<T>>>::Value>;

impl<R, T, Sel, Sub> JoinedShape for JoinedLoad<R, T, Sel, Sub, AddsJoin>
where
    R: Relation + Copy,
    <R::To as Table>::PrimaryKey: KeyColumns,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType,
    PrimaryKeyType<R>: KeyType,
    Sel: RelatedSelection<R::To> + Copy,
    Sub: JoinedShape,
    Sub::KeyColumns: KeyColumnList,
    R::Cardinality: Gather<Sub::Row<T>>,
    JoinedRead<R, Sub, T>: Send,
    JoinedOutput<R, Sub, T>: Send,
{
    type KeyColumns = <R::FromKey as KeyColumns>::Selection;
    type KeyRead = <FromKeyType<R> as KeyType>::Read;
    type Columns = JoinedColumns<R, Sel, Sub, AddsJoin>;
    type ColumnsRead = JoinedRead<R, Sub, T>;
    type Output = JoinedOutput<R, Sub, T>;
    type Row<P> = Loaded<P, Self::Output>;
    fn attach<P>(row: P, output: Self::Output) -> Loaded<P, Self::Output> {
        Loaded::new(row, output)
    }
    fn columns(&self) -> Self::Columns {
        joined_columns(self)
    }
}

fn joined_columns<R: Copy, T, Sel: Copy, Sub: JoinedShape, Mode, Mode2>(
    load: &JoinedLoad<R, T, Sel, Sub, Mode>,
) -> JoinedColumns<R, Sel, Sub, Mode2> {
    JoinedColumns {
        relation: load.relation,
        selection: load.selection,
        below: load.sub.columns(),
        _mode: PhantomData,
    }
}

impl<R, T, Sel, Sub, Conn, Io> JoinedBelow<Conn, Io> for JoinedLoad<R, T, Sel, Sub, AddsJoin>
where
    Self: JoinedShape<
            KeyRead = <FromKeyType<R> as KeyType>::Read,
            ColumnsRead = JoinedRead<R, Sub, T>,
            Output = JoinedOutput<R, Sub, T>,
        >,
    R: Relation + Copy,
    <R::To as Table>::PrimaryKey: KeyColumns,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType,
    PrimaryKeyType<R>: KeyType,
    Sub: JoinedBelow<Conn, Io>,
    R::Cardinality: Gather<Sub::Row<T>>,
    Conn: Send,
    R: Sync,
    Sel: Sync,
    T: Send,
{
    fn finish_below<'a>(
        &'a self,
        owner_keys: Vec<Self::KeyRead>,
        rows: Vec<(usize, Self::ColumnsRead)>,
        conn: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<Self::Output>>> + Send {
        let owner_keys = owner_keys.into_iter().map(FromKeyType::<R>::key).collect();
        gather_joined::<R, T, Sub, Conn, Io>(&self.relation, &self.sub, owner_keys, rows, conn)
    }
}

/// A joined level's rows, given to the rows above them ("owners"): each related row once per
/// owner (once in all for a many-to-one, whose rows are shared), in the relationship's order,
/// cut at its per-parent limit, with the level below loaded for it.
async fn gather_joined<R, T, Sub, Conn, Io>(
    relation: &R,
    sub: &Sub,
    owner_keys: Vec<Option<KeyOf<FromKeyType<R>>>>,
    rows: Vec<(usize, JoinedRead<R, Sub, T>)>,
    conn: &mut Conn,
) -> QueryResult<Vec<JoinedOutput<R, Sub, T>>>
where
    R: Relation,
    <R::To as Table>::PrimaryKey: KeyColumns,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType,
    PrimaryKeyType<R>: KeyType,
    Sub: JoinedBelow<Conn, Io>,
    R::Cardinality: Gather<Sub::Row<T>>,
{
    let describe = || {
        format!(
            "joined loading of `{}` from `{}`",
            <R::To as Table>::DESCRIPTION.name,
            <R::From as Table>::DESCRIPTION.name
        )
    };
    let merge = R::FROM_KEY_IS_UNIQUE;
    let limit = relation.per_parent_limit();
    // Each related row once per owner (for a many-to-one, once: its owners share it).
    let mut position: HashMap<(usize, KeyOf<PrimaryKeyType<R>>), usize> = HashMap::new();
    let mut items: Vec<(Option<i64>, KeyOf<FromKeyType<R>>, T)> = Vec::new();
    let mut item_keys: Vec<Sub::KeyRead> = Vec::new();
    let mut below: Vec<(usize, Sub::ColumnsRead)> = Vec::new();
    for (owner, (part, rank, below_read)) in rows {
        let (Some(Some(key)), Some((_, primary_key, sub_key, item))) =
            (owner_keys.get(owner).cloned(), part)
        else {
            continue;
        };
        if let (Some(limit), Some(rank)) = (limit, rank)
            && rank > *limit
        {
            continue;
        }
        let owner_slot = if merge { owner } else { 0 };
        let at = match PrimaryKeyType::<R>::key(primary_key) {
            Some(primary_key) => match position.get(&(owner_slot, primary_key.clone())) {
                Some(&at) => at,
                None => {
                    position.insert((owner_slot, primary_key), items.len());
                    items.push((rank, key, item));
                    item_keys.push(sub_key);
                    items.len() - 1
                }
            },
            None => {
                items.push((rank, key, item));
                item_keys.push(sub_key);
                items.len() - 1
            }
        };
        below.push((at, below_read));
    }
    let below = sub.finish_below(item_keys, below, conn).await?;
    let mut attached: Vec<(Option<i64>, KeyOf<FromKeyType<R>>, Sub::Row<T>)> = items
        .into_iter()
        .zip(below)
        .map(|((rank, key, item), below)| (rank, key, Sub::attach(item, below)))
        .collect();
    // The relationship's order, from its rank; a stable sort keeps equal ranks as they came.
    if attached.iter().any(|(rank, ..)| rank.is_some()) {
        attached.sort_by_key(|(rank, ..)| *rank);
    }
    let grouped = attached.into_iter().map(|(_, key, item)| (key, item));
    let mut groups = <R::Cardinality as Gather<Sub::Row<T>>>::group(grouped, &describe)?;
    let mut outputs = Vec::with_capacity(owner_keys.len());
    for key in &owner_keys {
        // Owners are distinct rows with distinct keys where rows are merged, so each takes its
        // rows; a many-to-one shares them.
        let value = <R::Cardinality as Gather<Sub::Row<T>>>::take(
            &mut groups,
            key.as_ref(),
            true,
            &describe,
        )?;
        outputs.push(With::new(value));
    }
    Ok(outputs)
}

impl<R, T, Sel, Sub, Mode, Conn, Q, Io> EagerLoad<Conn, Q, Io> for JoinedLoad<R, T, Sel, Sub, Mode>
where
    Mode: JoinMode,
    R: Relation + Copy,
    <R::To as Table>::PrimaryKey: KeyColumns,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType,
    PrimaryKeyType<R>: KeyType,
    Sel: RelatedSelection<R::To> + Copy,
    Sub: JoinedBelow<Conn, Io>,
    Sub::KeyColumns: KeyColumnList,
    R::Cardinality: Gather<Sub::Row<T>>,
    JoinedColumns<R, Sel, Sub, Mode>: ExtraJoin,
    Conn: Send,
    R: Sync,
    Sel: Sync,
    T: Send,
    Mode: Sync,
    JoinedRead<R, Sub, T>: Send,
    JoinedOutput<R, Sub, T>: Send,
{
    type KeyColumns = <R::FromKey as KeyColumns>::Selection;
    type Extra = JoinedColumns<R, Sel, Sub, Mode>;
    type KeyRead = <FromKeyType<R> as KeyType>::Read;
    type ExtraRead = JoinedRead<R, Sub, T>;
    type Output = JoinedOutput<R, Sub, T>;
    type Row<P> = Loaded<P, JoinedOutput<R, Sub, T>>;
    fn split<P>(row: Self::Row<P>) -> (P, Self::Output) {
        row.into_parts()
    }
    type Prepared = ();

    fn prepare(&self, _: &Q) {}

    fn extra(&self) -> Self::Extra {
        joined_columns(self)
    }

    async fn finish<P: Send>(
        &self,
        rows: Vec<(Self::KeyRead, Self::ExtraRead, P)>,
        limited: bool,
        (): (),
        conn: &mut Conn,
    ) -> QueryResult<Vec<Self::Row<P>>> {
        let merge = R::FROM_KEY_IS_UNIQUE;
        // With its own join, the query's LIMIT is the user's to mean.
        if limited && merge && Mode::ADDS_JOIN {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "joined loading of `{}` from `{}`: the query has a LIMIT or OFFSET, which \
                     would count joined rows, not rows of `{}`; load this relationship with \
                     `selectin`",
                    <R::To as Table>::DESCRIPTION.name,
                    <R::From as Table>::DESCRIPTION.name,
                    <R::From as Table>::DESCRIPTION.name
                ),
            ));
        }
        // Parents in the query's order, merged by key where the key identifies them.
        let mut parents: Vec<P> = Vec::new();
        let mut parent_keys: Vec<Option<KeyOf<FromKeyType<R>>>> = Vec::new();
        let mut position: HashMap<KeyOf<FromKeyType<R>>, usize> = HashMap::new();
        let mut joined = Vec::with_capacity(rows.len());
        for (key_read, extra, row) in rows {
            let key = FromKeyType::<R>::key(key_read);
            let at = match (&key, merge) {
                (Some(found), true) => match position.get(found) {
                    Some(&at) => at,
                    None => {
                        position.insert(found.clone(), parents.len());
                        parents.push(row);
                        parent_keys.push(key);
                        parents.len() - 1
                    }
                },
                _ => {
                    parents.push(row);
                    parent_keys.push(key);
                    parents.len() - 1
                }
            };
            joined.push((at, extra));
        }
        let outputs = gather_joined::<R, T, Sub, Conn, Io>(
            &self.relation,
            &self.sub,
            parent_keys,
            joined,
            conn,
        )
        .await?;
        Ok(parents
            .into_iter()
            .zip(outputs)
            .map(|(row, output)| Loaded::new(row, output))
            .collect())
    }
}
