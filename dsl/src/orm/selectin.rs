//! Selectin loading (SQLAlchemy's `selectinload`): after the query, one more query per
//! relationship and level, `WHERE key IN (…)` over the keys of every row above it.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::connection::ReadsRows;
use crate::error::QueryResult;
use crate::expression::{QueryFragment, SqlShape};
use crate::query::{FromClause, Query};
use crate::schema::{Table, TypeKind};

use super::keys::{KeyColumns, KeyIn, KeyOf, KeyType, write_equal_names};
use super::loaded::{Loaded, With};
use super::loading::{
    FromKeyType, Gather, KeyColumnList, LevelShape, LoadPlan, LoadedBy, MatchKeyType, NoKeyColumns,
    NoLoads, Plan, RelatedSelection, SameTable, StartsAt, StartsInFrom,
};
use super::relationship::{Relation, RelationSql};
use crate::query::key_column_name;

/// Selectin loading of relationship `R` into rows of type `T` selected by `Sel` (`SelIndex`
/// records where its columns were found), with `Sub` loaded below each of them. Made by
/// [`super::LoadDsl::selectin`]; nest with [`SelectIn::then`].
pub struct SelectIn<R, T, Sel, Sub = NoLoads> {
    relation: R,
    selection: Sel,
    sub: Sub,
    _row: PhantomData<fn() -> T>,
}

impl<R: Clone, T, Sel: Clone, Sub: Clone> Clone for SelectIn<R, T, Sel, Sub> {
    fn clone(&self) -> Self {
        SelectIn {
            relation: self.relation.clone(),
            selection: self.selection.clone(),
            sub: self.sub.clone(),
            _row: PhantomData,
        }
    }
}

impl<R: std::fmt::Debug, T, Sel, Sub: std::fmt::Debug> std::fmt::Debug
    for SelectIn<R, T, Sel, Sub>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SelectIn")
            .field("relation", &self.relation)
            .field("row", &std::any::type_name::<T>())
            .field("then", &self.sub)
            .finish()
    }
}

impl<R, T, Sel> SelectIn<R, T, Sel, NoLoads> {
    pub(crate) fn new(relation: R, selection: Sel) -> Self {
        SelectIn {
            relation,
            selection,
            sub: NoLoads,
            _row: PhantomData,
        }
    }

    /// Loads `sub` (a loader of the related table's relationships, or a tuple of them) for
    /// the related rows too: `users → posts → comments` is
    /// `children(posts::user_id).selectin::<Post>().then(children(comments::post_id).selectin::<Comment>())`.
    pub fn then<Sub>(self, sub: Sub) -> SelectIn<R, T, Sel, Sub>
    where
        R: Relation,
        Sub: Plan + StartsAt<R::To>,
    {
        SelectIn {
            relation: self.relation,
            selection: self.selection,
            sub,
            _row: PhantomData,
        }
    }
}

#[diagnostic::do_not_recommend]
impl<T, R: Relation, Row, Sel, Sub> StartsAt<T> for SelectIn<R, Row, Sel, Sub> where
    R::From: SameTable<T>
{
}

#[diagnostic::do_not_recommend]
impl<FromList, Index, R: Relation, Row, Sel, Sub> StartsInFrom<FromList, Index>
    for SelectIn<R, Row, Sel, Sub>
where
    FromList: crate::schema::TableInFrom<R::From, Index>,
{
}

/// The query for related rows: `SELECT match_key, sub_keys, selection FROM source WHERE
/// match_key IN (…) [AND condition] [ORDER BY …]`, or with a per-parent limit the same rows
/// ranked by `ROW_NUMBER()` and cut.
///
/// `Filter` chooses the keys: a list ([`KeyIn`], selectin) or the parent query itself
/// ([`super::keys::KeySubquery`], subquery loading).
pub struct RelatedRowsQuery<
    R: Relation,
    SubKeys,
    Sel,
    Filter = KeyIn<<R as Relation>::MatchKey, MatchKeyType<R>>,
    Mode = SelectsKey,
