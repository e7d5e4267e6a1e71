//! [`Session::flush`]: the order of a flush — inserts and updates by table rank, keys copied
//! from parents to children between them, post-updates, cascades, deletes in reverse rank —
//! and what a failure undoes.

use std::any::TypeId;
use std::collections::{HashMap, HashSet};

use crate::error::QueryResult;

use super::entity::key_value;
use super::io::SessionIo;
use super::registry::{Cascade, FlushSummary};
use super::store::state_error;
use super::unit_of_work::{StoreOps, clear_fields};
use super::{Link, Session};

/// Slots inserted together, and the parent-key copies to make once they have keys.
type Wave = (Vec<u32>, Vec<(u32, Link)>);

impl<C: SessionIo<M>, M: 'static> Session<'_, C, M> {
    // ----- flush -----

    /// Writes every pending change in the session's transaction: INSERTs of new objects
    /// (referenced tables first; generated keys set on the objects and copied into their
    /// children), UPDATEs of the changed columns only (grouped by the columns changed), and
    /// DELETEs (cascades first, referencing tables first).
    ///
    /// If any statement fails, the flush's work is rolled back and the session is as before
    /// the flush: new objects still pending, nothing marked persistent. The error names the
    /// statement and the objects.
    pub(super) async fn flush_io(&mut self) -> QueryResult<()> {
        if self.flushing {
            return Ok(());
        }
        self.flushing = true;
        let result = self.flush_inner().await;
        self.flushing = false;
        result
    }

    async fn flush_inner(&mut self) -> QueryResult<()> {
        if !self.stores.values().any(|s| s.has_work()) {
            return Ok(());
        }
        // Order comes from the schema's foreign keys; a table outside it cannot be ordered.
        if let Some(store) = self
            .stores
            .values()
            .find(|s| s.has_work() && !self.registry.knows(s.table().name))
        {
            return Err(state_error(format!(
                "table `{}` is not in the schema this session's Registry was built from, so the flush cannot order it by its foreign keys: add it with `Schema::table`",
                store.table().name
            )));
        }
        let mut order: Vec<TypeId> = self.stores.keys().copied().collect();
        order.sort_by_key(|t| {
            let table = self.stores[t].table().name;
            (self.registry.rank(table), table)
        });
        for t in &order {
            let whole_pending = self
                .registry
                .inner
                .hooks
                .get(t)
                .is_some_and(|h| !h.before_insert.is_empty());
            self.stores
                .get_mut(t)
                .expect("listed from the map")
                .backup(whole_pending);
        }
        let backups = order.clone();
        let restore = |session: &mut Self, backups: Vec<TypeId>| {
            for t in backups {
                if let Some(store) = session.stores.get_mut(&t) {
                    store.restore();
                }
            }
        };
        let mut summary = FlushSummary::default();
        for t in &order {
            let hooks = self.registry.inner.hooks.get(t);
            let store = self.stores.get_mut(t).expect("listed from the map");
            if let Err(e) = store.prepare(hooks, &mut summary) {
                restore(self, backups);
                return Err(e);
            }
        }
        for hook in &self.registry.inner.before_flush {
            if let Err(e) = hook(&summary) {
                restore(self, backups);
                return Err(e);
            }
        }
        if let Err(e) = self.begin_io().await {
            restore(self, backups);
            return Err(e);
        }
        let savepoint = match self.flush_savepoint().await {
            Ok(savepoint) => savepoint,
            Err(e) => {
                restore(self, backups);
                return Err(e);
            }
        };
        let outcome = self.write(&order).await.and_then(|()| {
            for hook in &self.registry.inner.after_flush {
                hook(&summary)?;
            }
            Ok(())
        });
        match outcome {
            Ok(()) => {
                self.end_flush_savepoint(savepoint, true).await?;
                for t in &order {
                    let hooks = self.registry.inner.hooks.get(t);
                    self.stores
                        .get_mut(t)
                        .expect("listed from the map")
                        .finish_flush(hooks);
                }
                if let Some(tx) = &mut self.transaction {
                    tx.wrote = true;
                }
                // Every link has done its work: each child holds its parent's key now.
                self.links.clear();
                Ok(())
            }
            Err(e) => {
                let _ = self.end_flush_savepoint(savepoint, false).await;
                restore(self, backups);
                Err(e)
            }
        }
    }

