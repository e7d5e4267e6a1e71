//! Eager loading: one query for the rows a load starts from, then one query per relationship
//! and level for all of their related rows at once (SQLAlchemy's `selectinload`), never one
//! per row.
//!
//! ```text
//! SELECT users.id, <the query's own select list> FROM users WHERE …        -- the query as written
//! SELECT posts.user_id, posts.id, <Post's columns> FROM posts
//!   WHERE posts.user_id IN (?, ?, …)        -- PostgreSQL: posts.user_id IN (SELECT unnest($1))
//! SELECT comments.post_id, <Comment's columns> FROM comments WHERE comments.post_id IN (…)
//! ```
//!
//! The keys travel in front of each select list ([`crate::query::WithLeadingColumns`]), so the
//! user's row types never need to know them. Rows are matched with their parents in a hash map
//! keyed by the key's Rust value, and come back in the parents' order.

use foldhash::{HashMap, HashMapExt};
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::connection::{Awaiting, Blocking, LoadsRows, Pipelines, ReadsRows, join_futures, now};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::QueryFragment;
use crate::query::{
    ExtraJoin, NoColumns, NoExtraJoin, Query, Selectable, Selection, WithLeadingColumns,
};
use crate::schema::{Column, Table};

use super::keys::KeyColumns;
use super::loaded::{Loaded, With};
use super::relationship::{Cardinality, Many, One, ParentSlot, RelatedScope, Relation};

/// The SQL type of a relationship's key on the side the load starts from.
pub(crate) type FromKeyType<R> = <<R as Relation>::FromKey as KeyColumns>::SqlType;
/// The SQL type of the column related rows are matched on.
pub(crate) type MatchKeyType<R> = <<R as Relation>::MatchKey as KeyColumns>::SqlType;

/// What relationship `R` loaded as rows `T` with `Sub` below gives one row: a [`With`] of a
/// `Vec`, an `Arc` or an `Option<Arc>`.
pub(crate) type LoadedBy<R, T, Sub> =
    With<R, <<R as Relation>::Cardinality as Gather<<Sub as Plan>::Row<T>>>::Value>;

/// What a load asks of each row of the level above it, and what it gives back: implemented by
/// a loader ([`SelectIn`](crate::orm::SelectIn)), by a tuple of loaders (several relationships at once), and by
/// [`NoLoads`].
pub trait Plan {
    /// The key columns each row of the level above must carry (its `users.id` for a user's
    /// posts); a tuple for several loaders.
    type KeyColumns: Copy + Default + Send + Sync;
    /// What those columns read into (`Default` so that the loader can take them out of a row
    /// in place).
    type KeyRead: Default + Send;
    /// What the plan gives one row: a [`With`], or a tuple of them.
    type Output: Send;
    /// A row of type `T` with the output attached: `Loaded<T, Output>` (`T` itself for
    /// [`NoLoads`]).
    type Row<T>;
    /// Attaches `output` to `row`.
    fn attach<T>(row: T, output: Self::Output) -> Self::Row<T>;
    /// Takes a row apart again (the inverse of [`Plan::attach`]).
    fn detach<T>(row: Self::Row<T>) -> (T, Self::Output);
}

/// The shape of a level of a load, as the level above sees it: what it needs of each row
/// above, and what it gives back. Every [`Plan`] has it; so does a subquery level
/// ([`super::SubqueryLoad`]), which is not a `Plan` (it needs the level's query, not keys).
pub trait LevelShape {
    /// See [`Plan::KeyColumns`].
    type KeyColumns: Copy + Default + Send + Sync;
    /// See [`Plan::KeyRead`].
    type KeyRead: Default + Send;
    /// See [`Plan::Output`].
    type Output: Send;
    /// See [`Plan::Row`].
    type Row<T>;
    /// See [`Plan::attach`].
    fn attach<T>(row: T, output: Self::Output) -> Self::Row<T>;
}