> where
    MatchKeyType<R>: KeyType,
{
    pub(crate) relation: R,
    pub(crate) sub_keys: SubKeys,
    pub(crate) selection: Sel,
    pub(crate) keys: Filter,
    pub(crate) _mode: PhantomData<Mode>,
}

/// The related-rows query selects the match key in front of each row.
#[derive(Debug, Clone, Copy, Default)]
pub struct SelectsKey;

/// The related rows hold the match key themselves (a field of the row type): it is not
/// selected twice.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyFromRow;

/// The related-rows query selects only the key columns `K` of its rows (`AS philtre_key0, …`):
/// the key set nested in the next level's subquery (subquery loading).
pub struct KeysOnly<K>(PhantomData<fn() -> K>);

/// [`SelectsKey`], [`KeyFromRow`] or `KeysOnly`.
pub trait KeyMode {
    /// Whether the key columns are written in front of the select list.
    const SELECTS_KEY: bool;
    /// For `KeysOnly`: the table and names of the only columns selected.
    const ONLY_KEYS: Option<(&'static str, &'static [&'static str])> = None;
}

impl<K: KeyColumns> KeyMode for KeysOnly<K> {
    const SELECTS_KEY: bool = false;
    const ONLY_KEYS: Option<(&'static str, &'static [&'static str])> =
        Some((<K::Table as Table>::DESCRIPTION.name, K::NAMES));
}
impl KeyMode for SelectsKey {
    const SELECTS_KEY: bool = true;
}
impl KeyMode for KeyFromRow {
    const SELECTS_KEY: bool = false;
}

impl<R, SubKeys, Sel, Filter> Query for RelatedRowsQuery<R, SubKeys, Sel, Filter, SelectsKey>
where
    R: Relation,
    MatchKeyType<R>: KeyType,
    SubKeys: KeyColumnList,
    Sel: RelatedSelection<R::To>,
{
    type SqlRow = (MatchKeyType<R>, SubKeys::SqlRow, Sel::SqlRow);
}

impl<R, SubKeys, Sel, Filter> Query for RelatedRowsQuery<R, SubKeys, Sel, Filter, KeyFromRow>
where
    R: Relation,
    MatchKeyType<R>: KeyType,
    SubKeys: KeyColumnList,
    Sel: RelatedSelection<R::To>,
{
    type SqlRow = (SubKeys::SqlRow, Sel::SqlRow);
}

/// A query whose rows' keys can be selected on their own, to nest in the next level's
/// subquery: the query a subquery level runs.
pub trait KeySource {
    /// The query selecting only key columns `K`.
    type KeysQuery<K: KeyColumns>;
    /// That query.
    fn keys_query<K: KeyColumns>(&self) -> Self::KeysQuery<K>;
}

impl<R, SubKeys, Sel, Filter, Mode> KeySource for RelatedRowsQuery<R, SubKeys, Sel, Filter, Mode>
where
    R: Relation,
    MatchKeyType<R>: KeyType,
    Filter: Clone,
{
    type KeysQuery<K: KeyColumns> =
        RelatedRowsQuery<R, NoKeyColumns, NoKeyColumns, Filter, KeysOnly<K>>;
    fn keys_query<K: KeyColumns>(&self) -> Self::KeysQuery<K> {
        RelatedRowsQuery {
            relation: self.relation.clone(),
            sub_keys: NoKeyColumns,
            selection: NoKeyColumns,
            keys: self.keys.clone(),
            _mode: PhantomData,
        }
    }
}

const RANKED: &str = "philtre_ranked";

impl<R, SubKeys, Sel, Filter, Mode, DB> QueryFragment<DB>
    for RelatedRowsQuery<R, SubKeys, Sel, Filter, Mode>
where
    Mode: KeyMode,
    DB: Backend,
    R: RelationSql<DB>,
    R::To: FromClause<DB>,
    MatchKeyType<R>: KeyType,
    Filter: QueryFragment<DB>,
    SubKeys: KeyColumnList + QueryFragment<DB>,
    Sel: QueryFragment<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("SELECT ");
        if let Some((table, names)) = Mode::ONLY_KEYS {
            for (i, name) in names.iter().enumerate() {
                if i > 0 {
                    out.push_sql(", ");
                }
                out.push_column(table, name);
                out.push_sql(" AS ");
                out.push_identifier(&key_column_name(i));
            }
        } else if Mode::SELECTS_KEY {
            R::MatchKey::write_list(out);
            out.push_sql(", ");
        }
        if Mode::ONLY_KEYS.is_none() {
            if !SubKeys::EMPTY {
                self.sub_keys.to_sql(out);
                out.push_sql(", ");
            }
            self.selection.to_sql(out);
        }
        out.push_sql(" FROM ");
        R::write_source(out);
        if self.relation.per_parent_limit().is_none() {
            out.push_sql(" WHERE ");
            self.keys.to_sql(out);
            self.relation.write_condition(out);
            let at = out.as_str().len();
            out.push_sql(" ORDER BY ");
            if !self.relation.write_order(out) {
                out.truncate(at);
            }
            return;
        }
        // Each parent's first n rows: rank the matching rows per key in a derived table, and
        // join it back by key and primary key (a derived table of the selection itself could
        // hold two columns of one name, which MySQL refuses).
        let primary_key = <R::To as Table>::DESCRIPTION;
        let key_table = <<R::MatchKey as KeyColumns>::Table as Table>::DESCRIPTION.name;
        let key_names = R::MatchKey::NAMES;
        let ranked_names: Vec<String> = (0..key_names.len()).map(key_column_name).collect();
        out.push_sql(" INNER JOIN (SELECT ");
        for (i, name) in key_names.iter().enumerate() {
            out.push_column(key_table, name);
            out.push_sql(" AS ");
            out.push_identifier(&ranked_names[i]);
            out.push_sql(", ");
        }
        let pk_names: Vec<String> = (0..primary_key.primary_key.len())
            .map(|i| format!("philtre_pk{i}"))
            .collect();
        for (i, column) in primary_key.primary_key.iter().enumerate() {
            out.push_column(primary_key.name, column);
            out.push_sql(" AS ");
            out.push_identifier(&pk_names[i]);
            out.push_sql(", ");
        }
        out.push_sql("ROW_NUMBER() OVER (PARTITION BY ");
        R::MatchKey::write_list(out);
        let at = out.as_str().len();
        out.push_sql(" ORDER BY ");
        if !self.relation.write_order(out) {
            out.truncate(at);
        }
        out.push_sql(") AS philtre_rank FROM ");
        R::write_source(out);
        out.push_sql(" WHERE ");
        self.keys.to_sql(out);
        self.relation.write_condition(out);
        out.push_sql(") ");
        out.push_identifier(RANKED);
        out.push_sql(" ON ");
        let ranked: Vec<&str> = ranked_names.iter().map(String::as_str).collect();
        write_equal_names((key_table, key_names), (RANKED, &ranked), out);
        out.push_sql(" AND ");
        let pks: Vec<&str> = pk_names.iter().map(String::as_str).collect();
        write_equal_names(
            (primary_key.name, primary_key.primary_key),
            (RANKED, &pks),
            out,
        );
        out.push_sql(" WHERE ");
        out.push_column(RANKED, "philtre_rank");
        out.push_sql(" <= ");
        out.push_bind_param();
        out.push_sql(" ORDER BY ");
        out.push_column(RANKED, "philtre_rank");
    }

    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if Mode::ONLY_KEYS.is_none() {
            self.sub_keys.collect_binds(out)?;
            self.selection.collect_binds(out)?;
        }
        if self.relation.per_parent_limit().is_none() {
            self.keys.collect_binds(out)?;
            self.relation.collect_condition_binds(out)?;
            return self.relation.collect_order_binds(out);
        }
        self.relation.collect_order_binds(out)?;
        self.keys.collect_binds(out)?;
        self.relation.collect_condition_binds(out)?;
        match self.relation.per_parent_limit() {
            Some(limit) => out.push_bound(DB::limit_value(limit), TypeKind::BigInt, false),
            None => Ok(()),
        }
    }

    fn has_static_sql(&self) -> bool {
        false
    }

    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        self.relation.is_static()
            && self.sub_keys.has_static_sql()
            && self.selection.has_static_sql()
            && self.keys.sql_shape(shape)
    }
}

