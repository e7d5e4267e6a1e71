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

use std::marker::PhantomData;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::QueryFragment;
use crate::query::{ExtraJoin, ExtraJoinSql, FromClause};
use crate::schema::Table;
use crate::types::{BigInt, Nullable, NullableRow};

use super::keys::{KeyColumns, KeyOf, KeyType};
use super::loaded::{Loaded, With};
use super::loading::{
    EagerLoad, FromKeyType, Gather, KeyColumnList, LoadPlan, LoadedBy, MatchKeyType, NoLoads, Plan,
    RelatedSelection, StartsInFrom,
};
use super::relationship::{Relation, RelationSql};

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

    /// Loads `sub` (selectin loaders of the related table, or a tuple of them) for the joined
    /// rows: `posts.joined::<Post>().then(comments.selectin::<Comment>())`.
    pub fn then<Sub>(self, sub: Sub) -> JoinedLoad<R, T, Sel, Sub, Mode>
    where
        R: Relation,
        Sub: Plan + super::loading::StartsAt<R::To>,
    {
        JoinedLoad {
            relation: self.relation,
            selection: self.selection,
            sub,
            _row: PhantomData,
        }
    }
}

#[diagnostic::do_not_recommend]
impl<FromList, Index, R: Relation, T, Sel, Sub> StartsInFrom<FromList, Index>
    for JoinedLoad<R, T, Sel, Sub, AddsJoin>
where
    FromList: crate::schema::TableInFrom<R::From, Index>,
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

/// What a joined load adds to the query: the related table's columns and (unless the query
/// has the join already) the LEFT OUTER JOIN.
pub struct JoinedColumns<R, Sel, SubKeys, Mode = AddsJoin> {
    relation: R,
    selection: Sel,
    _sub_keys: PhantomData<fn() -> (SubKeys, Mode)>,
}

impl<R: Clone, Sel: Clone, SubKeys, Mode> Clone for JoinedColumns<R, Sel, SubKeys, Mode> {
    fn clone(&self) -> Self {
        JoinedColumns {
            relation: self.relation.clone(),
            selection: self.selection.clone(),
            _sub_keys: PhantomData,
        }
    }
}

impl<R: Copy, Sel: Copy, SubKeys, Mode> Copy for JoinedColumns<R, Sel, SubKeys, Mode> {}

impl<R, Sel, SubKeys, Mode> ExtraJoin for JoinedColumns<R, Sel, SubKeys, Mode>
where
    R: Relation + Copy,
    <R::To as Table>::PrimaryKey: KeyColumns,
    Sel: RelatedSelection<R::To> + Copy,
    SubKeys: KeyColumnList,
{
    type SqlRow = (
        NullableRow<(
            MatchKeyType<R>,
            PrimaryKeyType<R>,
            SubKeys::SqlRow,
            Sel::SqlRow,
        )>,
        Nullable<BigInt>,
    );
    const EMPTY: bool = false;
}

impl<R, Sel, SubKeys, Mode, DB> ExtraJoinSql<DB> for JoinedColumns<R, Sel, SubKeys, Mode>
where
    Mode: JoinMode,
    DB: Backend,
    R: RelationSql<DB> + Copy,
    R::To: FromClause<DB>,
    <R::To as Table>::PrimaryKey: KeyColumns,
    Sel: RelatedSelection<R::To> + QueryFragment<DB> + Copy,
    SubKeys: KeyColumnList + QueryFragment<DB> + Default,
{
    fn write_columns(&self, out: &mut SqlWriter<DB>) {
        R::MatchKey::write_list(out);
        out.push_sql(", ");
        <<R::To as Table>::PrimaryKey as KeyColumns>::write_list(out);
        if !SubKeys::EMPTY {
            out.push_sql(", ");
            SubKeys::default().to_sql(out);
        }
        out.push_sql(", ");
        self.selection.to_sql(out);
        out.push_sql(", ");
        let ranked = self.relation.per_parent_limit().is_some();
        let mut order = SqlWriter::<DB>::new();
        let ordered = self.relation.write_order(&mut order);
        if ordered || ranked {
            out.push_sql("ROW_NUMBER() OVER (PARTITION BY ");
            R::FromKey::write_list(out);
            if ordered {
                out.push_sql(" ORDER BY ");
                self.relation.write_order(out);
            }
            out.push_sql(")");
        } else {
            out.push_sql("NULL");
        }
    }
    fn collect_column_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.selection.collect_binds(out)?;
        self.relation.collect_order_binds(out)
    }
    fn write_join(&self, out: &mut SqlWriter<DB>) {
        if !Mode::ADDS_JOIN {
            return;
        }
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
    fn collect_join_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if <R::From as Table>::DESCRIPTION.name == <R::To as Table>::DESCRIPTION.name {
            // The join would name one table twice, and every column would be ambiguous.
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "joined loading of a relationship from `{0}` to `{0}` itself is not \
                     supported: load it with `selectin`",
                    <R::From as Table>::DESCRIPTION.name
                ),
            ));
        }
        if Mode::ADDS_JOIN {
            self.relation.collect_condition_binds(out)?;
        }
        Ok(())
    }
    fn is_static(&self) -> bool {
        self.relation.is_static() && self.selection.has_static_sql()
    }
}