impl<L: Plan> LevelShape for L {
    type KeyColumns = L::KeyColumns;
    type KeyRead = L::KeyRead;
    type Output = L::Output;
    type Row<T> = L::Row<T>;
    fn attach<T>(row: T, output: L::Output) -> L::Row<T> {
        L::attach(row, output)
    }
}

/// A [`Plan`] that can run on connection `Conn`, in mode `Io` ([`Blocking`]: the future is
/// ready when made; [`Awaiting`]: an async connection's).
pub trait LoadPlan<Conn, Io>: Plan + Sync {
    /// Loads the related rows of the rows whose keys are `keys`, and returns what each of
    /// them gets, in the same order.
    fn load_for<'a>(
        &'a self,
        keys: Vec<Self::KeyRead>,
        conn: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<Self::Output>>> + Send;
}

/// A level with nothing more to load below it.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLoads;

/// The key columns of [`NoLoads`]: none.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoKeyColumns;

impl Plan for NoLoads {
    type KeyColumns = NoKeyColumns;
    type KeyRead = ();
    type Output = ();
    type Row<T> = T;
    #[inline]
    fn attach<T>(row: T, (): ()) -> T {
        row
    }
    #[inline]
    fn detach<T>(row: T) -> (T, ()) {
        (row, ())
    }
}

impl<Conn, Io> LoadPlan<Conn, Io> for NoLoads {
    fn load_for<'a>(
        &'a self,
        keys: Vec<()>,
        _: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<()>>> + Send {
        std::future::ready(Ok(keys))
    }
}

/// Key columns written in a related-rows query's select list: a column of the related table,
/// a tuple of them, or [`NoKeyColumns`].
pub trait KeyColumnList {
    /// Their SQL row.
    type SqlRow;
    /// Whether there are none.
    const EMPTY: bool;
    /// The table and name of the column, when the list is one column.
    const SINGLE: Option<(&'static str, &'static str)> = None;
}

impl KeyColumnList for NoKeyColumns {
    type SqlRow = NoColumns;
    const EMPTY: bool = true;
}

impl<C: Column> KeyColumnList for C {
    type SqlRow = C::SqlType;
    const EMPTY: bool = false;
    const SINGLE: Option<(&'static str, &'static str)> = Some((
        <C::Table as crate::schema::Table>::DESCRIPTION.name,
        C::NAME,
    ));
}

macro_rules! tuple_key_columns {
    ($($K:ident),+) => {
        impl<$($K: KeyColumnList),+> KeyColumnList for ($($K,)+) {
            type SqlRow = ($($K::SqlRow,)+);
            const EMPTY: bool = false;
        }
    };
}
tuple_key_columns!(A, B);
tuple_key_columns!(A, B, C);
tuple_key_columns!(A, B, C, D);

/// A selection of the related table's columns, with the SQL row it reads.
pub trait RelatedSelection<To> {
    /// The row's SQL type.
    type SqlRow;

    /// Where a loaded row holds key column `name` of table `table` as a Rust `K`, if it does:
    /// the loader then reads the key from the row instead of selecting the column twice.
    fn key_position<K: 'static>(table: &str, name: &str) -> Option<usize> {
        let _ = (table, name);
        None
    }

    /// Whether [`RelatedSelection::write_from_alias`] can qualify the columns by an alias.
    const ALIASABLE: bool = false;

    /// Writes the selection with its columns qualified by `alias` instead of the table's name
    /// (a table joined to itself), where [`RelatedSelection::ALIASABLE`].
    fn write_from_alias<DB: crate::backend::Backend>(
        alias: &str,
        out: &mut crate::backend::SqlWriter<DB>,
    ) {
        let _ = (alias, out);
    }

    /// The key at `position` (from [`RelatedSelection::key_position`]) of a loaded `row`.
    fn key_at<K: Clone + 'static>(row: &dyn std::any::Any, position: usize) -> Option<K> {
        let _ = (row, position);
        None
    }
}

