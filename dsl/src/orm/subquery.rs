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

use std::marker::PhantomData;

use foldhash::HashSet;

use crate::connection::LoadsRows;
use crate::error::QueryResult;
use crate::query::{NoExtraJoin, WithKeyOnly};

use super::keys::{KeyColumns, KeyOf, KeySubquery, KeyType};
use super::loaded::Loaded;
use super::loading::{
    EagerLoad, FromKeyType, Gather, KeyColumnList, LoadPlan, LoadedBy, MatchKeyType, NoLoads, Plan,
    RelatedSelection, StartsAt, StartsInFrom,
};
use super::relationship::Relation;
use super::selectin::{RelatedRowsQuery, distribute};
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

    /// Loads `sub` (selectin loaders of the related table, or a tuple of them) for the related
    /// rows: `posts.subquery::<Post>().then(comments.selectin::<Comment>())`.
    pub fn then<Sub>(self, sub: Sub) -> SubqueryLoad<R, T, Sel, Sub>
    where
        R: Relation,
        Sub: Plan + StartsAt<R::To>,
    {
        SubqueryLoad {
            relation: self.relation,
            selection: self.selection,
            sub,
            _row: PhantomData,
        }
    }
}

#[diagnostic::do_not_recommend]
impl<FromList, Index, R: Relation, T, Sel, Sub> StartsInFrom<FromList, Index>
    for SubqueryLoad<R, T, Sel, Sub>
where
    FromList: crate::schema::TableInFrom<R::From, Index>,
{
}

/// The query of the related rows, given the parent query's keys as `KeyQuery`.
type SubqueryRows<R, Sub, Sel, KeyQuery> = RelatedRowsQuery<
    R,
    <Sub as Plan>::KeyColumns,
    Sel,
    KeySubquery<<R as Relation>::MatchKey, KeyQuery>,
>;

impl<R, T, Sel, Sub, Conn, Q> EagerLoad<Conn, Q> for SubqueryLoad<R, T, Sel, Sub>
where
    R: Relation,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType<Key = KeyOf<FromKeyType<R>>>,
    Sel: RelatedSelection<R::To> + Clone,
    Sub: LoadPlan<Conn>,
    Sub::KeyColumns: KeyColumnList,
    R::Cardinality: Gather<Sub::Row<T>>,
    Q: WithKeyOnly + Clone,
    Conn: LoadsRows<
            SubqueryRows<R, Sub, Sel, Q::KeyQuery>,
            (<MatchKeyType<R> as KeyType>::Read, Sub::KeyRead, T),
        >,
{
    type KeyColumns = <R::FromKey as KeyColumns>::Selection;
    type Extra = NoExtraJoin;
    type KeyRead = <FromKeyType<R> as KeyType>::Read;
    type ExtraRead = ();
    type Row<P> = Loaded<P, LoadedBy<R, T, Sub>>;
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

    fn finish<P>(
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
        let distinct = parent_keys.iter().flatten().collect::<HashSet<_>>().len();
        if distinct == 0 {
            return Ok(parents
                .into_iter()
                .zip(distribute::<R, T, Sub, Conn>(
                    &self.sub,
                    parent_keys,
                    0,
                    Vec::new(),
                    conn,
                )?)
                .map(|(row, with)| Loaded::new(row, with))
                .collect());
        }
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
        let related = conn.load_rows(&query)?;
        let loaded =
            distribute::<R, T, Sub, Conn>(&self.sub, parent_keys, distinct, related, conn)?;
        Ok(parents
            .into_iter()
            .zip(loaded)
            .map(|(row, with)| Loaded::new(row, with))
            .collect())
    }
}
