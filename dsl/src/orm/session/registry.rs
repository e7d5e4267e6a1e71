//! [`Registry`]: what every session of an application shares — the tables in flush order,
//! cascades, post-update foreign keys and ORM event hooks. SQLAlchemy's `registry` /
//! `sessionmaker` configuration, built once.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::ops::BitOr;
use std::sync::Arc;

use crate::connection::TypeIdMap;
use crate::error::QueryResult;
use crate::orm::ForeignKey;
use crate::schema::{ForeignKeyDescription, Schema, Table, TableDescription};

use super::entity::Entity;

/// What happens to the rows that reference a row through one foreign key, when the session
/// deletes that row or lets go of them. Combine with `|`: `Cascade::DELETE |
/// Cascade::DELETE_ORPHAN`.
///
/// Save-update needs no flag: a child added with [`super::Session::add_child`] is added with its
/// parent, and gets its parent's generated key at flush.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cascade(u8);

impl Cascade {
    /// No cascade: deleting a parent that still has children fails at flush with the
    /// database's foreign-key error (the flush is rolled back).
    pub const NONE: Cascade = Cascade(0);
    /// Deleting a parent deletes its children, loaded or not: one DELETE per child table with
    /// the parents' keys (grandchildren first, when their foreign key cascades too).
    pub const DELETE: Cascade = Cascade(1);
    /// A child removed from its parent ([`super::Session::remove_child`]) is deleted, not left
    /// with a NULL foreign key.
    pub const DELETE_ORPHAN: Cascade = Cascade(2);
    /// With [`Cascade::DELETE`]: the database deletes the children itself (`ON DELETE
    /// CASCADE` on the foreign key), so the flush sends no DELETE for them; the session only
    /// forgets the children it holds. SQLAlchemy's `passive_deletes=True`.
    pub const PASSIVE_DELETES: Cascade = Cascade(4);

    /// Whether every flag of `other` is set.
    pub fn contains(self, other: Cascade) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for Cascade {
    type Output = Cascade;
    fn bitor(self, rhs: Cascade) -> Cascade {
        Cascade(self.0 | rhs.0)
    }
}

/// A foreign key as the session sees it: the referencing table and the key's description.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ForeignKeyRef {
    pub table: &'static TableDescription,
    pub key: &'static ForeignKeyDescription,
}

impl ForeignKeyRef {
    pub fn of<F: ForeignKey>() -> Option<ForeignKeyRef> {
        let table = <F::Table as Table>::DESCRIPTION;
        table
            .foreign_keys
            .iter()
            .find(|fk| fk.columns == F::NAMES)
            .map(|key| ForeignKeyRef { table, key })
    }

    pub fn same(&self, other: &ForeignKeyRef) -> bool {
        std::ptr::eq(self.key, other.key)
    }
}

pub(crate) type BeforeHook = Arc<dyn Fn(&mut dyn Any) -> QueryResult<()> + Send + Sync>;
pub(crate) type AfterHook = Arc<dyn Fn(&dyn Any) + Send + Sync>;
type FlushHook = Arc<dyn Fn(&FlushSummary) -> QueryResult<()> + Send + Sync>;

/// The ORM events of one entity type.
#[derive(Clone, Default)]
pub(crate) struct EntityHooks {
    pub before_insert: Vec<BeforeHook>,
    pub after_insert: Vec<AfterHook>,
    pub before_update: Vec<BeforeHook>,
    pub after_update: Vec<AfterHook>,
    pub before_delete: Vec<BeforeHook>,
    pub after_delete: Vec<AfterHook>,
}