impl<T: Selectable + 'static> RelatedSelection<T::Table> for crate::query::AsSelect<T> {
    type SqlRow = crate::query::SelectableRow<T>;

    fn key_position<K: 'static>(table: &str, name: &str) -> Option<usize> {
        if <T::Table as crate::schema::Table>::DESCRIPTION.name != table {
            return None;
        }
        let position = T::COLUMN_NAMES.iter().position(|column| *column == name)?;
        (T::field_type(position) == Some(std::any::TypeId::of::<K>())).then_some(position)
    }

    const ALIASABLE: bool = true;

    fn write_from_alias<DB: crate::backend::Backend>(
        alias: &str,
        out: &mut crate::backend::SqlWriter<DB>,
    ) {
        T::write_columns_from(alias, out);
    }

    #[inline]
    fn key_at<K: Clone + 'static>(row: &dyn std::any::Any, position: usize) -> Option<K> {
        row.downcast_ref::<T>()?.field_ref::<K>(position).cloned()
    }
}

/// A selection given to [`super::LoadDsl::selectin_with`], with where its columns were found.
pub struct CheckedSelection<Sel, Index> {
    selection: Sel,
    _index: PhantomData<fn() -> Index>,
}

impl<Sel, Index> CheckedSelection<Sel, Index> {
    /// `selection`, checked against the related table by the caller.
    pub(crate) fn new(selection: Sel) -> Self {
        CheckedSelection {
            selection,
            _index: PhantomData,
        }
    }
}

impl<Sel: Clone, Index> Clone for CheckedSelection<Sel, Index> {
    fn clone(&self) -> Self {
        CheckedSelection {
            selection: self.selection.clone(),
            _index: PhantomData,
        }
    }
}

impl<To: Table, Sel: Selection<RelatedScope<To>, Index>, Index> RelatedSelection<To>
    for CheckedSelection<Sel, Index>
{
    type SqlRow = Sel::SqlRow;
}

impl<Sel: QueryFragment<DB>, Index, DB: Backend> QueryFragment<DB>
    for CheckedSelection<Sel, Index>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.selection.to_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.selection.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.selection.has_static_sql()
    }
}

impl<DB: Backend> QueryFragment<DB> for NoKeyColumns {
    fn to_sql(&self, _: &mut SqlWriter<DB>) {}
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

/// Rule: a relationship is loaded from the table it starts at.
#[diagnostic::on_unimplemented(
    message = "this loads a relationship of another table: the level above loads `{T}`",
    label = "a relationship of another table",
    note = "a loader given to `load_with` starts at the query's table; one given to `.then(..)` starts at the table the level above reaches"
)]
pub trait StartsAt<T> {}

/// The same table as `T` (the two types are equal); a separate trait, so that a relationship of
/// another table fails as [`StartsAt`], not as a type mismatch.
#[diagnostic::on_unimplemented(
    message = "this loads a relationship of another table: it starts at `{Self}`, not at `{T}`",
    label = "a relationship of another table",
    note = "a loader given to `load_with` starts at the query's table; one given to `.then(..)` starts at the table the level above reaches"
)]
pub trait SameTable<T> {}
impl<T> SameTable<T> for T {}

/// Rule: the relationships given to `load_with` start at a table of the query's FROM clause.
/// `Index` is where, inferred.
#[diagnostic::on_unimplemented(
    message = "this loads a relationship of another table: a table it needs is not in this query's FROM",
    label = "a relationship that starts at a table this query does not select from (or, for `contains_eager`, reaches one it does not join)",
    note = "`load_with` loads relationships of the rows the query returns: start them at its table (`children(posts::user_id)` from `users`, `parent(posts::user_id)` from `posts`); `contains_eager` also needs the related table joined in the query"
)]
pub trait StartsInFrom<FromList, Index> {}

macro_rules! tuple_starts_in_from {
    ($($L:ident $I:ident),+) => {
        #[diagnostic::do_not_recommend]
        impl<FromList, $($I,)+ $($L: StartsInFrom<FromList, $I>),+> StartsInFrom<FromList, ($($I,)+)> for ($($L,)+) {}
    };
}
tuple_starts_in_from!(A IA, B IB);
tuple_starts_in_from!(A IA, B IB, C IC);
tuple_starts_in_from!(A IA, B IB, C IC, D ID);

