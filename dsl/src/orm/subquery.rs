//! Subquery loading (SQLAlchemy's `subqueryload`): the related rows are selected by the
//! query itself, nested, instead of by a list of its keys:
//!
//! ```text
//! SELECT posts.user_id, <Post's columns> FROM posts
//! WHERE posts.user_id IN (SELECT philtre_keys.philtre_key
//!                         FROM (SELECT users.id AS philtre_key FROM users WHERE …) philtre_keys)
//! ```
//!
//! No keys travel back to the database, so it suits a query returning more rows than a key
//! list should carry; the database runs the query twice.

use std::future::Future;
use std::marker::PhantomData;

use foldhash::HashSet;

use crate::connection::ReadsRows;
use crate::error::QueryResult;
use crate::query::{NoExtraJoin, WithKeyOnly};

use super::keys::{KeyColumns, KeyOf, KeySubquery, KeyType};
use super::loaded::Loaded;
use super::loading::{
    EagerLoad, FromKeyType, Gather, KeyColumnList, LevelShape, LoadPlan, MatchKeyType, NoLoads,
    RelatedSelection, StartsAt, StartsInFrom,
};
use super::relationship::Relation;
use super::selectin::{
    KeySource, LevelOutput, RelatedRowsQuery, distribute, split_keyed, take_keyed_sub_key,
};
use crate::schema::Table;

/// Subquery loading of relationship `R` into rows of type `T` selected by `Sel`, with `Sub`
/// (selectin loaders) below each of them. Made by [`super::LoadDsl::subquery`].
pub struct SubqueryLoad<R, T, Sel, Sub = NoLoads> {
    relation: R,
    selection: Sel,
    sub: Sub,
    _row: PhantomData<fn() -> T>,
}

impl<R: Clone, T, Sel: Clone, Sub: Clone> Clone for SubqueryLoad<R, T, Sel, Sub> {
    fn clone(&self) -> Self {
        SubqueryLoad {
            relation: self.relation.clone(),
            selection: self.selection.clone(),
            sub: self.sub.clone(),
            _row: PhantomData,
        }
    }
}

impl<R: std::fmt::Debug, T, Sel, Sub: std::fmt::Debug> std::fmt::Debug
    for SubqueryLoad<R, T, Sel, Sub>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubqueryLoad")
            .field("relation", &self.relation)
            .field("row", &std::any::type_name::<T>())
            .field("then", &self.sub)
            .finish()
    }
}

impl<R, T, Sel> SubqueryLoad<R, T, Sel, NoLoads> {
    pub(crate) fn new(relation: R, selection: Sel) -> Self {
        SubqueryLoad {
            relation,
            selection,
            sub: NoLoads,
            _row: PhantomData,
        }
    }

    /// Loads `sub` for the related rows: selectin loaders of the related table (or a tuple of
    /// them), `posts.subquery::<Post>().then(comments.selectin::<Comment>())`, or one more
    /// subquery level, which nests this level's query in its own:
    /// `posts.subquery::<Post>().then(comments.subquery::<Comment>())`.
    pub fn then<Sub>(self, sub: Sub) -> SubqueryLoad<R, T, Sel, Sub>
    where
        R: Relation,
        Sub: LevelShape + StartsAt<R::To>,
    {
        SubqueryLoad {
            relation: self.relation,
            selection: self.selection,
            sub,
            _row: PhantomData,
        }
    }
}

impl<R, T, Sel, Sub> SubqueryLoad<R, T, Sel, Sub> {
    /// Loads `other` (selectin loaders of the same table's relationships) for the same rows,
    /// beside this one: `posts.subquery::<Post>().and(teams.selectin::<Team>())`.
    pub fn and<Other: super::Plan>(self, other: Other) -> super::Both<Self, Other> {
        super::Both::new(self, other)
    }
}

#[diagnostic::do_not_recommend]
impl<FromList, Index, R: Relation, T, Sel, Sub> StartsInFrom<FromList, Index>
    for SubqueryLoad<R, T, Sel, Sub>
where
    FromList: crate::schema::TableInFrom<R::From, Index>,
{
}