    /// Runs the flush's statements in order.
    async fn write(&mut self, order: &[TypeId]) -> QueryResult<()> {
        let mut post_updates: Vec<(TypeId, u32, Link)> = Vec::new();
        for t in order {
            self.sync_links(*t, &mut post_updates)?;
            let waves = self.insert_waves(*t, &mut post_updates)?;
            for (wave, copies) in waves {
                let store = self.stores.get_mut(t).expect("listed from the map");
                store.insert(self.conn, &mut self.context, &wave).await?;
                for (child, link) in copies {
                    self.copy_link(*t, child, &link)?;
                }
            }
        }
        // Post-update foreign keys: every row exists now.
        for (child_type, slot, link) in post_updates.drain(..) {
            self.copy_link(child_type, slot, &link)?;
            if let Some(store) = self.stores.get_mut(&child_type) {
                store.mark_dirty(slot, link.fk.key.columns);
            }
        }
        for t in order {
            let store = self.stores.get_mut(t).expect("listed from the map");
            store.update(self.conn).await?;
        }
        self.cascade().await?;
        for t in order.iter().rev() {
            let store = self.stores.get_mut(t).expect("listed from the map");
            store.delete(self.conn).await?;
        }
        Ok(())
    }

    /// Copies parents' keys into the foreign keys of `child_type`'s linked objects whose
    /// parents have keys; links whose parent still waits for its key are left to the insert
    /// order (same table) or to post-update.
    fn sync_links(
        &mut self,
        child_type: TypeId,
        post: &mut Vec<(TypeId, u32, Link)>,
    ) -> QueryResult<()> {
        let Some(links) = self.links.get(&child_type) else {
            return Ok(());
        };
        // In slot order: the children are visited in memory order, not the map's.
        let mut order: Vec<(u32, &Link)> = links.iter().map(|((slot, _), l)| (*slot, l)).collect();
        order.sort_unstable_by_key(|(slot, _)| *slot);
        let links: Vec<(u32, Link)> = order.into_iter().map(|(slot, l)| (slot, *l)).collect();
        // The child store is taken out of the map for the loop, so parents of other types can
        // be read while children are written; it goes back whatever happens.
        let Some(mut child) = self.stores.remove(&child_type) else {
            return Ok(());
        };
        let result = self.sync_links_into(child_type, child.as_mut(), &links, post);
        self.stores.insert(child_type, child);
        result
    }

