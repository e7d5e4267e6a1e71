//! The [`Session`]: SQLAlchemy's unit of work, typed. Objects live in the session and are
//! handed out as [`Key`]s; the identity map gives one object per row; changes are found by
//! comparing fields; [`Session::flush`] writes inserts, changed columns and deletes in
//! foreign-key order, batched, in the session's transaction.
//!
//! See `ARCHITECTURE.md` ("The session") for how objects are owned and what each step costs.

mod async_session;
mod blocking;
mod entity;
mod flush;
mod io;
mod loading;
mod registry;
mod statements;
mod store;
pub(crate) mod transaction;
mod unit_of_work;

use std::any::TypeId;
use std::collections::HashMap;

pub use async_session::{AsyncSession, NestedTransaction};
pub use entity::{Entity, EntityRow, SqlNull};
#[doc(hidden)]
pub use entity::{integer_of, same_names, set_optional, set_plain};
pub use io::{Awaiting, Blocking, SessionIo};
pub use registry::{Cascade, FlushSummary, Registry};
pub use store::{Key, ObjectState};

use crate::connection::TypeIdMap;
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::QueryFragment;
use crate::orm::{ForeignKey, KeyColumns};
use crate::query::{Query, SelectableRow};
use crate::schema::Table;

use registry::ForeignKeyRef;
use statements::SelectRows;
use store::{Store, state_error};
use transaction::SessionTransaction;
use unit_of_work::{FlushContext, StoreOps};

/// Rule: along a foreign key, the child is a row of the table that holds the key and the
/// parent a row of the table it references.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row of `{Table}`, the table on this side of the foreign key",
    label = "an entity of another table",
    note = "along `posts::user_id` the child is an entity of `posts` and the parent an entity of `users`"
)]
pub trait EntityOf<Table> {}

#[diagnostic::do_not_recommend]
impl<T: Entity, Table> EntityOf<Table> for T where T::Table: crate::orm::SameTable<Table> {}

/// A parent an object was attached to with [`Session::add_child`] / [`Session::set_parent`]:
/// the flush copies the parent's key into the child's foreign key.
#[derive(Debug, Clone, Copy)]
struct Link {
    fk: ForeignKeyRef,
    child_generation: u32,
    parent_type: TypeId,
    parent_slot: u32,
    parent_generation: u32,
}

/// Links by child type, then by `(child slot, foreign key)`.
type Links = TypeIdMap<HashMap<(u32, usize), Link, foldhash::fast::RandomState>>;

/// A unit of work over one connection: objects added, loaded, changed and deleted through it
/// are written by [`Session::flush`] (or [`Session::commit`]) in foreign-key order, in as few
/// statements as the database allows, inside the session's transaction.
///
/// The session begins its transaction at its first statement and holds it until
/// [`Session::commit`] or [`Session::rollback`]; a session dropped without either rolls back
/// (nothing uncommitted is kept, as with SQLAlchemy).
///
/// ```text
/// let registry = Registry::new(&schema);
/// let mut session = Session::new(&registry, &mut conn);
/// let ann = session.add(User { id: 0, name: "Ann".into() })?;  // 0: the database makes the key
/// session.add_child(ann, posts::user_id, Post { id: 0, user_id: 0, title: "Hi".into() })?;
/// session.commit()?;                       // INSERT users, then posts with Ann's new id
/// session.get_mut(ann)?.name = "Anne".into();
/// session.commit()?;                       // UPDATE users SET name = ? WHERE id = ?
/// ```
///
/// `Session<'c, C>` is the session over a blocking connection; [`AsyncSession`] is the same
/// session over an async one, its statements awaited (the `M` parameter says which; the code
/// that writes the statements is the same).
pub struct Session<'c, C: SessionIo<M>, M: 'static = Blocking> {
    conn: &'c mut C,
    registry: Registry,
    stores: TypeIdMap<Box<dyn StoreOps<C, M>>>,
    links: Links,
    transaction: Option<SessionTransaction>,
    autoflush: bool,
    flushing: bool,
    context: FlushContext,
    _mode: std::marker::PhantomData<fn() -> M>,
}

impl<C: SessionIo<M>, M: 'static> std::fmt::Debug for Session<'_, C, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("types", &self.stores.len())
            .field("in_transaction", &self.transaction.is_some())
            .finish_non_exhaustive()
    }
}