macro_rules! tuple_starts_at {
    ($($L:ident),+) => {
        impl<T, $($L: StartsAt<T>),+> StartsAt<T> for ($($L,)+) {}
    };
}
tuple_starts_at!(A, B);
tuple_starts_at!(A, B, C);
tuple_starts_at!(A, B, C, D);

/// How a relationship's rows are gathered for each parent.
pub trait Gather<T>: Cardinality {
    /// What a parent gets: `Vec<T>`, `Arc<T>` or `Option<Arc<T>>`.
    type Value;
    /// The related rows, grouped by key.
    type Groups<K>;
    /// Groups `rows` by key; an error if a key that may have one row has several.
    fn group<K: std::hash::Hash + Eq + std::fmt::Debug>(
        rows: impl Iterator<Item = (K, T)>,
        describe: &dyn Fn() -> String,
    ) -> QueryResult<Self::Groups<K>>;
    /// What the parent with `key` gets; `last_use` when no later parent has the same key (its
    /// rows can be moved out instead of copied).
    fn take<K: std::hash::Hash + Eq + std::fmt::Debug>(
        groups: &mut Self::Groups<K>,
        key: Option<&K>,
        last_use: bool,
        describe: &dyn Fn() -> String,
    ) -> QueryResult<Self::Value>;
}

impl<T: Clone> Gather<T> for Many {
    type Value = Vec<T>;
    type Groups<K> = HashMap<K, Vec<T>>;
    fn group<K: std::hash::Hash + Eq + std::fmt::Debug>(
        rows: impl Iterator<Item = (K, T)>,
        _: &dyn Fn() -> String,
    ) -> QueryResult<HashMap<K, Vec<T>>> {
        let mut groups: HashMap<K, Vec<T>> = HashMap::new();
        for (key, row) in rows {
            groups.entry(key).or_default().push(row);
        }
        Ok(groups)
    }
    fn take<K: std::hash::Hash + Eq + std::fmt::Debug>(
        groups: &mut HashMap<K, Vec<T>>,
        key: Option<&K>,
        last_use: bool,
        _: &dyn Fn() -> String,
    ) -> QueryResult<Vec<T>> {
        let Some(key) = key else {
            return Ok(Vec::new());
        };
        Ok(if last_use {
            groups.remove(key).unwrap_or_default()
        } else {
            groups.get(key).cloned().unwrap_or_default()
        })
    }
}

impl<T, N: ParentSlot> Gather<T> for One<N> {
    type Value = N::Slot<Arc<T>>;
    type Groups<K> = HashMap<K, Arc<T>>;
    fn group<K: std::hash::Hash + Eq + std::fmt::Debug>(
        rows: impl Iterator<Item = (K, T)>,
        describe: &dyn Fn() -> String,
    ) -> QueryResult<HashMap<K, Arc<T>>> {
        let mut groups = HashMap::with_capacity(rows.size_hint().0);
        for (key, row) in rows {
            match groups.entry(key) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(Arc::new(row));
                }
                std::collections::hash_map::Entry::Occupied(slot) => {
                    return Err(Error::new(
                        ErrorKind::InvalidQuery,
                        format!(
                            "{}: key {:?} has more than one row, but the relationship gives \
                             one (a one-to-one over a column that is not unique?)",
                            describe(),
                            slot.key()
                        ),
                    ));
                }
            }
        }
        Ok(groups)
    }
    fn take<K: std::hash::Hash + Eq + std::fmt::Debug>(
        groups: &mut HashMap<K, Arc<T>>,
        key: Option<&K>,
        _: bool,
        describe: &dyn Fn() -> String,
    ) -> QueryResult<Self::Value> {
        let found = key.and_then(|key| groups.get(key)).cloned();
        N::slot(found).ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                match key {
                    Some(key) => format!(
                        "{}: no row has key {key:?}, which a NOT NULL foreign key references \
                         (a row deleted without its children, or SQLite without \
                         `PRAGMA foreign_keys = ON`?)",
                        describe()
                    ),
                    None => format!("{}: a NOT NULL foreign key read as NULL", describe()),
                },
            )
        })
    }
}