    fn sync_links_into(
        &mut self,
        child_type: TypeId,
        child: &mut dyn StoreOps<C, M>,
        links: &[(u32, Link)],
        post: &mut Vec<(TypeId, u32, Link)>,
    ) -> QueryResult<()> {
        // Field positions per foreign key, resolved once: (key, parent fields, child fields).
        let mut positions: Vec<(usize, Vec<usize>, Vec<usize>)> = Vec::new();
        for (slot, link) in links {
            if !child.is_live(*slot, link.child_generation) {
                continue;
            }
            let post_update = self.registry.is_post_update(link.fk.key);
            if link.parent_type == child_type {
                if !child.is_live(link.parent_slot, link.parent_generation) {
                    continue;
                }
                if child.needs_key(link.parent_slot) {
                    if post_update {
                        clear_fields(child, *slot, link.fk.key.columns);
                        post.push((child_type, *slot, *link));
                    }
                    continue; // otherwise ordered by insert_waves
                }
                child.copy_fields(
                    link.parent_slot,
                    link.fk.key.foreign_columns,
                    *slot,
                    link.fk.key.columns,
                );
                continue;
            }
            let Some(parent) = self.stores.get(&link.parent_type) else {
                continue;
            };
            if !parent.is_live(link.parent_slot, link.parent_generation) {
                continue;
            }
            if parent.needs_key(link.parent_slot) {
                if post_update {
                    clear_fields(child, *slot, link.fk.key.columns);
                    post.push((child_type, *slot, *link));
                    continue;
                }
                return Err(state_error(format!(
                    "the parent of a {} row along {:?} has no key yet, and its table is flushed later: the foreign keys form a cycle; declare `Registry::post_update` on one of them",
                    link.fk.table.name, link.fk.key.columns
                )));
            }
            let id = link.fk.key as *const _ as usize;
            let found = match positions.iter().position(|(k, _, _)| *k == id) {
                Some(found) => found,
                None => {
                    positions.push((
                        id,
                        link.fk
                            .key
                            .foreign_columns
                            .iter()
                            .filter_map(|c| parent.position(c))
                            .collect(),
                        link.fk
                            .key
                            .columns
                            .iter()
                            .filter_map(|c| child.position(c))
                            .collect(),
                    ));
                    positions.len() - 1
                }
            };
            let (_, from, to) = &positions[found];
            if from.len() != link.fk.key.columns.len() || to.len() != from.len() {
                return Err(state_error(format!(
                    "the entities along {}.{:?} do not map every column of the foreign key",
                    link.fk.table.name, link.fk.key.columns
                )));
            }
            // A child already in the database whose foreign key now changes (its parent is new
            // in this flush) gets an UPDATE of it.
            if !child.is_pending_slot(*slot) {
                let differs = from.iter().zip(to.iter()).any(|(f, t)| {
                    let parent_value = parent.field_at(link.parent_slot, *f).and_then(key_value);
                    let child_value = child.field_at(*slot, *t).and_then(key_value);
                    parent_value.is_none() || parent_value != child_value
                });
                if differs {
                    child.mark_dirty(*slot, link.fk.key.columns);
                }
            }
            for (f, t) in from.iter().zip(to.iter()) {
                let Some(value) = parent.field_at(link.parent_slot, *f) else {
                    continue;
                };
                if !child.set_field_at(*slot, *t, value) {
                    return Err(state_error(format!(
                        "{}.{} cannot hold the value of {}.{}",
                        link.fk.table.name,
                        link.fk.key.columns[0],
                        link.fk.key.foreign_table,
                        link.fk.key.foreign_columns[0]
                    )));
                }
            }
        }
        Ok(())
    }

    pub(super) fn copy_link(
        &mut self,
        child_type: TypeId,
        slot: u32,
        link: &Link,
    ) -> QueryResult<()> {
        let from = link.fk.key.foreign_columns;
        let to = link.fk.key.columns;
        if link.parent_type == child_type {
            let store = self.stores.get_mut(&child_type).expect("checked");
            store.copy_fields(link.parent_slot, from, slot, to);
            return Ok(());
        }
        let mut child = self.stores.remove(&child_type).expect("checked");
        let result = (|| {
            let parent = self
                .stores
                .get(&link.parent_type)
                .ok_or_else(|| state_error("the parent's type left the session"))?;
            for (f, t) in from.iter().zip(to) {
                let value = parent.field(link.parent_slot, f).ok_or_else(|| {
                    state_error(format!(
                        "the parent has no field for {}.{f}, which {}.{t} references",
                        link.fk.key.foreign_table, link.fk.table.name
                    ))
                })?;
                if !child.set_field(slot, t, value) {
                    return Err(state_error(format!(
                        "{}.{t} cannot hold the value of {}.{f}",
                        link.fk.table.name, link.fk.key.foreign_table
                    )));
                }
            }
            Ok(())
        })();
        self.stores.insert(child_type, child);
        result
    }