impl<'c, C: SessionIo<M>, M: 'static> Session<'c, C, M> {
    /// A session on `conn`, configured by `registry`.
    fn with_connection(registry: &Registry, conn: &'c mut C) -> Self {
        Session {
            conn,
            autoflush: registry.inner.autoflush,
            registry: registry.clone(),
            stores: TypeIdMap::default(),
            links: Links::default(),
            transaction: None,
            flushing: false,
            context: FlushContext::default(),
            _mode: std::marker::PhantomData,
        }
    }

    /// Switches flushing before each query on or off for this session (see
    /// [`Registry::autoflush`]).
    pub fn set_autoflush(&mut self, on: bool) {
        self.autoflush = on;
    }

    fn store<T: EntityRow<C::Backend>>(&self) -> Option<&Store<T>> {
        self.stores
            .get(&TypeId::of::<T>())
            .and_then(|s| s.as_any().downcast_ref::<Store<T>>())
    }

    fn store_mut<T: EntityRow<C::Backend>>(&mut self) -> &mut Store<T> {
        self.stores
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(Store::<T>::default()))
            .as_any_mut()
            .downcast_mut::<Store<T>>()
            .expect("stores are keyed by their entity's TypeId")
    }

    fn existing_store_mut<T: EntityRow<C::Backend>>(&mut self) -> QueryResult<&mut Store<T>> {
        self.stores
            .get_mut(&TypeId::of::<T>())
            .and_then(|s| s.as_any_mut().downcast_mut::<Store<T>>())
            .ok_or_else(|| {
                state_error(format!(
                    "this session holds no {}",
                    std::any::type_name::<T>()
                ))
            })
    }

    // ----- adding, reading, changing, deleting -----

    /// Adds a new object: the next flush INSERTs it. Leave an auto-increment key `0` for the
    /// database to generate it (it is set on the object at flush); any other key is inserted
    /// as given. Fails if the session already holds an object with the same given key.
    pub fn add<T: EntityRow<C::Backend>>(&mut self, value: T) -> QueryResult<Key<T>> {
        let store = self.store_mut::<T>();
        // A key left for the database to generate (0) cannot collide with a held one.
        let generated = store
            .generated_key
            .is_some_and(|f| value.field_any(f).and_then(entity::integer_of) == Some(0));
        let pk = value.primary_key();
        if !generated
            && let Some(&slot) = store.identity.get(&pk)
            && store.slots[slot as usize].state != ObjectState::Flushed
        {
            return Err(state_error(format!(
                "the session already holds the {} with key {pk:?}; change that object, or `merge` this value into it",
                unit_of_work::short_name::<T>()
            )));
        }
        Ok(store.insert(value, ObjectState::Pending, false))
    }

    /// Adds every object of `values` (see [`Session::add`]).
    pub fn add_all<T: EntityRow<C::Backend>>(
        &mut self,
        values: impl IntoIterator<Item = T>,
    ) -> QueryResult<Vec<Key<T>>> {
        values.into_iter().map(|v| self.add(v)).collect()
    }

    /// The object `key` names.
    pub fn get<T: EntityRow<C::Backend>>(&self, key: Key<T>) -> QueryResult<&T> {
        match self.store::<T>() {
            Some(store) => store.get(key),
            None => Err(state_error(format!(
                "{key:?} names no object of this session"
            ))),
        }
    }

    /// The object `key` names, to change: the next flush writes the fields that differ from
    /// the object as loaded (only those).
    pub fn get_mut<T: EntityRow<C::Backend>>(&mut self, key: Key<T>) -> QueryResult<&mut T> {
        self.existing_store_mut::<T>()?.get_mut(key)
    }

    /// The object with primary key `pk` if the session holds it — the identity map alone, no
    /// SQL (SQLAlchemy's `session.identity_map`).
    pub fn cached<T: EntityRow<C::Backend>>(&self, pk: &T::PrimaryKey) -> Option<Key<T>> {
        let store = self.store::<T>()?;
        let &slot = store.identity.get(pk)?;
        Some(Key::new(slot, store.slots[slot as usize].generation))
    }

    async fn find_io<T: EntityRow<C::Backend>>(
        &mut self,
        pk: T::PrimaryKey,
    ) -> QueryResult<Option<Key<T>>> {
        if let Some(key) = self.cached::<T>(&pk) {
            let state = self.store::<T>().map(|s| s.slots[key.slot as usize].state);
            return Ok((state == Some(ObjectState::Persistent)).then_some(key));
        }
        self.before_query().await?;
        let keys = [pk];
        let statement = SelectRows::<T> {
            table: <T::Table as Table>::DESCRIPTION,
            keys: &keys,
        };
        let rows: Vec<T> = self.conn.load(&statement).await?;
        let store = self.store_mut::<T>();
        Ok(rows
            .into_iter()
            .next()
            .map(|row| store.merge_loaded(row, false)))
    }

    async fn load_rows<T, Q>(&mut self, query: Q, overwrite: bool) -> QueryResult<Vec<Key<T>>>
    where
        T: EntityRow<C::Backend>,
        Q: Query<SqlRow = SelectableRow<T>> + QueryFragment<C::Backend> + Send + Sync,
    {
        self.before_query().await?;
        let rows: Vec<T> = self.conn.load(&query).await?;
        let store = self.store_mut::<T>();
        store.reserve(rows.len());
        Ok(rows
            .into_iter()
            .map(|row| store.merge_loaded(row, overwrite))
            .collect())
    }

    /// Marks an object for deletion: the next flush DELETEs it (and, along foreign keys whose
    /// [`Cascade`] says so, its children). A pending object simply leaves the session.
    pub fn delete<T: EntityRow<C::Backend>>(&mut self, key: Key<T>) -> QueryResult<()> {
        let store = self.existing_store_mut::<T>()?;
        let state = store.slot(key)?.state;
        match state {
            ObjectState::Pending => {
                store.forget(key.slot);
                self.forget_links::<T>(key.slot);
            }
            ObjectState::Persistent => {
                store.remember_committed(key.slot);
                store.slots[key.slot as usize].state = ObjectState::Deleted;
                store.deleted.push(key.slot);
            }
            ObjectState::Deleted | ObjectState::Flushed => {}
        }
        Ok(())
    }

    /// The state of the object `key` names.
    pub fn state<T: EntityRow<C::Backend>>(&self, key: Key<T>) -> QueryResult<ObjectState> {
        match self.store::<T>() {
            Some(store) => Ok(store.slot(key)?.state),
            None => Err(state_error(format!(
                "{key:?} names no object of this session"
            ))),
        }
    }

    /// The columns of the object whose values differ from the object as loaded (what the next
    /// flush would UPDATE).
    pub fn modified_columns<T: EntityRow<C::Backend>>(
        &self,
        key: Key<T>,
    ) -> QueryResult<Vec<&'static str>> {
        let store = self
            .store::<T>()
            .ok_or_else(|| state_error(format!("{key:?} names no object of this session")))?;
        let slot = store.slot(key)?;
        let mask = match (&slot.value, &slot.original) {
            (Some(v), Some(o)) => v.changed_fields(o),
            _ => 0,
        };
        Ok(statements::fields_of(mask)
            .map(|i| T::COLUMN_NAMES[i])
            .collect())
    }

    // ----- relationships between objects -----

    /// Adds `child` as a child of `parent` along `foreign_key` (the child's column that
    /// references the parent): the flush fills the child's foreign key from the parent's key,
    /// generated or not, after the parent's INSERT. SQLAlchemy's `user.posts.append(post)`.
    pub fn add_child<P, T, F>(
        &mut self,
        parent: Key<P>,
        foreign_key: F,
        child: T,
    ) -> QueryResult<Key<T>>
    where
        P: EntityRow<C::Backend> + EntityOf<<F::Target as KeyColumns>::Table>,
        T: EntityRow<C::Backend> + EntityOf<F::Table>,
        F: ForeignKey,
    {
        self.get(parent)?;
        let key = self.add(child)?;
        self.set_parent(key, foreign_key, parent)?;
        Ok(key)
    }

    /// Makes `parent` the object `child` references along `foreign_key` (SQLAlchemy's
    /// `post.author = user`): the next flush copies the parent's key — generated by then if the
    /// parent is new — into the child's foreign-key fields, and writes them. Calling it again
    /// for the same child and key replaces the parent.
    pub fn set_parent<P, T, F>(
        &mut self,
        child: Key<T>,
        foreign_key: F,
        parent: Key<P>,
    ) -> QueryResult<()>
    where
        P: EntityRow<C::Backend> + EntityOf<<F::Target as KeyColumns>::Table>,
        T: EntityRow<C::Backend> + EntityOf<F::Table>,
        F: ForeignKey,
    {
        let _ = foreign_key;
        let fk = ForeignKeyRef::of::<F>().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidQuery,
                "no such foreign key in the table's description",
            )
        })?;
        self.get(parent)?;
        let state = self.state(child)?;
        if state == ObjectState::Persistent {
            self.get_mut(child)?;
        }
        let link = Link {
            fk,
            child_generation: child.generation,
            parent_type: TypeId::of::<P>(),
            parent_slot: parent.slot,
            parent_generation: parent.generation,
        };
        self.links
            .entry(TypeId::of::<T>())
            .or_default()
            .insert((child.slot, fk.key as *const _ as usize), link);
        // A persistent child of a parent that has its key takes the key now, so the change
        // shows (`modified_columns`) and the next flush writes it like any other change.
        let parent_has_key = self
            .stores
            .get(&TypeId::of::<P>())
            .is_some_and(|s| !s.needs_key(parent.slot));
        if state == ObjectState::Persistent && parent_has_key {
            self.copy_link(TypeId::of::<T>(), child.slot, &link)?;
        }
        Ok(())
    }

    /// Detaches `child` from `parent` along `foreign_key` (SQLAlchemy's
    /// `user.posts.remove(post)`): with [`Cascade::DELETE_ORPHAN`] on the key the child is
    /// deleted; otherwise its foreign key is set to NULL (an error if the field cannot hold
    /// NULL: configure delete-orphan, or delete the child).
    pub fn remove_child<P, T, F>(
        &mut self,
        parent: Key<P>,
        foreign_key: F,
        child: Key<T>,
    ) -> QueryResult<()>
    where
        P: EntityRow<C::Backend> + EntityOf<<F::Target as KeyColumns>::Table>,
        T: EntityRow<C::Backend> + EntityOf<F::Table>,
        F: ForeignKey,
    {
        let _ = (foreign_key, parent);
        let fk = ForeignKeyRef::of::<F>().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidQuery,
                "no such foreign key in the table's description",
            )
        })?;
        if let Some(links) = self.links.get_mut(&TypeId::of::<T>()) {
            links.remove(&(child.slot, fk.key as *const _ as usize));
        }
        if self
            .registry
            .cascade_of(&fk)
            .contains(Cascade::DELETE_ORPHAN)
        {
            return self.delete(child);
        }
        let value = self.get_mut(child)?;
        for column in fk.key.columns {
            let index = T::COLUMN_NAMES.iter().position(|c| c == column);
            if !index.is_some_and(|i| value.set_field(i, &SqlNull)) {
                return Err(state_error(format!(
                    "{}.{column} cannot be NULL, so the child cannot be detached from its parent: configure Cascade::DELETE_ORPHAN on the foreign key, or delete the child",
                    unit_of_work::short_name::<T>()
                )));
            }
        }
        Ok(())
    }

    fn forget_links<T: 'static>(&mut self, slot: u32) {
        if let Some(links) = self.links.get_mut(&TypeId::of::<T>()) {
            links.retain(|(s, _), _| *s != slot);
        }
    }

    // ----- detached objects -----

    /// Takes the object out of the session and returns it (SQLAlchemy's `expunge`): its key no
    /// longer resolves, and nothing about it is flushed.
    pub fn expunge<T: EntityRow<C::Backend>>(&mut self, key: Key<T>) -> QueryResult<T> {
        let store = self.existing_store_mut::<T>()?;
        let value = store.get(key)?.clone();
        store.forget(key.slot);
        self.forget_links::<T>(key.slot);
        Ok(value)
    }

    async fn merge_io<T: EntityRow<C::Backend>>(&mut self, value: T) -> QueryResult<Key<T>> {
        match self.find_io::<T>(value.primary_key()).await? {
            Some(key) => {
                *self.get_mut(key)? = value;
                Ok(key)
            }
            None => self.add(value),
        }
    }

    /// Marks the object as out of date: reading it is refused until [`Session::refresh`]
    /// reloads it (SQLAlchemy's `expire`, made explicit: no read ever runs SQL on its own).
    /// Unflushed changes to it are discarded.
    pub fn expire<T: EntityRow<C::Backend>>(&mut self, key: Key<T>) -> QueryResult<()> {
        let store = self.existing_store_mut::<T>()?;
        store.slot(key)?;
        store.expire(key.slot);
        Ok(())
    }

    async fn refresh_io<T: EntityRow<C::Backend>>(&mut self, key: Key<T>) -> QueryResult<()> {
        let pk = {
            let store = self.existing_store_mut::<T>()?;
            let slot = store.slot(key)?;
            slot.value.as_ref().map(Entity::primary_key)
        };
        let Some(pk) = pk else {
            return Err(state_error(format!(
                "{key:?} names no object of this session"
            )));
        };
        self.begin_io().await?;
        let keys = [pk];
        let statement = SelectRows::<T> {
            table: <T::Table as Table>::DESCRIPTION,
            keys: &keys,
        };
        let row: T = self.conn.load_first(&statement).await?;
        let store = self.existing_store_mut::<T>()?;
        store.refreshed(key.slot, row);
        Ok(())
    }
}