impl<R, T, Sel: Clone, Sub: Plan> SelectIn<R, T, Sel, Sub>
where
    R: Relation,
    MatchKeyType<R>: KeyType,
{
    /// The related rows of the keys `wanted`, in as many statements as the connection's key
    /// lists need, read as `Row` (with the key selected in front, or not: `Mode`).
    async fn load_chunks<SubKeys, Mode, Row, Conn, Io>(
        &self,
        wanted: &[KeyOf<MatchKeyType<R>>],
        conn: &mut Conn,
    ) -> QueryResult<Vec<Row>>
    where
        SubKeys: Default,
        Conn: ReadsRows<
                Io,
                RelatedRowsQuery<R, SubKeys, Sel, KeyIn<R::MatchKey, MatchKeyType<R>>, Mode>,
                Row,
            >,
        RelatedRowsQuery<R, SubKeys, Sel, KeyIn<R::MatchKey, MatchKeyType<R>>, Mode>: Query,
    {
        let mut rows: Vec<Row> = Vec::new();
        let per_statement = conn.key_list_limit().keys_per_statement(
            <MatchKeyType<R> as KeyType>::WIDTH,
            <MatchKeyType<R> as KeyType>::ELEMENT_KIND.is_some(),
        );
        for chunk in wanted.chunks(per_statement) {
            let loaded = conn
                .read_rows(&RelatedRowsQuery {
                    relation: self.relation.clone(),
                    sub_keys: SubKeys::default(),
                    selection: self.selection.clone(),
                    keys: KeyIn::new(chunk.to_vec()),
                    _mode: PhantomData::<Mode>,
                })
                .await?;
            // The first chunk is taken as it is; later ones are appended.
            if rows.is_empty() {
                rows = loaded;
            } else {
                rows.extend(loaded);
            }
        }
        Ok(rows)
    }
}