/// A subquery level below another starts at the table the level above reaches.
#[diagnostic::do_not_recommend]
impl<Table, R, T, Sel, Sub> StartsAt<Table> for SubqueryLoad<R, T, Sel, Sub>
where
    R: Relation,
    R::From: super::loading::SameTable<Table>,
{
}

/// The query of the related rows, given the keys of the rows above as `KeyQuery`.
pub type SubqueryRows<R, Sub, Sel, KeyQuery> = RelatedRowsQuery<
    R,
    <Sub as LevelShape>::KeyColumns,
    Sel,
    KeySubquery<<R as Relation>::MatchKey, KeyQuery>,
>;

/// What sits below a subquery level, on connection `Conn`, given the query of that level
/// (`Above`): selectin loaders (every [`LoadPlan`]), which take the level's keys, or another
/// subquery level, which nests the level's query.
pub trait SubqueryBelow<Conn, Above, Io>: LevelShape + Sync {
    /// What each row of the level gets.
    fn finish_below<'a>(
        &'a self,
        owner_keys: Vec<Self::KeyRead>,
        above: &Above,
        conn: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<Self::Output>>> + Send;
}

impl<Conn: Send, Above, Io, L: LoadPlan<Conn, Io>> SubqueryBelow<Conn, Above, Io> for L {
    fn finish_below<'a>(
        &'a self,
        owner_keys: Vec<L::KeyRead>,
        _: &Above,
        conn: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<L::Output>>> + Send {
        self.load_for(owner_keys, conn)
    }
}

impl<R, T, Sel, Sub> LevelShape for SubqueryLoad<R, T, Sel, Sub>
where
    R: Relation,
    FromKeyType<R>: KeyType,
    Sub: LevelShape,
    R::Cardinality: Gather<Sub::Row<T>>,
    LevelOutput<R, T, Sub>: Send,
{
    type KeyColumns = <R::FromKey as KeyColumns>::Selection;
    type KeyRead = <FromKeyType<R> as KeyType>::Read;
    type Output = LevelOutput<R, T, Sub>;
    type Row<P> = Loaded<P, Self::Output>;
    fn attach<P>(row: P, output: Self::Output) -> Loaded<P, Self::Output> {
        Loaded::new(row, output)
    }
}

impl<R, T, Sel, Sub> SubqueryLoad<R, T, Sel, Sub>
where
    R: Relation,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType<Key = KeyOf<FromKeyType<R>>>,
    Sel: RelatedSelection<R::To> + Clone,
    Sub: LevelShape,
    Sub::KeyColumns: KeyColumnList,
    R::Cardinality: Gather<Sub::Row<T>>,
{
    /// One level: the related rows of the rows whose keys `key_query` selects, given to those
    /// rows (`parent_keys`, in their order), with the level below loaded for them.
    async fn load_level<Conn, KeyQuery, Io>(
        &self,
        parent_keys: Vec<Option<KeyOf<FromKeyType<R>>>>,
        key_query: KeyQuery,
        conn: &mut Conn,
    ) -> QueryResult<Vec<LevelOutput<R, T, Sub>>>
    where
        Sub: SubqueryBelow<Conn, SubqueryRows<R, Sub, Sel, KeyQuery>, Io>,
        Conn: ReadsRows<
                Io,
                SubqueryRows<R, Sub, Sel, KeyQuery>,
                (<MatchKeyType<R> as KeyType>::Read, Sub::KeyRead, T),
            >,
    {
        let distinct = parent_keys.iter().flatten().collect::<HashSet<_>>().len();
        let query = RelatedRowsQuery {
            relation: self.relation.clone(),
            sub_keys: Sub::KeyColumns::default(),
            selection: self.selection.clone(),
            keys: KeySubquery {
                query: key_query,
                _key: PhantomData,
            },
            _mode: PhantomData,
        };
        let mut related = if distinct == 0 {
            Vec::new()
        } else {
            conn.read_rows(&query).await?
        };
        let below_keys = related.iter_mut().map(take_keyed_sub_key).collect();
        let below = self.sub.finish_below(below_keys, &query, conn).await?;
        distribute::<R, T, Sub, _>(
            below,
            parent_keys,
            distinct,
            related,
            split_keyed::<R, Sub::KeyRead, T>,
        )
    }
}

impl<R, T, Sel, Sub, Conn, Above, Io> SubqueryBelow<Conn, Above, Io>
    for SubqueryLoad<R, T, Sel, Sub>
