//! A session's objects of one entity type: a slab of slots handed out as [`Key`]s, the identity
//! map from primary key to slot, and each slot's state and snapshots.

use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use crate::error::{Error, ErrorKind, QueryResult};

use super::entity::Entity;

/// A handle to an object in a [`super::Session`]: `Copy`, `Send`, no lifetime. Read the object
/// with `session.get(key)`, change it with `session.get_mut(key)`. A key outlives its object
/// harmlessly: once the object is expunged or its deletion committed, the key is refused with
/// an [`ErrorKind::ObjectState`] error, never mistaken for another object.
pub struct Key<T> {
    pub(crate) slot: u32,
    pub(crate) generation: u32,
    _entity: PhantomData<fn() -> T>,
}

impl<T> Key<T> {
    pub(crate) fn new(slot: u32, generation: u32) -> Self {
        Key {
            slot,
            generation,
            _entity: PhantomData,
        }
    }
}

impl<T> Clone for Key<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Key<T> {}
impl<T> PartialEq for Key<T> {
    fn eq(&self, other: &Self) -> bool {
        self.slot == other.slot && self.generation == other.generation
    }
}
impl<T> Eq for Key<T> {}
impl<T> Hash for Key<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.slot.hash(state);
        self.generation.hash(state);
    }
}
impl<T> fmt::Debug for Key<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Key<{}>({}v{})",
            std::any::type_name::<T>(),
            self.slot,
            self.generation
        )
    }
}

/// Where an object stands, SQLAlchemy's object states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectState {
    /// Added, not yet written: the next flush INSERTs it.
    Pending,
    /// In the database (as of the last flush), and in the identity map.
    Persistent,
    /// Marked for deletion: the next flush DELETEs it.
    Deleted,
    /// Deleted by a flush; gone from the identity map, and from the session at commit (a
    /// rollback brings it back).
    Flushed,
}

#[derive(Clone)]
pub(crate) struct Slot<T> {
    pub value: Option<T>,
    pub generation: u32,
    pub state: ObjectState,
    /// As last loaded or flushed, taken on the first mutable access: what the diff compares.
    pub original: Option<Box<T>>,
    /// As at the start of the transaction, taken on the first change in it: what a rollback
    /// restores.
    pub committed: Option<Box<T>>,
    /// Whether the row existed in the database when the transaction began.
    pub in_database: bool,
    /// Removed by a cascade statement (or `ON DELETE CASCADE`): no DELETE of its own.
    pub cascaded: bool,
    /// Whether the transaction's list of changed slots has it.
    pub listed: bool,
    /// Fields the flush must write (set by the flush's preparation).
    pub dirty: u64,
    /// Out of date: reads are refused until a refresh.
    pub expired: bool,
    /// Whether the running flush's undo log holds a whole copy of the value.
    pub saved: bool,
}

/// One type's objects.
pub(crate) struct Store<T: Entity> {
    pub slots: Vec<Slot<T>>,
    free: Vec<u32>,
    pub identity: HashMap<T::PrimaryKey, u32, foldhash::fast::RandomState>,
    /// Slots added since the last flush, in order.
    pub pending: Vec<u32>,
    /// Slots with an `original` snapshot: the only ones a flush diffs.
    pub touched: Vec<u32>,
    /// Slots marked for deletion.
    pub deleted: Vec<u32>,
    /// Slots changed in the current transaction.
    pub changed: Vec<u32>,
    /// The field the database generates (an auto-increment key), found once.
    pub generated_key: Option<usize>,
    /// The `#[version]` field, found once.
    pub version: Option<usize>,
    /// What the running flush changed in the objects, to put back if it fails.
    pub undo: Vec<(u32, Undo<T>)>,
}

/// One change a flush made to an object, as the undo log keeps it.
#[derive(Clone)]
pub(crate) enum Undo<T> {
    /// The whole value before the flush.
    Row(T),
    /// A key field's value before the flush (a generated key's 0, a foreign key copied from a
    /// parent).
    Value(usize, super::entity::KeyValue),
}

impl<T: Entity> Clone for Store<T> {
    fn clone(&self) -> Self {
        Store {
            slots: self.slots.clone(),
            free: self.free.clone(),
            identity: self.identity.clone(),
            pending: self.pending.clone(),
            touched: self.touched.clone(),
            deleted: self.deleted.clone(),
            changed: self.changed.clone(),
            generated_key: self.generated_key,
            version: self.version,
            undo: self.undo.clone(),
        }
    }
}

impl<T: Entity> Default for Store<T> {
    fn default() -> Self {
        Store {
            slots: Vec::new(),
            free: Vec::new(),
            identity: HashMap::default(),
            pending: Vec::new(),
            touched: Vec::new(),
            deleted: Vec::new(),
            changed: Vec::new(),
            generated_key: super::unit_of_work::generated_key_field::<T>(),
            version: super::unit_of_work::version_field::<T>(),
            undo: Vec::new(),
        }
    }
}

pub(crate) fn state_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::ObjectState, message)
}