/// What a flush is about to write (given to `before_flush` hooks) or wrote (`after_flush`):
/// rows per table, by statement kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlushSummary {
    /// `(table, rows)` to insert.
    pub inserts: Vec<(&'static str, usize)>,
    /// `(table, rows)` to update.
    pub updates: Vec<(&'static str, usize)>,
    /// `(table, rows)` to delete (not counting rows a cascade reaches).
    pub deletes: Vec<(&'static str, usize)>,
}

impl FlushSummary {
    /// Whether the flush writes nothing.
    pub fn is_empty(&self) -> bool {
        self.inserts.is_empty() && self.updates.is_empty() && self.deletes.is_empty()
    }
}

#[derive(Clone, Default)]
pub(crate) struct RegistryInner {
    /// Flush rank per table name: referenced tables first.
    pub rank: HashMap<&'static str, usize>,
    pub tables: Vec<&'static TableDescription>,
    pub cascades: Vec<(ForeignKeyRef, Cascade)>,
    pub post_update: Vec<ForeignKeyRef>,
    pub hooks: TypeIdMap<EntityHooks>,
    pub before_flush: Vec<FlushHook>,
    pub after_flush: Vec<FlushHook>,
    pub autoflush: bool,
}

/// The configuration every [`super::Session`] of an application shares: the tables (whose
/// foreign keys order each flush), cascades, post-update foreign keys and ORM events. Cheap to
/// clone (one `Arc`).
///
/// ```text
/// let registry = Registry::new(&schema)
///     .cascade(posts::user_id, Cascade::DELETE | Cascade::DELETE_ORPHAN)
///     .before_update::<User>(|user| { user.updated_at = now(); Ok(()) });
/// let mut session = Session::new(&registry, &mut conn);
/// ```
#[derive(Clone)]
pub struct Registry {
    pub(crate) inner: Arc<RegistryInner>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("tables", &self.inner.tables.len())
            .field("cascades", &self.inner.cascades.len())
            .field("post_update", &self.inner.post_update.len())
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// The tables of `schema`, in the order their foreign keys give (the order `create_all`
    /// creates them): a flush inserts and updates referenced tables first and deletes from
    /// referencing tables first — whether or not a relationship is ever used between them.
    /// A flush with work for a table missing from the schema is refused with an
    /// [`crate::ErrorKind::ObjectState`] error naming it.
    pub fn new(schema: &Schema) -> Self {
        let plan = schema.plan();
        let rank = plan
            .tables
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name, i))
            .collect();
        Registry {
            inner: Arc::new(RegistryInner {
                rank,
                tables: plan.tables,
                autoflush: true,
                ..RegistryInner::default()
            }),
        }
    }

    fn edit(mut self, f: impl FnOnce(&mut RegistryInner)) -> Self {
        f(Arc::make_mut(&mut self.inner));
        self
    }

    /// What deleting a parent, or letting go of a child, does to the rows referencing it
    /// through `foreign_key` (see [`Cascade`]).
    pub fn cascade<F: ForeignKey>(self, foreign_key: F, cascade: Cascade) -> Self {
        let _ = foreign_key;
        match ForeignKeyRef::of::<F>() {
            Some(fk) => self.edit(|r| {
                r.cascades.retain(|(k, _)| !k.same(&fk));
                r.cascades.push((fk, cascade));
            }),
            None => self,
        }
    }

    /// Writes `foreign_key` in a second step: rows are inserted with it NULL and then updated,
    /// and set to NULL before a delete. Breaks a cycle of new rows (two employees each the
    /// other's manager; a user whose favourite post is their own new post), which no insert
    /// order can satisfy. SQLAlchemy's `post_update=True`. The column must be nullable.
    pub fn post_update<F: ForeignKey>(self, foreign_key: F) -> Self {
        let _ = foreign_key;
        match ForeignKeyRef::of::<F>() {
            Some(fk) => self.edit(|r| r.post_update.push(fk)),
            None => self,
        }
    }

    /// Whether sessions flush before each query they run (on by default, as SQLAlchemy's
    /// `autoflush`), so a query sees the session's own changes.
    pub fn autoflush(self, on: bool) -> Self {
        self.edit(|r| r.autoflush = on)
    }

    fn hooks<T: Entity>(self, f: impl FnOnce(&mut EntityHooks)) -> Self {
        self.edit(|r| f(r.hooks.entry(TypeId::of::<T>()).or_default()))
    }

    /// Runs `hook` on each new `T` before its INSERT; an error aborts the flush (rolled back).
    /// Changes it makes are written.
    pub fn before_insert<T: Entity>(
        self,
        hook: impl Fn(&mut T) -> QueryResult<()> + Send + Sync + 'static,
    ) -> Self {
        self.hooks::<T>(|h| h.before_insert.push(before(hook)))
    }

    /// Runs `hook` on each `T` after its INSERT (with its generated key).
    pub fn after_insert<T: Entity>(self, hook: impl Fn(&T) + Send + Sync + 'static) -> Self {
        self.hooks::<T>(|h| h.after_insert.push(after(hook)))
    }

    /// Runs `hook` on each changed `T` before its UPDATE (audit columns: `updated_at`); an
    /// error aborts the flush. Changes it makes are written.
    pub fn before_update<T: Entity>(
        self,
        hook: impl Fn(&mut T) -> QueryResult<()> + Send + Sync + 'static,
    ) -> Self {
        self.hooks::<T>(|h| h.before_update.push(before(hook)))
    }

    /// Runs `hook` on each `T` after its UPDATE.
    pub fn after_update<T: Entity>(self, hook: impl Fn(&T) + Send + Sync + 'static) -> Self {
        self.hooks::<T>(|h| h.after_update.push(after(hook)))
    }

    /// Runs `hook` on each `T` before its DELETE; an error aborts the flush.
    pub fn before_delete<T: Entity>(
        self,
        hook: impl Fn(&mut T) -> QueryResult<()> + Send + Sync + 'static,
    ) -> Self {
        self.hooks::<T>(|h| h.before_delete.push(before(hook)))
    }

    /// Runs `hook` on each `T` after its DELETE.
    pub fn after_delete<T: Entity>(self, hook: impl Fn(&T) + Send + Sync + 'static) -> Self {
        self.hooks::<T>(|h| h.after_delete.push(after(hook)))
    }

    /// Runs `hook` before each flush that has work, with what it will write; an error aborts
    /// the flush before any statement.
    pub fn before_flush(
        self,
        hook: impl Fn(&FlushSummary) -> QueryResult<()> + Send + Sync + 'static,
    ) -> Self {
        self.edit(|r| r.before_flush.push(Arc::new(hook)))
    }

    /// Runs `hook` after each flush that wrote something, inside the flush's transaction: an
    /// error rolls the flush back.
    pub fn after_flush(
        self,
        hook: impl Fn(&FlushSummary) -> QueryResult<()> + Send + Sync + 'static,
    ) -> Self {
        self.edit(|r| r.after_flush.push(Arc::new(hook)))
    }

    pub(crate) fn knows(&self, table: &str) -> bool {
        self.inner.rank.contains_key(table)
    }

    pub(crate) fn rank(&self, table: &str) -> usize {
        self.inner.rank.get(table).copied().unwrap_or(usize::MAX)
    }

    pub(crate) fn cascade_of(&self, fk: &ForeignKeyRef) -> Cascade {
        self.inner
            .cascades
            .iter()
            .find(|(k, _)| k.same(fk))
            .map_or(Cascade::NONE, |(_, c)| *c)
    }

    pub(crate) fn is_post_update(&self, fk: &'static ForeignKeyDescription) -> bool {
        self.inner
            .post_update
            .iter()
            .any(|k| std::ptr::eq(k.key, fk))
    }

    /// The foreign keys (with their cascade) that reference `table`.
    pub(crate) fn referencing(&self, table: &str) -> Vec<(ForeignKeyRef, Cascade)> {
        self.inner
            .cascades
            .iter()
            .filter(|(k, c)| k.key.foreign_table == table && c.contains(Cascade::DELETE))
            .copied()
            .collect()
    }
}

fn before<T: Entity>(
    hook: impl Fn(&mut T) -> QueryResult<()> + Send + Sync + 'static,
) -> BeforeHook {
    Arc::new(move |value: &mut dyn Any| match value.downcast_mut::<T>() {
        Some(v) => hook(v),
        None => Ok(()),
    })
}

fn after<T: Entity>(hook: impl Fn(&T) + Send + Sync + 'static) -> AfterHook {
    Arc::new(move |value: &dyn Any| {
        if let Some(v) = value.downcast_ref::<T>() {
            hook(v)
        }
    })
}
