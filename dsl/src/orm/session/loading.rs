//! Loading along a foreign key through the session: [`Session::children`] and
//! [`Session::parents`], selectin-style (one query per 1,000 keys), every row resolved through
//! the identity map, so an object the session holds comes back as that object.

use std::any::TypeId;
use std::collections::{HashMap, HashSet};

use crate::error::{Error, ErrorKind, QueryResult};
use crate::orm::{ForeignKey, KeyColumns};
use crate::schema::Table;

use super::entity::{Entity, EntityRow, KeyValue, key_value};
use super::io::SessionIo;
use super::statements::SelectChildren;
use super::store::{Key, Store, state_error};
use super::{EntityOf, Session, unit_of_work};

impl<C: SessionIo<M>, M: 'static> Session<'_, C, M> {
    pub(super) async fn children_io<P, T, F>(
        &mut self,
        parents: &[Key<P>],
        foreign_key: F,
    ) -> QueryResult<Vec<Vec<Key<T>>>>
    where
        P: EntityRow<C::Backend> + EntityOf<<F::Target as KeyColumns>::Table>,
        T: EntityRow<C::Backend> + EntityOf<F::Table>,
        F: ForeignKey,
    {
        let _ = foreign_key;
        let (parent_fields, child_fields) = foreign_key_fields::<P, T, F>()?;
        let (wanted, loaded) = self
            .load_matching::<P, T>(parents, &parent_fields, F::NAMES, &child_fields)
            .await?;
        let mut by_key: HashMap<Vec<KeyValue>, Vec<Key<T>>> = HashMap::new();
        for (value, key) in loaded {
            by_key.entry(value).or_default().push(key);
        }
        Ok(wanted
            .into_iter()
            .map(|value| {
                value
                    .and_then(|v| by_key.get(&v).cloned())
                    .unwrap_or_default()
            })
            .collect())
    }

    pub(super) async fn parents_io<T, P, F>(
        &mut self,
        children: &[Key<T>],
        foreign_key: F,
    ) -> QueryResult<Vec<Option<Key<P>>>>
    where
        P: EntityRow<C::Backend> + EntityOf<<F::Target as KeyColumns>::Table>,
        T: EntityRow<C::Backend> + EntityOf<F::Table>,
        F: ForeignKey,
    {
        let _ = foreign_key;
        let (parent_fields, child_fields) = foreign_key_fields::<P, T, F>()?;
        let referenced = <F::Target as KeyColumns>::NAMES;
        let (wanted, loaded) = self
            .load_matching::<T, P>(children, &child_fields, referenced, &parent_fields)
            .await?;
        let by_key: HashMap<Vec<KeyValue>, Key<P>> = loaded.into_iter().collect();
        Ok(wanted
            .into_iter()
            .map(|value| value.and_then(|v| by_key.get(&v).copied()))
            .collect())
    }

    /// After an autoflush, loads the `R` rows whose `matched` columns hold the `source_fields`
    /// values of `sources` — one query per 1,000 distinct values — through the identity map.
    /// Returns each source's values (`None` where one is NULL) and each loaded row's key with
    /// its `target_fields` values.
    async fn load_matching<S, R>(
        &mut self,
        sources: &[Key<S>],
        source_fields: &[usize],
        matched: &'static [&'static str],
        target_fields: &[usize],
    ) -> QueryResult<MatchedRows<R>>
    where
        S: EntityRow<C::Backend>,
        R: EntityRow<C::Backend>,
    {
        self.before_query().await?;
        let mut wanted = Vec::with_capacity(sources.len());
        let rows: Vec<R> = {
            let store = self
                .stores
                .get(&TypeId::of::<S>())
                .and_then(|s| s.as_any().downcast_ref::<Store<S>>())
                .ok_or_else(|| {
                    state_error(format!(
                        "this session holds no {}",
                        unit_of_work::short_name::<S>()
                    ))
                })?;
            let mut seen: HashSet<Vec<KeyValue>> = HashSet::new();
            let mut distinct: Vec<&S> = Vec::new();
            for key in sources {
                let value = store.get(*key)?;
                let values = key_values(value, source_fields);
                if let Some(v) = &values
                    && seen.insert(v.clone())
                {
                    distinct.push(value);
                }
                wanted.push(values);
            }
            let mut rows = Vec::new();
            // As many parents per statement as the backend binds (the key list's limit).
            let per_statement = self
                .conn
                .key_list_limit()
                .keys_per_statement(source_fields.len(), false);
            for page in distinct.chunks(per_statement) {
                let statement = SelectChildren::<S, R> {
                    table: <R::Table as Table>::DESCRIPTION,
                    matched,
                    parents: page,
                    referenced_fields: source_fields,
                    _child: std::marker::PhantomData,
                };
                rows.extend(self.conn.load::<_, R>(&statement).await?);
            }
            rows
        };
        let store = self.store_mut::<R>();
        let loaded = rows
            .into_iter()
            .filter_map(|row| {
                let values = key_values(&row, target_fields);
                let key = store.merge_loaded(row, false);
                values.map(|v| (v, key))
            })
            .collect();
        Ok((wanted, loaded))
    }
}

/// What [`Session::load_matching`] returns.
type MatchedRows<R> = (Vec<Option<Vec<KeyValue>>>, Vec<(Vec<KeyValue>, Key<R>)>);

/// The values of `fields` of `value`, comparable across field types; `None` if one is NULL.
fn key_values<E: Entity>(value: &E, fields: &[usize]) -> Option<Vec<KeyValue>> {
    fields
        .iter()
        .map(|&f| value.field_any(f).and_then(key_value))
        .collect()
}

/// The fields of `P` holding the columns foreign key `F` references, and of `T` holding `F`'s
/// own columns; an error naming both entities if one does not map them.
fn foreign_key_fields<P: Entity, T: Entity, F: ForeignKey>() -> QueryResult<(Vec<usize>, Vec<usize>)>
{
    let referenced = <F::Target as KeyColumns>::NAMES;
    let positions = |names: &[&str], columns: &[&str]| -> Option<Vec<usize>> {
        names
            .iter()
            .map(|c| columns.iter().position(|n| n == c))
            .collect()
    };
    match (
        positions(referenced, P::COLUMN_NAMES),
        positions(F::NAMES, T::COLUMN_NAMES),
    ) {
        (Some(parent), Some(child)) => Ok((parent, child)),
        _ => Err(Error::new(
            ErrorKind::InvalidQuery,
            format!(
                "`{}` and `{}` must both map the foreign key's columns ({:?} → {referenced:?}) to load along it",
                unit_of_work::short_name::<P>(),
                unit_of_work::short_name::<T>(),
                F::NAMES
            ),
        )),
    }
}