where
    Self: LevelShape<KeyRead = <FromKeyType<R> as KeyType>::Read, Output = LevelOutput<R, T, Sub>>,
    R: Relation,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType<Key = KeyOf<FromKeyType<R>>>,
    Sel: RelatedSelection<R::To> + Clone,
    Sub: SubqueryBelow<Conn, SubqueryRows<R, Sub, Sel, Above::KeysQuery<R::FromKey>>, Io>,
    Sub::KeyColumns: KeyColumnList,
    R::Cardinality: Gather<Sub::Row<T>>,
    Above: KeySource,
    Conn: ReadsRows<
            Io,
            SubqueryRows<R, Sub, Sel, Above::KeysQuery<R::FromKey>>,
            (<MatchKeyType<R> as KeyType>::Read, Sub::KeyRead, T),
        >,
    SubqueryRows<R, Sub, Sel, Above::KeysQuery<R::FromKey>>: Send + Sync,
    Above::KeysQuery<R::FromKey>: Send,
    Conn: Send,
    R: Send + Sync,
    T: Send,
    Sel: Sync,
{
    fn finish_below<'a>(
        &'a self,
        owner_keys: Vec<Self::KeyRead>,
        above: &Above,
        conn: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<Self::Output>>> + Send {
        let parent_keys = owner_keys.into_iter().map(FromKeyType::<R>::key).collect();
        self.load_level(parent_keys, above.keys_query::<R::FromKey>(), conn)
    }
}

impl<R, T, Sel, Sub, Conn, Q, Io> EagerLoad<Conn, Q, Io> for SubqueryLoad<R, T, Sel, Sub>
where
    R: Relation,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType<Key = KeyOf<FromKeyType<R>>>,
    Sel: RelatedSelection<R::To> + Clone,
    Sub: SubqueryBelow<Conn, SubqueryRows<R, Sub, Sel, Q::KeyQuery>, Io>,
    Sub::KeyColumns: KeyColumnList,
    R::Cardinality: Gather<Sub::Row<T>>,
    Q: WithKeyOnly + Clone,
    Q::KeyQuery: Send,
    LevelOutput<R, T, Sub>: Send,
    Conn: ReadsRows<
            Io,
            SubqueryRows<R, Sub, Sel, Q::KeyQuery>,
            (<MatchKeyType<R> as KeyType>::Read, Sub::KeyRead, T),
        >,
    SubqueryRows<R, Sub, Sel, Q::KeyQuery>: Send + Sync,
    Conn: Send,
    R: Send + Sync,
    T: Send,
    Sel: Sync,
{
    type KeyColumns = <R::FromKey as KeyColumns>::Selection;
    type Extra = NoExtraJoin;
    type KeyRead = <FromKeyType<R> as KeyType>::Read;
    type ExtraRead = ();
    type Output = LevelOutput<R, T, Sub>;
    type Row<P> = Loaded<P, LevelOutput<R, T, Sub>>;
    fn split<P>(row: Self::Row<P>) -> (P, Self::Output) {
        row.into_parts()
    }
    type Prepared = Q::KeyQuery;

    fn extra(&self) -> NoExtraJoin {
        NoExtraJoin
    }

    fn prepare(&self, query: &Q) -> Q::KeyQuery {
        query.clone().with_key_only(
            <<R::FromKey as KeyColumns>::Table as Table>::DESCRIPTION.name,
            R::FromKey::NAMES,
        )
    }

    async fn finish<P: Send>(
        &self,
        rows: Vec<(Self::KeyRead, (), P)>,
        _: bool,
        key_query: Q::KeyQuery,
        conn: &mut Conn,
    ) -> QueryResult<Vec<Self::Row<P>>> {
        let mut parent_keys = Vec::with_capacity(rows.len());
        let mut parents = Vec::with_capacity(rows.len());
        for (key, (), row) in rows {
            parent_keys.push(FromKeyType::<R>::key(key));
            parents.push(row);
        }
        let loaded = self.load_level(parent_keys, key_query, conn).await?;
        Ok(parents
            .into_iter()
            .zip(loaded)
            .map(|(row, with)| Loaded::new(row, with))
            .collect())
    }
}
