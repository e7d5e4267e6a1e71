//! Loading along a foreign key through the session: [`Session::children`] and
//! [`Session::parents`], selectin-style (one query per 1,000 keys), every row resolved through
//! the identity map, so an object the session holds comes back as that object.

use std::any::TypeId;
use std::collections::HashMap;

use crate::connection::Connection;
use crate::error::{Error, ErrorKind, QueryResult};
use crate::orm::{ForeignKey, KeyColumns};
use crate::schema::Table;

use super::entity::{EntityRow, KeyValue, key_value};
use super::statements::SelectChildren;
use super::store::{Key, Store, state_error};
use super::{EntityOf, Session, unit_of_work};

impl<C: Connection> Session<'_, C> {
    /// Loads the children of `parents` along `foreign_key` (the children's column referencing
    /// the parents), in one query per 1,000 parents (selectin), through the identity map:
    /// children the session holds come back as those objects. Returns each parent's children,
    /// in the parents' order.
    pub fn children<P, T, F>(
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
        self.before_query()?;
        let referenced = <F::Target as KeyColumns>::NAMES;
        let parent_fields: Option<Vec<usize>> = referenced
            .iter()
            .map(|c| P::COLUMN_NAMES.iter().position(|n| n == c))
            .collect();
        let child_fields: Option<Vec<usize>> = F::NAMES
            .iter()
            .map(|c| T::COLUMN_NAMES.iter().position(|n| n == c))
            .collect();
        let (Some(parent_fields), Some(child_fields)) = (parent_fields, child_fields) else {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "`{}` and `{}` must both map the foreign key's columns ({:?} → {referenced:?}) to load along it",
                    unit_of_work::short_name::<P>(),
                    unit_of_work::short_name::<T>(),
                    F::NAMES
                ),
            ));
        };
        let mut wanted: Vec<(usize, Vec<KeyValue>)> = Vec::with_capacity(parents.len());
        let rows: Vec<T> = {
            let store = self
                .stores
                .get(&TypeId::of::<P>())
                .and_then(|s| s.as_any().downcast_ref::<Store<P>>())
                .ok_or_else(|| state_error("no parents in this session"))?;
            let mut parent_rows = Vec::with_capacity(parents.len());
            for (i, key) in parents.iter().enumerate() {
                let value = store.get(*key)?;
                let kv: Option<Vec<KeyValue>> = parent_fields
                    .iter()
                    .map(|&f| value.field_any(f).and_then(key_value))
                    .collect();
                if let Some(kv) = kv {
                    wanted.push((i, kv));
                    parent_rows.push(value);
                }
            }
            let mut rows = Vec::new();
            for page in parent_rows.chunks(1000) {
                let statement = SelectChildren::<P, T> {
                    table: <T::Table as Table>::DESCRIPTION,
                    matched: F::NAMES,
                    parents: page,
                    referenced_fields: &parent_fields,
                    _child: std::marker::PhantomData,
                };
                rows.extend(self.conn.load_query::<_, T>(&statement)?);
            }
            rows
        };
        let mut by_key: HashMap<Vec<KeyValue>, Vec<Key<T>>> = HashMap::new();
        let store = self.store_mut::<T>();
        for row in rows {
            let kv: Option<Vec<KeyValue>> = child_fields
                .iter()
                .map(|&f| row.field_any(f).and_then(key_value))
                .collect();
            let key = store.merge_loaded(row, false);
            if let Some(kv) = kv {
                by_key.entry(kv).or_default().push(key);
            }
        }
        let mut out = vec![Vec::new(); parents.len()];
        for (i, kv) in wanted {
            if let Some(children) = by_key.get(&kv) {
                out[i] = children.clone();
            }
        }
        Ok(out)
    }

    /// Loads the parents of `children` along `foreign_key` (the children's column referencing
    /// the parents; SQLAlchemy's `post.user`), in one query per 1,000 distinct keys, through
    /// the identity map: parents the session holds come back as those objects. Returns each
    /// child's parent, in the children's order; `None` where the foreign key is NULL.
    pub fn parents<T, P, F>(
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
        self.before_query()?;
        let referenced = <F::Target as KeyColumns>::NAMES;
        let parent_fields: Option<Vec<usize>> = referenced
            .iter()
            .map(|c| P::COLUMN_NAMES.iter().position(|n| n == c))
            .collect();
        let child_fields: Option<Vec<usize>> = F::NAMES
            .iter()
            .map(|c| T::COLUMN_NAMES.iter().position(|n| n == c))
            .collect();
        let (Some(parent_fields), Some(child_fields)) = (parent_fields, child_fields) else {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "`{}` and `{}` must both map the foreign key's columns ({:?} → {referenced:?}) to load along it",
                    unit_of_work::short_name::<T>(),
                    unit_of_work::short_name::<P>(),
                    F::NAMES
                ),
            ));
        };
        let mut wanted: Vec<Option<Vec<KeyValue>>> = Vec::with_capacity(children.len());
        let rows: Vec<P> = {
            let store = self
                .stores
                .get(&TypeId::of::<T>())
                .and_then(|s| s.as_any().downcast_ref::<Store<T>>())
                .ok_or_else(|| state_error("no children in this session"))?;
            let mut seen: std::collections::HashSet<Vec<KeyValue>> = Default::default();
            let mut distinct: Vec<&T> = Vec::new();
            for key in children {
                let value = store.get(*key)?;
                let kv: Option<Vec<KeyValue>> = child_fields
                    .iter()
                    .map(|&f| value.field_any(f).and_then(key_value))
                    .collect();
                if let Some(kv) = &kv
                    && seen.insert(kv.clone())
                {
                    distinct.push(value);
                }
                wanted.push(kv);
            }
            let mut rows = Vec::new();
            for page in distinct.chunks(1000) {
                let statement = SelectChildren::<T, P> {
                    table: <P::Table as Table>::DESCRIPTION,
                    matched: referenced,
                    parents: page,
                    referenced_fields: &child_fields,
                    _child: std::marker::PhantomData,
                };
                rows.extend(self.conn.load_query::<_, P>(&statement)?);
            }
            rows
        };
        let mut by_key: HashMap<Vec<KeyValue>, Key<P>> = HashMap::new();
        let store = self.store_mut::<P>();
        for row in rows {
            let kv: Option<Vec<KeyValue>> = parent_fields
                .iter()
                .map(|&f| row.field_any(f).and_then(key_value))
                .collect();
            let key = store.merge_loaded(row, false);
            if let Some(kv) = kv {
                by_key.insert(kv, key);
            }
        }
        Ok(wanted
            .into_iter()
            .map(|kv| kv.and_then(|kv| by_key.get(&kv).copied()))
            .collect())
    }
}