macro_rules! tuple_plans {
    ($First:ident 0 $first_keys:ident, $($L:ident $idx:tt $keys:ident $lane:ident),+) => {
        impl<$First: Plan, $($L: Plan),+> Plan for ($First, $($L,)+) {
            type KeyColumns = ($First::KeyColumns, $($L::KeyColumns,)+);
            type KeyRead = ($First::KeyRead, $($L::KeyRead,)+);
            type Output = ($First::Output, $($L::Output,)+);
            type Row<T> = Loaded<T, Self::Output>;
            fn attach<T>(row: T, output: Self::Output) -> Loaded<T, Self::Output> {
                Loaded::new(row, output)
            }
            fn detach<T>(row: Loaded<T, Self::Output>) -> (T, Self::Output) {
                row.into_parts()
            }
        }

        impl<Conn, Io, $First, $($L),+> LoadPlan<Conn, Io> for ($First, $($L,)+)
        where
            Conn: Pipelines<Io>,
            $First: LoadPlan<Conn, Io>,
            $($L: LoadPlan<Conn, Io> + LoadPlan<Conn::Lane, Io>,)+
        {
            fn load_for<'a>(
                &'a self,
                keys: Vec<Self::KeyRead>,
                conn: &'a mut Conn,
            ) -> impl Future<Output = QueryResult<Vec<Self::Output>>> + Send {
                async move {
                    let mut $first_keys = Vec::with_capacity(keys.len());
                    $(let mut $keys = Vec::with_capacity(keys.len());)+
                    for key in keys {
                        $first_keys.push(key.0);
                        $($keys.push(key.$idx);)+
                    }
                    // On a connection that pipelines, the relationships after the first load
                    // on lanes of the same session, all at once with the first; elsewhere one
                    // after another.
                    let lanes = ($(tuple_plans!(@lane conn $lane),)+);
                    #[allow(non_snake_case)]
                    let (first, ($($L,)+)) = match lanes {
                        ($(Some(mut $lane),)+) => {
                            let rest = async {
                                Ok::<_, crate::error::Error>(($(
                                    <$L as LoadPlan<Conn::Lane, Io>>::load_for(
                                        &self.$idx,
                                        $keys,
                                        &mut $lane,
                                    )
                                    .await?,
                                )+))
                            };
                            let first = self.0.load_for($first_keys, &mut *conn);
                            let (first, rest) = join_futures(first, rest).await;
                            (first?, rest?)
                        }
                        _ => {
                            let first = self.0.load_for($first_keys, &mut *conn).await?;
                            (first, ($(
                                <$L as LoadPlan<Conn, Io>>::load_for(&self.$idx, $keys, &mut *conn)
                                    .await?,
                            )+))
                        }
                    };
                    let first = first.into_iter();
                    $(#[allow(non_snake_case)] let $L = $L.into_iter();)+
                    Ok(tuple_plans!(@zip first, $($L),+))
                }
            }
        }
    };
    (@lane $conn:ident $lane:ident) => { $conn.lane() };
    (@zip $A:ident, $B:ident) => { $A.zip($B).map(|(a, b)| (a, b)).collect() };
    (@zip $A:ident, $B:ident, $C:ident) => {
        $A.zip($B).zip($C).map(|((a, b), c)| (a, b, c)).collect()
    };
    (@zip $A:ident, $B:ident, $C:ident, $D:ident) => {
        $A.zip($B).zip($C).zip($D).map(|(((a, b), c), d)| (a, b, c, d)).collect()
    };
}

tuple_plans!(A 0 keys_a, B 1 keys_b lane_b);
tuple_plans!(A 0 keys_a, B 1 keys_b lane_b, C 2 keys_c lane_c);
tuple_plans!(A 0 keys_a, B 1 keys_b lane_b, C 2 keys_c lane_c, D 3 keys_d lane_d);