impl<R, T, Sel, Sub> Plan for SelectIn<R, T, Sel, Sub>
where
    R: Relation,
    FromKeyType<R>: KeyType,
    Sub: Plan,
    R::Cardinality: Gather<Sub::Row<T>>,
    LoadedBy<R, T, Sub>: Send,
{
    type KeyColumns = <R::FromKey as KeyColumns>::Selection;
    type KeyRead = <FromKeyType<R> as KeyType>::Read;
    type Output = LoadedBy<R, T, Sub>;
    type Row<P> = Loaded<P, Self::Output>;
    fn attach<P>(row: P, output: Self::Output) -> Loaded<P, Self::Output> {
        Loaded::new(row, output)
    }
    fn detach<P>(row: Loaded<P, Self::Output>) -> (P, Self::Output) {
        row.into_parts()
    }
}

impl<R, T, Sel, Sub, Conn, Io> LoadPlan<Conn, Io> for SelectIn<R, T, Sel, Sub>
where
    R: Relation,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType<Key = KeyOf<FromKeyType<R>>>,
    Sel: RelatedSelection<R::To> + Clone + Send + Sync,
    Sub: LoadPlan<Conn, Io>,
    Sub::KeyColumns: KeyColumnList,
    R::Cardinality: Gather<Sub::Row<T>>,
    LoadedBy<R, T, Sub>: Send,
    R: Send + Sync,
    T: Send + 'static,
    <MatchKeyType<R> as KeyType>::Read: Clone + Send + 'static,
    Sub::KeyRead: Clone + 'static,
    Conn: ReadsRows<
            Io,
            RelatedRowsQuery<R, Sub::KeyColumns, Sel>,
            (<MatchKeyType<R> as KeyType>::Read, Sub::KeyRead, T),
        > + ReadsRows<
            Io,
            RelatedRowsQuery<
                R,
                Sub::KeyColumns,
                Sel,
                KeyIn<R::MatchKey, MatchKeyType<R>>,
                KeyFromRow,
            >,
            (Sub::KeyRead, T),
        > + ReadsRows<
            Io,
            RelatedRowsQuery<R, NoKeyColumns, Sel, KeyIn<R::MatchKey, MatchKeyType<R>>, KeyFromRow>,
            ((), T),
        >,
{
    async fn load_for(
        &self,
        keys: Vec<Self::KeyRead>,
        conn: &mut Conn,
    ) -> QueryResult<Vec<Self::Output>> {
        let parent_keys: Vec<Option<KeyOf<FromKeyType<R>>>> =
            keys.into_iter().map(FromKeyType::<R>::key).collect();
        // Each distinct key once, in first-seen order.
        let wanted = distinct_keys(&parent_keys);
        // When the row type holds the match key itself (a `Post` with its `user_id`), it is read
        // from there instead of selected a second time.
        let key_table = <<R::MatchKey as KeyColumns>::Table as Table>::DESCRIPTION.name;
        let from_row = match R::MatchKey::NAMES {
            [name] => Sel::key_position::<<MatchKeyType<R> as KeyType>::Read>(key_table, name),
            _ => None,
        };
        let Some(position) = from_row else {
            let mut rows: Vec<(<MatchKeyType<R> as KeyType>::Read, Sub::KeyRead, T)> = self
                .load_chunks::<Sub::KeyColumns, SelectsKey, _, _, Io>(&wanted, conn)
                .await?;
            let below_keys = rows.iter_mut().map(take_keyed_sub_key).collect();
            let below = self.sub.load_for(below_keys, conn).await?;
            return distribute::<R, T, Sub, _>(
                below,
                parent_keys,
                wanted.len(),
                rows,
                split_keyed::<R, Sub::KeyRead, T>,
            );
        };
        // The match key of a row, from its own field (found by `key_position`, so of the key's
        // type).
        let match_key = move |row: &T| {
            Sel::key_at::<<MatchKeyType<R> as KeyType>::Read>(row, position)
                .and_then(MatchKeyType::<R>::key)
        };
        // Likewise the key of the level below (a post's `id`, for its comments): a column
        // selected twice costs the server a projection of every row.
        let below_from_row = match <Sub::KeyColumns as KeyColumnList>::SINGLE {
            Some((table, name)) => Sel::key_position::<Sub::KeyRead>(table, name),
            None => None,
        };
        if let Some(below_position) = below_from_row {
            let rows: Vec<((), T)> = self
                .load_chunks::<NoKeyColumns, KeyFromRow, _, _, Io>(&wanted, conn)
                .await?;
            let below_keys = rows
                .iter()
                .map(|((), row)| {
                    Sel::key_at::<Sub::KeyRead>(row, below_position)
                        .ok_or_else(no_key_below::<R::To>)
                })
                .collect::<QueryResult<Vec<_>>>()?;
            let below = self.sub.load_for(below_keys, conn).await?;
            return distribute::<R, T, Sub, _>(
                below,
                parent_keys,
                wanted.len(),
                rows,
                |((), row): ((), T)| (match_key(&row), row),
            );
        }
        let mut rows: Vec<(Sub::KeyRead, T)> = self
            .load_chunks::<Sub::KeyColumns, KeyFromRow, _, _, Io>(&wanted, conn)
            .await?;
        let below_keys = rows
            .iter_mut()
            .map(|row| std::mem::take(&mut row.0))
            .collect();
        let below = self.sub.load_for(below_keys, conn).await?;
        distribute::<R, T, Sub, _>(
            below,
            parent_keys,
            wanted.len(),
            rows,
            |(_, row): (Sub::KeyRead, T)| (match_key(&row), row),
        )
    }
}