/// One joined row's related part: match key, related primary key, keys for the level below,
/// the row.
type JoinedPart<R, SubKeyRead, T> = (
    <MatchKeyType<R> as KeyType>::Read,
    <PrimaryKeyType<R> as KeyType>::Read,
    SubKeyRead,
    T,
);

impl<R, T, Sel, Sub, Mode, Conn, Q> EagerLoad<Conn, Q> for JoinedLoad<R, T, Sel, Sub, Mode>
where
    Mode: JoinMode,
    R: Relation + Copy,
    <R::To as Table>::PrimaryKey: KeyColumns,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType,
    PrimaryKeyType<R>: KeyType,
    Sel: RelatedSelection<R::To> + Copy,
    Sub: LoadPlan<Conn>,
    Sub::KeyColumns: KeyColumnList,
    R::Cardinality: Gather<Sub::Row<T>>,
    JoinedColumns<R, Sel, Sub::KeyColumns, Mode>: ExtraJoin,
{
    type KeyColumns = <R::FromKey as KeyColumns>::Selection;
    type Extra = JoinedColumns<R, Sel, Sub::KeyColumns, Mode>;
    type KeyRead = <FromKeyType<R> as KeyType>::Read;
    type ExtraRead = (Option<JoinedPart<R, Sub::KeyRead, T>>, Option<i64>);
    type Row<P> = Loaded<P, LoadedBy<R, T, Sub>>;
    type Prepared = ();

    fn prepare(&self, _: &Q) {}

    fn extra(&self) -> Self::Extra {
        JoinedColumns {
            relation: self.relation,
            selection: self.selection,
            _sub_keys: PhantomData,
        }
    }

    fn finish<P>(
        &self,
        rows: Vec<(Self::KeyRead, Self::ExtraRead, P)>,
        limited: bool,
        (): (),
        conn: &mut Conn,
    ) -> QueryResult<Vec<Self::Row<P>>> {
        let describe = || {
            format!(
                "joined loading of `{}` from `{}`",
                <R::To as Table>::DESCRIPTION.name,
                <R::From as Table>::DESCRIPTION.name
            )
        };
        let merge = R::FROM_KEY_IS_UNIQUE;
        // With its own join, the query's LIMIT is the user's to mean.
        if limited && merge && Mode::ADDS_JOIN {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "{}: the query has a LIMIT or OFFSET, which would count joined rows, not \
                     rows of `{}`; load this relationship with `selectin`",
                    describe(),
                    <R::From as Table>::DESCRIPTION.name
                ),
            ));
        }
        let limit = self.relation.per_parent_limit();
        // Parents in the query's order, merged by key where the key identifies them.
        let mut parents: Vec<(Option<KeyOf<FromKeyType<R>>>, P)> = Vec::new();
        let mut position: HashMap<KeyOf<FromKeyType<R>>, usize> = HashMap::new();
        let mut seen: HashSet<(usize, KeyOf<PrimaryKeyType<R>>)> = HashSet::new();
        let mut related = Vec::new();
        for (key, (part, rank), row) in rows {
            let key = FromKeyType::<R>::key(key);
            let parent = match (&key, merge) {
                (Some(key), true) => match position.get(key) {
                    Some(&at) => at,
                    None => {
                        position.insert(key.clone(), parents.len());
                        parents.push((Some(key.clone()), row));
                        parents.len() - 1
                    }
                },
                _ => {
                    parents.push((key.clone(), row));
                    parents.len() - 1
                }
            };
            let (Some(key), Some((_, primary_key, sub_key, item))) = (key, part) else {
                continue;
            };
            // One related row per parent, however often the query repeats that parent; for a
            // many-to-one, one per row reached, whichever rows reach it (they share it).
            let owner = if merge { parent } else { 0 };
            if let Some(primary_key) = PrimaryKeyType::<R>::key(primary_key)
                && !seen.insert((owner, primary_key))
            {
                continue;
            }
            if let (Some(limit), Some(rank)) = (limit, rank)
                && rank > limit
            {
                continue;
            }
            related.push((rank, key, sub_key, item));
        }
        // The relationship's order, from its rank; a stable sort keeps equal ranks in the
        // order they came.
        if related.iter().any(|(rank, ..)| rank.is_some()) {
            related.sort_by_key(|(rank, ..)| *rank);
        }
        let sub_keys: Vec<Sub::KeyRead> = related
            .iter_mut()
            .map(|(_, _, sub_key, _)| std::mem::take(sub_key))
            .collect();
        let below = self.sub.load_for(sub_keys, conn)?;
        let grouped = related
            .into_iter()
            .zip(below)
            .map(|((_, key, _, item), below)| (key, Sub::attach(item, below)));
        let mut groups = <R::Cardinality as Gather<Sub::Row<T>>>::group(grouped, &describe)?;
        let mut loaded = Vec::with_capacity(parents.len());
        for (key, row) in parents {
            // Merged parents are unique, so each takes its rows; a many-to-one shares them.
            let value = <R::Cardinality as Gather<Sub::Row<T>>>::take(
                &mut groups,
                key.as_ref(),
                true,
                &describe,
            )?;
            loaded.push(Loaded::new(row, With::new(value)));
        }
        Ok(loaded)
    }
}