impl<T: Entity> Store<T> {
    fn name() -> &'static str {
        std::any::type_name::<T>()
    }

    /// A new slot holding `value` in `state`.
    pub fn insert(&mut self, value: T, state: ObjectState, in_database: bool) -> Key<T> {
        let slot = Slot {
            value: Some(value),
            generation: 0,
            state,
            original: None,
            committed: None,
            in_database,
            cascaded: false,
            listed: false,
            dirty: 0,
            expired: false,
            saved: false,
        };
        let index = match self.free.pop() {
            Some(index) => {
                let generation = self.slots[index as usize].generation;
                self.slots[index as usize] = Slot { generation, ..slot };
                index
            }
            None => {
                self.slots.push(slot);
                (self.slots.len() - 1) as u32
            }
        };
        let key = Key::new(index, self.slots[index as usize].generation);
        if state == ObjectState::Pending {
            self.pending.push(index);
            self.list(index);
        }
        key
    }

    /// Records that the slot changed in this transaction (for rollback).
    pub fn list(&mut self, index: u32) {
        let slot = &mut self.slots[index as usize];
        if !slot.listed {
            slot.listed = true;
            self.changed.push(index);
        }
    }

    /// Takes the transaction-start copy of a persistent slot before its first change.
    pub fn remember_committed(&mut self, index: u32) {
        let slot = &mut self.slots[index as usize];
        if slot.in_database && slot.committed.is_none() {
            slot.committed = slot.value.clone().map(Box::new);
        }
        self.list(index);
    }

    /// The slot of `key`, if the key still names an object here.
    pub fn slot(&self, key: Key<T>) -> QueryResult<&Slot<T>> {
        match self.slots.get(key.slot as usize) {
            Some(slot) if slot.generation == key.generation && slot.value.is_some() => Ok(slot),
            _ => Err(state_error(format!(
                "{key:?} names no object of this session: it was expunged, or its deletion was committed, or the key is from another session"
            ))),
        }
    }

    pub fn get(&self, key: Key<T>) -> QueryResult<&T> {
        let slot = self.slot(key)?;
        match slot.state {
            ObjectState::Flushed => Err(state_error(format!(
                "{key:?} ({}) was deleted by the last flush",
                Self::name()
            ))),
            _ if slot.expired => Err(state_error(format!(
                "{key:?} ({}) is expired: `session.refresh(key)` reloads it",
                Self::name()
            ))),
            _ => Ok(slot.value.as_ref().expect("slot() checked the value")),
        }
    }

    /// Marks a slot out of date, dropping unflushed changes to it.
    pub fn expire(&mut self, index: u32) {
        let slot = &mut self.slots[index as usize];
        slot.expired = true;
        if let Some(original) = slot.original.take() {
            slot.value = Some(*original);
        }
        slot.dirty = 0;
    }

    /// A slot reloaded from the database.
    pub fn refreshed(&mut self, index: u32, row: T) {
        let slot = &mut self.slots[index as usize];
        slot.value = Some(row);
        slot.original = None;
        slot.dirty = 0;
        slot.expired = false;
    }

    pub fn get_mut(&mut self, key: Key<T>) -> QueryResult<&mut T> {
        let state = self.get(key)?;
        let _ = state;
        let index = key.slot;
        let slot = &mut self.slots[index as usize];
        if slot.state == ObjectState::Persistent && slot.original.is_none() {
            slot.original = slot.value.clone().map(Box::new);
            self.touched.push(index);
            self.remember_committed(index);
        }
        Ok(self.slots[index as usize]
            .value
            .as_mut()
            .expect("get() checked the value"))
    }

    /// Takes an object out of the session (expunge, a pending object deleted).
    pub fn forget(&mut self, slot: u32) {
        self.pending.retain(|&s| s != slot);
        self.touched.retain(|&s| s != slot);
        self.deleted.retain(|&s| s != slot);
        self.changed.retain(|&s| s != slot);
        self.slots[slot as usize].listed = false;
        self.vacate(slot);
    }

    /// Frees a slot: its keys no longer resolve.
    pub fn vacate(&mut self, index: u32) {
        let slot = &mut self.slots[index as usize];
        if let Some(value) = slot.value.take()
            && slot.state != ObjectState::Pending
            && self.identity.get(&value.primary_key()) == Some(&index)
        {
            self.identity.remove(&value.primary_key());
        }
        slot.original = None;
        slot.committed = None;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(index);
    }

    /// A loaded row: the object already in the session for its key (not overwritten unless
    /// `overwrite`), or a new persistent one.
    pub fn merge_loaded(&mut self, row: T, overwrite: bool) -> Key<T> {
        use std::collections::hash_map::Entry;
        // One hash of the key: the entry is either the object already held or the new slot's.
        let next = self.free.last().copied().unwrap_or(self.slots.len() as u32);
        match self.identity.entry(row.primary_key()) {
            Entry::Occupied(held) => {
                let index = *held.get();
                let slot = &mut self.slots[index as usize];
                if (overwrite || slot.expired) && slot.state == ObjectState::Persistent {
                    slot.value = Some(row);
                    slot.expired = false;
                    if slot.original.is_some() {
                        slot.original = slot.value.clone().map(Box::new);
                    }
                }
                Key::new(index, slot.generation)
            }
            Entry::Vacant(vacant) => {
                vacant.insert(next);
                let key = self.insert(row, ObjectState::Persistent, true);
                debug_assert_eq!(key.slot, next);
                key
            }
        }
    }

    /// Room for `additional` more objects (a load knows its row count).
    pub fn reserve(&mut self, additional: usize) {
        self.slots
            .reserve(additional.saturating_sub(self.free.len()));
        self.identity.reserve(additional);
    }

    /// The position of the field mapped to `column`.
    pub fn field_index(column: &str) -> Option<usize> {
        T::COLUMN_NAMES.iter().position(|c| *c == column)
    }
}