/// A loaded row of `To` gave no key for the level below, though `key_position` found its field
/// (cannot happen with the derive's `Selectable`; an error rather than a panic all the same).
fn no_key_below<To: Table>() -> crate::Error {
    crate::Error::new(
        crate::ErrorKind::InvalidQuery,
        format!(
            "loading `{}`: a row lost the key of the level below",
            To::DESCRIPTION.name
        ),
    )
}

/// Each distinct key of `parent_keys` once, in first-seen order.
fn distinct_keys<K: std::hash::Hash + Eq + Clone>(parent_keys: &[Option<K>]) -> Vec<K> {
    let mut seen = HashSet::with_capacity(parent_keys.len());
    parent_keys
        .iter()
        .flatten()
        .filter(|key| seen.insert(*key))
        .cloned()
        .collect()
}

/// Takes the keys for the level below out of a row read with its match key in front.
pub(crate) fn take_keyed_sub_key<Key, SubKey: Default, T>(row: &mut (Key, SubKey, T)) -> SubKey {
    std::mem::take(&mut row.1)
}

/// Splits a row read with its match key in front into the key (`None` for NULL) and the row.
pub(crate) fn split_keyed<R, SubKey, T>(
    (key, _, row): (<MatchKeyType<R> as KeyType>::Read, SubKey, T),
) -> (Option<KeyOf<MatchKeyType<R>>>, T)
where
    R: Relation,
    MatchKeyType<R>: KeyType,
{
    (MatchKeyType::<R>::key(key), row)
}