/// What `load_with` accepts for a query of type `Q`: a selectin loader or a tuple of them
/// (every [`LoadPlan`]), a joined loader ([`super::JoinedLoad`]), which adds a LEFT OUTER JOIN
/// to the query itself, or a subquery loader ([`super::SubqueryLoad`]), which nests the query.
pub trait EagerLoad<Conn, Q, Io>: Sync {
    /// The key columns put in front of the query's select list.
    type KeyColumns: Copy + Default + Send + Sync;
    /// The join and columns added to the query ([`NoExtraJoin`] for selectin).
    type Extra: ExtraJoin;
    /// What the key columns read into.
    type KeyRead: Send;
    /// What the added columns read into.
    type ExtraRead: Send;
    /// What is loaded for one row.
    type Output: Send;
    /// A row of type `T` with what was loaded for it.
    type Row<T>;
    /// Takes a loaded row apart.
    fn split<T>(row: Self::Row<T>) -> (T, Self::Output);
    /// What the loader takes from the query before it runs (the query of its keys, for
    /// subquery loading).
    type Prepared: Send;
    /// The join and columns to add.
    fn extra(&self) -> Self::Extra;
    /// Takes what it needs from the query before it runs.
    fn prepare(&self, query: &Q) -> Self::Prepared;
    /// Turns the query's rows into loaded rows, running the further queries this needs.
    /// `limited`: the query has a LIMIT or OFFSET.
    fn finish<'a, T: Send>(
        &'a self,
        rows: Vec<(Self::KeyRead, Self::ExtraRead, T)>,
        limited: bool,
        prepared: Self::Prepared,
        conn: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<Self::Row<T>>>> + Send;
}

impl<Conn: Send, Q, Io, L: LoadPlan<Conn, Io>> EagerLoad<Conn, Q, Io> for L {
    type KeyColumns = L::KeyColumns;
    type Extra = NoExtraJoin;
    type KeyRead = L::KeyRead;
    type ExtraRead = ();
    type Output = L::Output;
    type Row<T> = L::Row<T>;
    fn split<T>(row: L::Row<T>) -> (T, L::Output) {
        L::detach(row)
    }
    type Prepared = ();
    fn extra(&self) -> NoExtraJoin {
        NoExtraJoin
    }
    fn prepare(&self, _: &Q) {}
    fn finish<'a, T: Send>(
        &'a self,
        rows: Vec<(L::KeyRead, (), T)>,
        _: bool,
        (): (),
        conn: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<L::Row<T>>>> + Send {
        let mut keys = Vec::with_capacity(rows.len());
        let mut values = Vec::with_capacity(rows.len());
        for (key, (), row) in rows {
            keys.push(key);
            values.push(row);
        }
        async move {
            let outputs = self.load_for(keys, conn).await?;
            Ok(values
                .into_iter()
                .zip(outputs)
                .map(|(row, output)| L::attach(row, output))
                .collect())
        }
    }
}

/// Loads relationships with the rows of a query: `users::table.filter(..)
/// .load_with::<User>(children(posts::user_id).selectin::<Post>(), &mut conn)` gives a
/// `Vec<Loaded<User, …>>` in the query's order, each with its posts.
///
/// Works on tables, filtered, ordered, limited and joined SELECTs, and boxed ones.
pub trait LoadWithDsl<Conn, KeyIndex, FromIndex, L>: Sized
where
    L: EagerLoad<Conn, Self, Blocking>,
{
    /// Runs the query, reading each row into `T`, and loads `plan` (a loader, or a tuple of
    /// them) for all rows at once.
    fn load_with<T: Send>(self, plan: L, conn: &mut Conn) -> QueryResult<Vec<L::Row<T>>>
    where
        Self: WithLeadingColumns<L::KeyColumns, KeyIndex, L::Extra>,
        L: StartsInFrom<
                <Self as WithLeadingColumns<L::KeyColumns, KeyIndex, L::Extra>>::FromList,
                FromIndex,
            >,
        <Self as WithLeadingColumns<L::KeyColumns, KeyIndex, L::Extra>>::Output: Query,
        Conn: LoadsRows<
                <Self as WithLeadingColumns<L::KeyColumns, KeyIndex, L::Extra>>::Output,
                (L::KeyRead, L::ExtraRead, T),
            >,
    {
        let limited = self.has_limit();
        let prepared = plan.prepare(&self);
        let query = self.with_leading_columns(L::KeyColumns::default(), plan.extra());
        let rows = conn.load_rows(&query)?;
        now(plan.finish(rows, limited, prepared, conn))
    }
}