    /// The pending objects of one type in insert order, each wave with the key copies to make
    /// once it is inserted: one wave when nothing orders them, otherwise parents before
    /// children along self-referential links (Kahn's algorithm).
    fn insert_waves(
        &mut self,
        t: TypeId,
        post: &mut Vec<(TypeId, u32, Link)>,
    ) -> QueryResult<Vec<Wave>> {
        let store = &self.stores[&t];
        let pending = store.pending();
        if pending.is_empty() {
            return Ok(Vec::new());
        }
        let self_links: Vec<(u32, Link)> = self
            .links
            .get(&t)
            .map(|links| {
                links
                    .iter()
                    .filter(|(_, l)| l.parent_type == t && store.needs_key(l.parent_slot))
                    .filter(|((slot, _), l)| {
                        store.is_live(*slot, l.child_generation)
                            && store.is_live(l.parent_slot, l.parent_generation)
                    })
                    .map(|((slot, _), l)| (*slot, *l))
                    .collect()
            })
            .unwrap_or_default();
        if self_links.is_empty() {
            return Ok(vec![(pending, Vec::new())]);
        }
        let mut waiting: HashMap<u32, Vec<(u32, Link)>> = HashMap::new(); // parent → children
        let mut blocked: HashMap<u32, usize> = HashMap::new();
        for (child, link) in &self_links {
            if self.registry.is_post_update(link.fk.key) {
                continue;
            }
            waiting
                .entry(link.parent_slot)
                .or_default()
                .push((*child, *link));
            *blocked.entry(*child).or_default() += 1;
        }
        let mut waves = Vec::new();
        let mut placed = 0;
        let mut ready: Vec<u32> = pending
            .iter()
            .copied()
            .filter(|s| !blocked.contains_key(s))
            .collect();
        while !ready.is_empty() {
            let mut next = Vec::new();
            let mut copies = Vec::new();
            for &slot in &ready {
                placed += 1;
                for (child, link) in waiting.get(&slot).into_iter().flatten() {
                    copies.push((*child, *link));
                    let count = blocked.get_mut(child).expect("counted above");
                    *count -= 1;
                    if *count == 0 {
                        next.push(*child);
                    }
                }
            }
            waves.push((std::mem::take(&mut ready), copies));
            ready = next;
        }
        if placed < pending.len() {
            let table = self.stores[&t].table().name;
            return Err(state_error(format!(
                "new rows of {table} reference each other in a cycle, so no insert order works: declare `Registry::post_update` on the foreign key"
            )));
        }
        for (child, link) in &self_links {
            if self.registry.is_post_update(link.fk.key) {
                let store = self.stores.get_mut(&t).expect("checked");
                clear_fields(store.as_mut(), *child, link.fk.key.columns);
                post.push((t, *child, *link));
            }
        }
        Ok(waves)
    }
}

impl<C: SessionIo<M>, M: 'static> Session<'_, C, M> {
    /// Deletes, along every foreign key whose [`Cascade`] has `DELETE`, the rows referencing
    /// the rows this flush deletes — grandchildren before children, each table in one
    /// statement per page of parents — and marks the session's objects among them as deleted.
    pub(super) async fn cascade(&mut self) -> QueryResult<()> {
        let roots: Vec<TypeId> = self
            .stores
            .iter()
            .filter(|(_, s)| s.has_deletions())
            .map(|(t, _)| *t)
            .collect();
        for root in roots {
            let table = self.stores[&root].table();
            let mut statements = Vec::new();
            let mut visited = HashSet::new();
            self.cascade_statements(table.name, &[], &mut visited, &mut statements);
            // Deepest first: a grandchild goes before the child it references.
            statements.sort_by_key(|s| std::cmp::Reverse(s.depth));
            for statement in statements {
                let store = self.stores.get_mut(&root).expect("listed from the map");
                store
                    .cascade_delete(
                        self.conn,
                        (statement.head, statement.tail),
                        statement.matched,
                        statement.referenced,
                    )
                    .await?;
            }
            self.mark_cascaded(root, &mut HashSet::new());
        }
        Ok(())
    }