/// What relationship `R` loaded as rows `T` with level `Sub` below gives one row.
pub(crate) type LevelOutput<R, T, Sub> =
    With<R, <<R as Relation>::Cardinality as Gather<<Sub as LevelShape>::Row<T>>>::Value>;

/// The rows of one relationship's query, each given to the rows above it with that key, in
/// their order, with what the level below loaded for each (`below`, in the rows' order):
/// what selectin and subquery loading share. `distinct` is how many distinct keys
/// `parent_keys` holds.
pub(crate) fn distribute<R, T, Sub, Row>(
    below: Vec<Sub::Output>,
    parent_keys: Vec<Option<KeyOf<FromKeyType<R>>>>,
    distinct: usize,
    rows: Vec<Row>,
    mut split: impl FnMut(Row) -> (Option<KeyOf<FromKeyType<R>>>, T),
) -> QueryResult<Vec<LevelOutput<R, T, Sub>>>
where
    R: Relation,
    FromKeyType<R>: KeyType,
    MatchKeyType<R>: KeyType<Key = KeyOf<FromKeyType<R>>>,
    Sub: LevelShape,
    R::Cardinality: Gather<Sub::Row<T>>,
{
    let describe = || {
        format!(
            "loading `{}` from `{}`",
            <R::To as Table>::DESCRIPTION.name,
            <R::From as Table>::DESCRIPTION.name
        )
    };
    let grouped = rows.into_iter().zip(below).filter_map(|(row, below)| {
        let (key, row) = split(row);
        key.map(|key| (key, Sub::attach(row, below)))
    });
    let mut groups = <R::Cardinality as Gather<Sub::Row<T>>>::group(grouped, &describe)?;
    // A key held by several rows above (a join can repeat a parent) gets copies of its
    // rows; the last one takes them.
    let repeated = distinct < parent_keys.iter().flatten().count();
    let mut uses: HashMap<&KeyOf<FromKeyType<R>>, usize> = HashMap::new();
    if repeated {
        for key in parent_keys.iter().flatten() {
            *uses.entry(key).or_default() += 1;
        }
    }
    let mut outputs = Vec::with_capacity(parent_keys.len());
    for key in &parent_keys {
        let last_use = match key {
            Some(key) if repeated => {
                let left = uses.get_mut(key).map_or(0, |n| {
                    *n -= 1;
                    *n
                });
                left == 0
            }
            _ => true,
        };
        let value = <R::Cardinality as Gather<Sub::Row<T>>>::take(
            &mut groups,
            key.as_ref(),
            last_use,
            &describe,
        )?;
        outputs.push(With::new(value));
    }
    Ok(outputs)
}

// The ORM reads tables of the schema, never a `#[cte]` one.
#[diagnostic::do_not_recommend]
impl<R: Relation, SubKeys, Sel, Filter, Mode, Ctes> crate::query::CtesDefined<Ctes>
    for RelatedRowsQuery<R, SubKeys, Sel, Filter, Mode>
where
    MatchKeyType<R>: KeyType,
{
}