impl<Q, Conn, KeyIndex, FromIndex, L: EagerLoad<Conn, Q, Blocking>>
    LoadWithDsl<Conn, KeyIndex, FromIndex, L> for Q
{
}

/// The future of an async load: boxed, so that a mistake in the load is reported once, at the
/// call, rather than again for an unnamed future type (one allocation per load).
pub type LoadFuture<'c, T> = std::pin::Pin<Box<dyn Future<Output = QueryResult<T>> + Send + 'c>>;

/// [`LoadWithDsl`] on an async connection: the same loaders, the same queries, awaited.
/// `users::table.load_with::<User>(children(posts::user_id).selectin::<Post>(), &mut conn)
/// .await` on an `AsyncPgConnection`, `AsyncMysqlConnection` or `AsyncSqliteConnection` (a
/// pooled one too). Its method has the blocking one's name, so import one of the two
/// (`philtre::async_prelude::*` brings this one).
pub trait AsyncLoadWithDsl<Conn, KeyIndex, FromIndex, L>: Sized
where
    L: EagerLoad<Conn, Self, Awaiting>,
{
    /// Runs the query, reading each row into `T`, and loads `plan` (a loader, or a tuple of
    /// them) for all rows at once.
    fn load_with<'c, T>(self, plan: L, conn: &'c mut Conn) -> LoadFuture<'c, Vec<L::Row<T>>>
    where
        T: Send + 'c,
        L: Send + 'c,
        Self: 'c,
        Self: WithLeadingColumns<L::KeyColumns, KeyIndex, L::Extra>,
        L: StartsInFrom<
                <Self as WithLeadingColumns<L::KeyColumns, KeyIndex, L::Extra>>::FromList,
                FromIndex,
            >,
        <Self as WithLeadingColumns<L::KeyColumns, KeyIndex, L::Extra>>::Output:
            Query + Send + Sync + 'c,
        Conn: ReadsRows<
                Awaiting,
                <Self as WithLeadingColumns<L::KeyColumns, KeyIndex, L::Extra>>::Output,
                (L::KeyRead, L::ExtraRead, T),
            >,
    {
        let limited = self.has_limit();
        let prepared = plan.prepare(&self);
        let query = self.with_leading_columns(L::KeyColumns::default(), plan.extra());
        Box::pin(async move {
            let rows = conn.read_rows(&query).await?;
            plan.finish(rows, limited, prepared, conn).await
        })
    }
}

impl<Q, Conn, KeyIndex, FromIndex, L: EagerLoad<Conn, Q, Awaiting>>
    AsyncLoadWithDsl<Conn, KeyIndex, FromIndex, L> for Q
{
}

/// Loads `plan` for rows you already have, given their keys — the explicit, visible form of a
/// lazy load: one query for all of them, never one per row. Returns what each key gets, in the
/// keys' order. The book's "Relationships and loading" runs this on SQLite:
///
/// ```text
/// let posts: Vec<Vec<Post>> = load_related(
///     children(posts::user_id).selectin::<Post>(),
///     users.iter().map(|user| user.id),
///     &mut conn,
/// )?.into_iter().map(With::into_inner).collect();
/// ```
pub fn load_related<L, Conn>(
    plan: L,
    keys: impl IntoIterator<Item = L::KeyRead>,
    conn: &mut Conn,
) -> QueryResult<Vec<L::Output>>
where
    L: LoadPlan<Conn, Blocking>,
{
    now(plan.load_for(keys.into_iter().collect(), conn))
}