    /// The cascade DELETEs below `table`; `chain` is the path of foreign keys from the root's
    /// children down to `table` (empty at the root).
    fn cascade_statements(
        &self,
        table: &'static str,
        chain: &[super::registry::ForeignKeyRef],
        visited: &mut HashSet<usize>,
        out: &mut Vec<CascadeStatement>,
    ) {
        for (fk, cascade) in self.registry.referencing(table) {
            let id = fk.key as *const _ as usize;
            if !visited.insert(id) || cascade.contains(Cascade::PASSIVE_DELETES) {
                continue;
            }
            let mut path = chain.to_vec();
            path.push(fk);
            out.push(CascadeStatement::new::<C::Backend>(&path));
            self.cascade_statements(fk.table.name, &path, visited, out);
        }
    }

    /// Marks the session's objects that a cascade from `parent_type`'s deleted objects
    /// reaches (passive or not).
    fn mark_cascaded(&mut self, parent_type: TypeId, visited: &mut HashSet<usize>) {
        let table = self.stores[&parent_type].table().name;
        for (fk, _) in self.registry.referencing(table) {
            let id = fk.key as *const _ as usize;
            if !visited.insert(id) {
                continue;
            }
            let keys: HashSet<Vec<super::entity::KeyValue>> = self.stores[&parent_type]
                .deleted_values(fk.key.foreign_columns)
                .into_iter()
                .collect();
            if keys.is_empty() {
                continue;
            }
            let children: Vec<TypeId> = self
                .stores
                .iter()
                .filter(|(_, s)| {
                    std::ptr::eq(s.table(), fk.table) || s.table().name == fk.table.name
                })
                .map(|(t, _)| *t)
                .collect();
            for child in children {
                let store = self.stores.get_mut(&child).expect("listed from the map");
                if store.mark_cascaded(fk.key.columns, &keys) > 0 {
                    self.mark_cascaded(child, visited);
                }
            }
        }
    }
}

/// One cascade DELETE: the SQL around the parent-key condition.
struct CascadeStatement {
    depth: usize,
    head: String,
    tail: String,
    /// The columns of the first table below the root, matched to the root's values.
    matched: &'static [&'static str],
    /// The root's columns those reference.
    referenced: &'static [&'static str],
}

impl CascadeStatement {
    /// `DELETE FROM last WHERE (fk) IN (SELECT ref FROM previous WHERE … (first.fk = ?) …)`
    /// for the foreign keys of `path`, root first.
    fn new<DB: crate::backend::Backend>(path: &[super::registry::ForeignKeyRef]) -> Self {
        let mut head = crate::backend::SqlWriter::<DB>::new();
        let last = path.last().expect("a path has a key");
        head.push_sql("DELETE FROM ");
        head.push_table(last.table);
        head.push_sql(" WHERE ");
        let mut tail = String::new();
        // From the deepest key up to the root's children.
        for pair in path.windows(2).rev() {
            let (upper, lower) = (pair[0], pair[1]);
            push_row::<DB>(&mut head, lower.key.columns);
            head.push_sql(" IN (SELECT ");
            for (i, c) in lower.key.foreign_columns.iter().enumerate() {
                if i > 0 {
                    head.push_sql(", ");
                }
                head.push_identifier(c);
            }
            head.push_sql(" FROM ");
            head.push_table(upper.table);
            head.push_sql(" WHERE ");
            tail.push(')');
        }
        let first = path[0];
        CascadeStatement {
            depth: path.len(),
            head: head.finish(),
            tail,
            matched: first.key.columns,
            referenced: first.key.foreign_columns,
        }
    }
}

fn push_row<DB: crate::backend::Backend>(
    out: &mut crate::backend::SqlWriter<DB>,
    columns: &[&str],
) {
    if columns.len() > 1 {
        out.push_sql("(");
    }
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_identifier(c);
    }
    if columns.len() > 1 {
        out.push_sql(")");
    }
}