/// [`load_related`] on an async connection, awaited: one query per level for all the keys.
pub fn load_related_async<L, Conn>(
    plan: L,
    keys: impl IntoIterator<Item = L::KeyRead>,
    conn: &mut Conn,
) -> impl Future<Output = QueryResult<Vec<L::Output>>> + Send
where
    L: LoadPlan<Conn, Awaiting> + Send,
    Conn: Send,
{
    // The keys are gathered before the future exists, so that it holds no borrowing iterator.
    let keys: Vec<L::KeyRead> = keys.into_iter().collect();
    async move { plan.load_for(keys, conn).await }
}

/// The rows a [`Both`]'s first loader gave, taken apart: each row with what the first loaded,
/// and the keys for the second.
#[allow(clippy::type_complexity)]
fn split_both<First, Conn, Q, Io, SecondKey, T>(
    loaded: Vec<First::Row<(SecondKey, T)>>,
) -> (Vec<(T, First::Output)>, Vec<SecondKey>)
where
    First: EagerLoad<Conn, Q, Io>,
{
    let mut second_keys = Vec::with_capacity(loaded.len());
    let mut firsts = Vec::with_capacity(loaded.len());
    for row in loaded {
        let ((second_key, row), first) = First::split(row);
        second_keys.push(second_key);
        firsts.push((row, first));
    }
    (firsts, second_keys)
}

/// A joined or subquery loader together with selectin loaders for other relationships of the
/// same rows: `posts.joined::<Post>().and(teams.selectin::<Team>())`. Made by `.and(..)` on
/// [`super::JoinedLoad`] and [`super::SubqueryLoad`]; selectin loaders alone go in a tuple.
#[derive(Debug, Clone)]
pub struct Both<First, Second> {
    first: First,
    second: Second,
}

impl<First, Second> Both<First, Second> {
    pub(crate) fn new(first: First, second: Second) -> Self {
        Both { first, second }
    }
}

#[diagnostic::do_not_recommend]
impl<FromList, First, Second, IndexFirst, IndexSecond>
    StartsInFrom<FromList, (IndexFirst, IndexSecond)> for Both<First, Second>
where
    First: StartsInFrom<FromList, IndexFirst>,
    Second: StartsInFrom<FromList, IndexSecond>,
{
}

impl<Conn: Send, Q, Io, First, Second> EagerLoad<Conn, Q, Io> for Both<First, Second>
where
    First: EagerLoad<Conn, Q, Io>,
    Second: LoadPlan<Conn, Io>,
{
    type KeyColumns = (First::KeyColumns, Second::KeyColumns);
    type Extra = First::Extra;
    type KeyRead = (First::KeyRead, Second::KeyRead);
    type ExtraRead = First::ExtraRead;
    type Output = (First::Output, Second::Output);
    type Row<T> = Loaded<T, (First::Output, Second::Output)>;
    fn split<T>(row: Self::Row<T>) -> (T, Self::Output) {
        row.into_parts()
    }
    type Prepared = First::Prepared;
    fn extra(&self) -> First::Extra {
        self.first.extra()
    }
    fn prepare(&self, query: &Q) -> First::Prepared {
        self.first.prepare(query)
    }
    fn finish<'a, T: Send>(
        &'a self,
        rows: Vec<(Self::KeyRead, First::ExtraRead, T)>,
        limited: bool,
        prepared: First::Prepared,
        conn: &'a mut Conn,
    ) -> impl Future<Output = QueryResult<Vec<Self::Row<T>>>> + Send {
        // The first loader decides the rows (a joined one merges them); each carries the
        // second's key through it.
        let rows = rows
            .into_iter()
            .map(|((first_key, second_key), extra, row)| (first_key, extra, (second_key, row)))
            .collect();
        async move {
            let (firsts, second_keys) = split_both::<First, Conn, Q, Io, _, _>(
                self.first
                    .finish(rows, limited, prepared, &mut *conn)
                    .await?,
            );
            let seconds = self.second.load_for(second_keys, conn).await?;
            Ok(firsts
                .into_iter()
                .zip(seconds)
                .map(|((row, first), second)| Loaded::new(row, (first, second)))
                .collect())
        }
    }
}
