//! The unit of work: what one table's objects need written at flush, and the statements that
//! write them — batched INSERTs whose generated keys come back, UPDATEs grouped by the set of
//! changed columns, DELETEs by key, cascades — behind [`StoreOps`], so the flush
//! ([`super::Session::flush`]) can walk every type's store in foreign-key order.

use std::any::Any;
use std::collections::{HashMap, HashSet};

use crate::backend::{Backend, BatchUpdate, GeneratedKeys};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::schema::{Table, TableDescription};

use super::entity::{Entity, EntityRow, KeyValue, SqlNull, integer_of, key_value, with_integer};
use super::io::{IoFuture, SessionIo};
use super::registry::{EntityHooks, FlushSummary};
use super::statements::{
    CascadeDelete, DeleteRows, GeneratedKey, InsertRows, LargestKey, UpdateRows, fields_of,
};
use super::store::{ObjectState, Store, Undo};

/// Rows per INSERT / UPDATE / DELETE statement at most (SQLAlchemy's page size), fewer when
/// the backend's parameter limit says so.
const MAX_ROWS_PER_STATEMENT: usize = 1000;

/// What the flush keeps between stores: MySQL's key step, read once per session.
#[derive(Debug, Default)]
pub(crate) struct FlushContext {
    pub auto_increment_step: Option<u64>,
}

/// One type's store as the flush and the session's type-erased paths see it.
pub(crate) trait StoreOps<C: SessionIo<M>, M>: Send {
    fn table(&self) -> &'static TableDescription;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    /// Whether the next flush writes anything for this store.
    fn has_work(&self) -> bool;
    /// Whether objects are marked for deletion.
    fn has_deletions(&self) -> bool;
    /// Runs the before-hooks, finds each touched object's changed fields and adds the counts
    /// to `summary`.
    fn prepare(
        &mut self,
        hooks: Option<&EntityHooks>,
        summary: &mut FlushSummary,
    ) -> QueryResult<()>;
    /// Starts the flush's undo log: copies of the changed and deleted objects (and of the new
    /// ones when `whole_pending`, because before-insert hooks may change anything); new
    /// objects otherwise log only the fields the flush sets (keys, foreign keys).
    fn backup(&mut self, whole_pending: bool);
    /// Puts back what the undo log holds, after a failed flush.
    fn restore(&mut self);
    /// The whole store, for a savepoint ([`super::Session::begin_nested`]).
    fn checkpoint(&self) -> Box<dyn Any + Send>;
    /// Puts back a [`StoreOps::checkpoint`].
    fn restore_checkpoint(&mut self, checkpoint: Box<dyn Any + Send>);
    fn field(&self, slot: u32, column: &str) -> Option<&dyn Any>;
    /// The position of the field mapped to `column`.
    fn position(&self, column: &str) -> Option<usize>;
    fn field_at(&self, slot: u32, index: usize) -> Option<&dyn Any>;
    fn set_field_at(&mut self, slot: u32, index: usize, value: &dyn Any) -> bool;
    fn set_field(&mut self, slot: u32, column: &str, value: &dyn Any) -> bool;
    /// Copies `from`'s `from_columns` into `to`'s `to_columns` (a self-referential link).
    fn copy_fields(&mut self, from: u32, from_columns: &[&str], to: u32, to_columns: &[&str]);
    fn is_live(&self, slot: u32, generation: u32) -> bool;
    /// Whether the slot holds a new object (not yet inserted).
    fn is_pending_slot(&self, slot: u32) -> bool;
    fn pending(&self) -> Vec<u32>;
    /// Whether the slot's key is still for the database to generate.
    fn needs_key(&self, slot: u32) -> bool;
    /// Marks fields (by column) of a slot to be written by the next UPDATE pass.
    fn mark_dirty(&mut self, slot: u32, columns: &[&str]);
    fn insert<'a>(
        &'a mut self,
        conn: &'a mut C,
        ctx: &'a mut FlushContext,
        slots: &'a [u32],
    ) -> IoFuture<'a, ()>;
    fn update<'a>(&'a mut self, conn: &'a mut C) -> IoFuture<'a, ()>;
    fn delete<'a>(&'a mut self, conn: &'a mut C) -> IoFuture<'a, ()>;
    /// Runs a cascade DELETE bound with the marked-for-deletion rows' `referenced` columns.
    fn cascade_delete<'a>(
        &'a mut self,
        conn: &'a mut C,
        sql: (String, String),
        matched: &'static [&'static str],
        referenced: &'static [&'static str],
    ) -> IoFuture<'a, ()>;
    /// The values of `columns` of the rows marked for deletion (or removed by a cascade).
    fn deleted_values(&self, columns: &[&str]) -> Vec<Vec<KeyValue>>;
    /// Marks as removed-by-cascade the objects whose `columns` hold one of `keys`; returns how
    /// many it marked.
    fn mark_cascaded(&mut self, columns: &[&str], keys: &HashSet<Vec<KeyValue>>) -> usize;
    /// After every statement succeeded: states advance, the identity map learns new keys,
    /// after-hooks run.
    fn finish_flush(&mut self, hooks: Option<&EntityHooks>);
    fn commit(&mut self);
    /// Back to the transaction's start: objects new in it leave the session, the others get
    /// their values back. Returns the slots that left.
    fn rollback(&mut self) -> Vec<u32>;
}

/// How many rows of `width` bound values one statement carries on `DB`.
fn rows_per_statement<DB: Backend>(width: usize) -> usize {
    let limit = DB::MAX_BIND_PARAMETERS - DB::MAX_BIND_PARAMETERS / 10;
    (limit / width.max(1)).clamp(1, MAX_ROWS_PER_STATEMENT)
}

/// Says which statement of the flush failed and for which objects.
fn failed(e: Error, what: &str, table: &str, keys: String) -> Error {
    let message = format!(
        "flush failed at the {what} of {table} ({keys}): {}; the flush was rolled back",
        e.message()
    );
    let kind = e.kind();
    e.context(kind, message)
}

fn describe_keys<T: Entity>(rows: &[&T]) -> String {
    let shown: Vec<String> = rows
        .iter()
        .take(3)
        .map(|r| format!("{:?}", r.primary_key()))
        .collect();
    let more = rows.len().saturating_sub(3);
    let mut text = format!(
        "{} {} with key {}",
        rows.len(),
        short_name::<T>(),
        shown.join(", ")
    );
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

pub(crate) fn short_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

/// The generated key's field, when the table's key is one auto-increment column.
pub(crate) fn generated_key_field<T: Entity>() -> Option<usize> {
    let [field] = T::KEY_FIELDS else { return None };
    let column = <T::Table as Table>::DESCRIPTION.column(T::COLUMN_NAMES[*field])?;
    column.auto_increment.then_some(*field)
}

/// The version field, when the table has a `#[version]` column.
pub(crate) fn version_field<T: Entity>() -> Option<usize> {
    let column = <T::Table as Table>::DESCRIPTION.version_column()?;
    Store::<T>::field_index(column.name)
}

/// The fields mapped to generated columns (`#[generated = "…"]`): never written, and expired
/// after a flush that writes their row, since only the database knows their new value.
pub(crate) fn computed_fields<T: Entity>() -> u64 {
    let table = <T::Table as Table>::DESCRIPTION;
    T::COLUMN_NAMES
        .iter()
        .enumerate()
        .filter(|(_, name)| {
            table
                .column(name)
                .is_some_and(|column| column.generated.is_some())
        })
        .fold(0, |mask, (field, _)| mask | (1u64 << field))
}

fn all_fields<T: Entity>() -> u64 {
    if T::COLUMNS >= 64 {
        u64::MAX
    } else {
        (1u64 << T::COLUMNS) - 1
    }
}

impl<T: Entity> Store<T> {
    fn value(&self, slot: u32) -> &T {
        self.slots[slot as usize]
            .value
            .as_ref()
            .expect("the flush only visits live slots")
    }

    fn value_mut(&mut self, slot: u32) -> &mut T {
        self.slots[slot as usize]
            .value
            .as_mut()
            .expect("the flush only visits live slots")
    }

    fn needs_generated_key(&self, slot: u32) -> bool {
        self.generated_key
            .is_some_and(|f| self.value(slot).field_any(f).and_then(integer_of) == Some(0))
    }

    /// Sets an integer field during a flush, logging its old value for a failed flush.
    fn set_integer(&mut self, slot: u32, field: usize, value: i64) -> QueryResult<()> {
        self.log_field(slot, field);
        self.set_integer_raw(slot, field, value)
    }

    /// Sets a generated key, which was 0 before (that is how the flush knew to generate it).
    fn set_generated_key(&mut self, slot: u32, field: usize, value: i64) -> QueryResult<()> {
        if !self.slots[slot as usize].saved {
            self.undo
                .push((slot, Undo::Value(field, KeyValue::Integer(0))));
        }
        self.set_integer_raw(slot, field, value)
    }

    /// Keeps what `field` of `slot` holds before the flush changes it: the value alone when it
    /// is an integer or text, else (or NULL) a copy of the whole object.
    fn log_field(&mut self, slot: u32, field: usize) {
        let row = &self.slots[slot as usize];
        if row.saved {
            return;
        }
        let old = row
            .value
            .as_ref()
            .and_then(|v| v.field_any(field))
            .and_then(key_value);
        match old {
            Some(value) => self.undo.push((slot, Undo::Value(field, value))),
            None => self.save_whole(slot),
        }
    }

    fn save_whole(&mut self, slot: u32) {
        let row = &mut self.slots[slot as usize];
        if row.saved {
            return;
        }
        if let Some(value) = row.value.clone() {
            row.saved = true;
            self.undo.push((slot, Undo::Row(value)));
        }
    }

    fn set_integer_raw(&mut self, slot: u32, field: usize, value: i64) -> QueryResult<()> {
        let target = T::field_type(field);
        let set = target.is_some_and(|target| {
            let row = self.slots[slot as usize]
                .value
                .as_mut()
                .expect("the flush only visits live slots");
            with_integer(value, target, |v| row.set_field(field, v))
        });
        if set {
            return Ok(());
        }
        Err(Error::new(
            ErrorKind::Deserialization,
            format!(
                "the value {value} for {}.{} does not fit its field",
                short_name::<T>(),
                T::COLUMN_NAMES[field]
            ),
        ))
    }

    fn run_hooks(
        &mut self,
        slots: &[u32],
        hooks: &[super::registry::BeforeHook],
    ) -> QueryResult<()> {
        for &slot in slots {
            for hook in hooks {
                hook(self.value_mut(slot) as &mut dyn Any)?;
            }
        }
        Ok(())
    }
}

/// The flush's statements for one table, written once for blocking and async connections
/// (see [`super::io`]).
impl<T: Entity> Store<T> {
    async fn insert_rows<C: SessionIo<M>, M>(
        &mut self,
        conn: &mut C,
        ctx: &mut FlushContext,
        slots: &[u32],
    ) -> QueryResult<()>
    where
        T: EntityRow<C::Backend>,
    {
        let table = <T::Table as Table>::DESCRIPTION;
        let (generated, given): (Vec<u32>, Vec<u32>) =
            slots.iter().partition(|&&s| self.needs_generated_key(s));
        let all = all_fields::<T>() & !computed_fields::<T>();
        let key_field = self.generated_key;
        // Rows that carry their key: one multi-row INSERT per page.
        for page in given.chunks(rows_per_statement::<C::Backend>(T::COLUMNS)) {
            let rows: Vec<&T> = page.iter().map(|&s| self.value(s)).collect();
            let statement = InsertRows {
                table,
                fields: all,
                rows: &rows,
                returning: None,
            };
            conn.execute(&statement)
                .await
                .map_err(|e| failed(e, "INSERT", table.name, describe_keys(&rows)))?;
        }
        let Some(key) = key_field else {
            return Ok(());
        };
        let fields = all & !(1u64 << key);
        let width = fields_of(fields).count();
        // An INSERT that names no column inserts one row (`DEFAULT VALUES`).
        let page_size = if width == 0 {
            1
        } else {
            rows_per_statement::<C::Backend>(width)
        };
        for page in generated.chunks(page_size) {
            let rows: Vec<&T> = page.iter().map(|&s| self.value(s)).collect();
            let described = || describe_keys(&rows);
            let keys: Vec<i64> = match <C::Backend as Backend>::GENERATED_KEYS {
                GeneratedKeys::ReturnedRows => {
                    let statement = InsertRows {
                        table,
                        fields,
                        rows: &rows,
                        returning: Some(key),
                    };
                    let returned: Vec<GeneratedKey> = conn
                        .load(&statement)
                        .await
                        .map_err(|e| failed(e, "INSERT", table.name, described()))?;
                    let mut keys: Vec<i64> = returned.into_iter().filter_map(|k| k.0).collect();
                    // Keys are generated in VALUES order and increase within the statement;
                    // RETURNING's own order is not promised, so sort.
                    keys.sort_unstable();
                    keys
                }
                GeneratedKeys::AboveMax => {
                    let largest = LargestKey::<T> {
                        table,
                        key,
                        _entity: std::marker::PhantomData,
                    };
                    let before: Vec<GeneratedKey> = conn.load(&largest).await?;
                    let floor = before.first().and_then(|k| k.0).unwrap_or(0);
                    let statement = InsertRows {
                        table,
                        fields,
                        rows: &rows,
                        returning: None,
                    };
                    conn.execute(&statement)
                        .await
                        .map_err(|e| failed(e, "INSERT", table.name, described()))?;
                    let n = rows.len() as i64;
                    let last = conn.last_insert_rowid();
                    if last != Some(floor + n) {
                        return Err(failed(
                            Error::new(
                                ErrorKind::Other,
                                format!(
                                    "{n} rows were inserted above key {floor}, but the last one got key {last:?}, not {}: something else inserted into the table (a trigger?), or its key is not the rowid, so the new keys are unknown",
                                    floor + n
                                ),
                            ),
                            "INSERT",
                            table.name,
                            described(),
                        ));
                    }
                    (1..=n).map(|i| floor + i).collect()
                }
                GeneratedKeys::FirstInsertId => {
                    let statement = InsertRows {
                        table,
                        fields,
                        rows: &rows,
                        returning: None,
                    };
                    conn.execute(&statement)
                        .await
                        .map_err(|e| failed(e, "INSERT", table.name, described()))?;
                    let first = conn.last_insert_id().ok_or_else(|| {
                        Error::new(
                            ErrorKind::Other,
                            format!("the server reported no generated key for {}", table.name),
                        )
                    })?;
                    let step = match ctx.auto_increment_step {
                        Some(step) => step,
                        None => {
                            let step = conn.auto_increment_step().await?;
                            ctx.auto_increment_step = Some(step);
                            step
                        }
                    };
                    (0..rows.len() as u64)
                        .map(|i| i64::try_from(first + i * step).unwrap_or(i64::MAX))
                        .collect()
                }
            };
            if keys.len() != page.len() {
                return Err(failed(
                    Error::new(
                        ErrorKind::Other,
                        format!("{} keys came back for {} rows", keys.len(), page.len()),
                    ),
                    "INSERT",
                    table.name,
                    described(),
                ));
            }
            for (&slot, value) in page.iter().zip(keys) {
                self.set_generated_key(slot, key, value)?;
            }
        }
        Ok(())
    }

    async fn update_rows<C: SessionIo<M>, M>(&mut self, conn: &mut C) -> QueryResult<()>
    where
        T: EntityRow<C::Backend>,
    {
        let table = <T::Table as Table>::DESCRIPTION;
        let version = self.version;
        let mut groups: HashMap<u64, Vec<u32>> = HashMap::new();
        for &s in &self.touched {
            let slot = &self.slots[s as usize];
            // Pending rows here carry a post-update foreign key, inserted a moment ago.
            let written = matches!(slot.state, ObjectState::Persistent | ObjectState::Pending);
            if slot.dirty != 0 && written && !slot.cascaded {
                groups.entry(slot.dirty).or_default().push(s);
            }
        }
        let mut groups: Vec<(u64, Vec<u32>)> = groups.into_iter().collect();
        groups.sort_by_key(|(mask, _)| *mask);
        for (mask, slots) in groups {
            let width =
                T::KEY_FIELDS.len() + fields_of(mask).count() + usize::from(version.is_some());
            let page_size = match <C::Backend as Backend>::BATCH_UPDATE {
                BatchUpdate::RowByRow => 1,
                _ => rows_per_statement::<C::Backend>(width),
            };
            for page in slots.chunks(page_size) {
                let rows: Vec<&T> = page.iter().map(|&s| self.value(s)).collect();
                let originals: Vec<&T> = page
                    .iter()
                    .map(|&s| {
                        let slot = &self.slots[s as usize];
                        slot.original.as_deref().unwrap_or_else(|| self.value(s))
                    })
                    .collect();
                let statement = UpdateRows {
                    table,
                    fields: mask,
                    rows: &rows,
                    version: version.map(|f| (f, originals.as_slice())),
                };
                let matched = conn
                    .execute(&statement)
                    .await
                    .map_err(|e| failed(e, "UPDATE", table.name, describe_keys(&rows)))?;
                if matched != rows.len() {
                    return Err(stale("UPDATE", table.name, matched, &rows));
                }
            }
            if let Some(f) = version {
                for &s in &slots {
                    let old = self.slots[s as usize]
                        .original
                        .as_ref()
                        .and_then(|o| o.field_any(f))
                        .and_then(integer_of);
                    if let Some(old) = old {
                        self.set_integer(s, f, old + 1)?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn delete_rows<C: SessionIo<M>, M>(&mut self, conn: &mut C) -> QueryResult<()>
    where
        T: EntityRow<C::Backend>,
    {
        let table = <T::Table as Table>::DESCRIPTION;
        let version = self.version;
        let slots: Vec<u32> = self
            .deleted
            .iter()
            .copied()
            .filter(|&s| !self.slots[s as usize].cascaded)
            .collect();
        let width = T::KEY_FIELDS.len() + usize::from(version.is_some());
        for page in slots.chunks(rows_per_statement::<C::Backend>(width)) {
            let rows: Vec<&T> = page
                .iter()
                .map(|&s| {
                    let slot = &self.slots[s as usize];
                    slot.original.as_deref().unwrap_or_else(|| self.value(s))
                })
                .collect();
            let statement = DeleteRows {
                table,
                rows: &rows,
                version,
            };
            let deleted = conn
                .execute(&statement)
                .await
                .map_err(|e| failed(e, "DELETE", table.name, describe_keys(&rows)))?;
            if version.is_some() && deleted != rows.len() {
                return Err(stale("DELETE", table.name, deleted, &rows));
            }
        }
        Ok(())
    }

    async fn cascade_delete_rows<C: SessionIo<M>, M>(
        &mut self,
        conn: &mut C,
        sql: (String, String),
        matched: &'static [&'static str],
        referenced: &'static [&'static str],
    ) -> QueryResult<()>
    where
        T: EntityRow<C::Backend>,
    {
        let fields: Option<Vec<usize>> = referenced.iter().map(|c| Self::field_index(c)).collect();
        let Some(fields) = fields else {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "{} has no field for the referenced columns {referenced:?}, so its cascade cannot be written",
                    short_name::<T>()
                ),
            ));
        };
        let parents: Vec<u32> = self.deleted.clone();
        let width = fields.len();
        for page in parents.chunks(rows_per_statement::<C::Backend>(width)) {
            let rows: Vec<&T> = page.iter().map(|&s| self.value(s)).collect();
            let statement = CascadeDelete {
                sql_head: sql.0.clone(),
                sql_tail: sql.1.clone(),
                matched_columns: matched,
                parents: &rows,
                referenced_fields: &fields,
            };
            conn.execute(&statement)
                .await
                .map_err(|e| failed(e, "cascade DELETE", &sql.0, describe_keys(&rows)))?;
        }
        Ok(())
    }
}

impl<C, M, T> StoreOps<C, M> for Store<T>
where
    C: SessionIo<M>,
    M: 'static,
    T: EntityRow<C::Backend>,
{
    fn table(&self) -> &'static TableDescription {
        <T::Table as Table>::DESCRIPTION
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn has_work(&self) -> bool {
        !self.pending.is_empty()
            || !self.deleted.is_empty()
            || self.touched.iter().any(|&s| {
                let slot = &self.slots[s as usize];
                slot.dirty != 0
                    || match (&slot.value, &slot.original) {
                        (Some(v), Some(o)) => v.changed_fields(o) != 0,
                        _ => false,
                    }
            })
    }

    fn has_deletions(&self) -> bool {
        !self.deleted.is_empty()
    }

    fn prepare(
        &mut self,
        hooks: Option<&EntityHooks>,
        summary: &mut FlushSummary,
    ) -> QueryResult<()> {
        let table = <T::Table as Table>::DESCRIPTION.name;
        let version = self.version;
        if let Some(hooks) = hooks {
            let pending = self.pending.clone();
            self.run_hooks(&pending, &hooks.before_insert)?;
            let deleted = self.deleted.clone();
            self.run_hooks(&deleted, &hooks.before_delete)?;
        }
        let mut changed = Vec::new();
        for &s in &self.touched {
            let slot = &self.slots[s as usize];
            if let (Some(v), Some(o), ObjectState::Persistent) =
                (&slot.value, &slot.original, slot.state)
                && v.changed_fields(o) != 0
            {
                changed.push(s);
            }
        }
        if let Some(hooks) = hooks {
            self.run_hooks(&changed, &hooks.before_update)?;
        }
        let mut updates = 0;
        let computed = computed_fields::<T>();
        for &s in &self.touched {
            let slot = &mut self.slots[s as usize];
            if slot.state != ObjectState::Persistent {
                continue;
            }
            if let (Some(v), Some(o)) = (&slot.value, &slot.original) {
                let mut mask = v.changed_fields(o) | slot.dirty;
                if let Some(f) = version {
                    mask &= !(1u64 << f);
                }
                if let Some(field) = fields_of(mask & computed).next() {
                    return Err(Error::new(
                        ErrorKind::InvalidQuery,
                        format!(
                            "{} {:?} changes `{}`, a generated column of {table}: the database \
                             computes it; change the columns it is computed from",
                            short_name::<T>(),
                            v.primary_key(),
                            T::COLUMN_NAMES[field]
                        ),
                    ));
                }
                slot.dirty = mask;
                if mask != 0 {
                    updates += 1;
                }
            }
        }
        if !self.pending.is_empty() {
            summary.inserts.push((table, self.pending.len()));
        }
        if updates > 0 {
            summary.updates.push((table, updates));
        }
        if !self.deleted.is_empty() {
            summary.deletes.push((table, self.deleted.len()));
        }
        Ok(())
    }

    fn backup(&mut self, whole_pending: bool) {
        self.undo.clear();
        let mut slots: Vec<u32> = self.touched.iter().chain(&self.deleted).copied().collect();
        if whole_pending {
            slots.extend(&self.pending);
        }
        for s in slots {
            self.save_whole(s);
        }
    }

    fn restore(&mut self) {
        while let Some((s, entry)) = self.undo.pop() {
            match entry {
                Undo::Row(value) => self.slots[s as usize].value = Some(value),
                Undo::Value(field, KeyValue::Integer(value)) => {
                    let _ = self.set_integer_raw(s, field, value);
                }
                Undo::Value(field, KeyValue::Text(text)) => {
                    if let Some(v) = self.slots[s as usize].value.as_mut() {
                        v.set_field(field, &text);
                    }
                }
            }
        }
        for slot in &mut self.slots {
            slot.dirty = 0;
            slot.cascaded = false;
            slot.saved = false;
        }
    }

    fn checkpoint(&self) -> Box<dyn Any + Send> {
        Box::new(self.clone())
    }

    fn restore_checkpoint(&mut self, checkpoint: Box<dyn Any + Send>) {
        if let Ok(store) = checkpoint.downcast::<Store<T>>() {
            *self = *store;
        }
    }

    fn field(&self, slot: u32, column: &str) -> Option<&dyn Any> {
        let index = Self::field_index(column)?;
        self.slots
            .get(slot as usize)?
            .value
            .as_ref()?
            .field_any(index)
    }

    fn position(&self, column: &str) -> Option<usize> {
        Self::field_index(column)
    }

    fn field_at(&self, slot: u32, index: usize) -> Option<&dyn Any> {
        self.slots
            .get(slot as usize)?
            .value
            .as_ref()?
            .field_any(index)
    }

    fn set_field_at(&mut self, slot: u32, index: usize, value: &dyn Any) -> bool {
        if self
            .slots
            .get(slot as usize)
            .and_then(|s| s.value.as_ref())
            .is_none()
        {
            return false;
        }
        self.log_field(slot, index);
        self.value_mut(slot).set_field(index, value)
    }

    fn set_field(&mut self, slot: u32, column: &str, value: &dyn Any) -> bool {
        match Self::field_index(column) {
            Some(index) => <Self as StoreOps<C, M>>::set_field_at(self, slot, index, value),
            None => false,
        }
    }

    fn copy_fields(&mut self, from: u32, from_columns: &[&str], to: u32, to_columns: &[&str]) {
        let Some(source) = self.slots[from as usize].value.clone() else {
            return;
        };
        for (f, t) in from_columns.iter().zip(to_columns) {
            if let Some(value) = Self::field_index(f).and_then(|i| source.field_any(i)) {
                <Self as StoreOps<C, M>>::set_field(self, to, t, value);
            }
        }
    }

    fn is_pending_slot(&self, slot: u32) -> bool {
        self.slots[slot as usize].state == ObjectState::Pending
    }

    fn is_live(&self, slot: u32, generation: u32) -> bool {
        self.slots
            .get(slot as usize)
            .is_some_and(|s| s.generation == generation && s.value.is_some())
    }

    fn pending(&self) -> Vec<u32> {
        self.pending.clone()
    }

    fn needs_key(&self, slot: u32) -> bool {
        self.slots[slot as usize].state == ObjectState::Pending && self.needs_generated_key(slot)
    }

    fn mark_dirty(&mut self, slot: u32, columns: &[&str]) {
        for column in columns {
            if let Some(i) = Self::field_index(column) {
                self.slots[slot as usize].dirty |= 1u64 << i;
            }
        }
        if !self.touched.contains(&slot) {
            self.touched.push(slot);
        }
        let s = &mut self.slots[slot as usize];
        if s.original.is_none() {
            s.original = s.value.clone().map(Box::new);
        }
    }

    fn insert<'a>(
        &'a mut self,
        conn: &'a mut C,
        ctx: &'a mut FlushContext,
        slots: &'a [u32],
    ) -> IoFuture<'a, ()> {
        Box::pin(self.insert_rows(conn, ctx, slots))
    }

    fn update<'a>(&'a mut self, conn: &'a mut C) -> IoFuture<'a, ()> {
        Box::pin(self.update_rows(conn))
    }

    fn delete<'a>(&'a mut self, conn: &'a mut C) -> IoFuture<'a, ()> {
        Box::pin(self.delete_rows(conn))
    }

    fn cascade_delete<'a>(
        &'a mut self,
        conn: &'a mut C,
        sql: (String, String),
        matched: &'static [&'static str],
        referenced: &'static [&'static str],
    ) -> IoFuture<'a, ()> {
        Box::pin(self.cascade_delete_rows(conn, sql, matched, referenced))
    }
    fn deleted_values(&self, columns: &[&str]) -> Vec<Vec<KeyValue>> {
        let fields: Option<Vec<usize>> = columns.iter().map(|c| Self::field_index(c)).collect();
        let Some(fields) = fields else {
            return Vec::new();
        };
        self.slots
            .iter()
            .filter(|s| s.value.is_some() && (s.state == ObjectState::Deleted || s.cascaded))
            .filter_map(|s| {
                let v = s.value.as_ref()?;
                fields
                    .iter()
                    .map(|&f| v.field_any(f).and_then(key_value))
                    .collect()
            })
            .collect()
    }

    fn mark_cascaded(&mut self, columns: &[&str], keys: &HashSet<Vec<KeyValue>>) -> usize {
        let fields: Option<Vec<usize>> = columns.iter().map(|c| Self::field_index(c)).collect();
        let Some(fields) = fields else {
            return 0;
        };
        let mut marked = 0;
        for index in 0..self.slots.len() {
            let slot = &self.slots[index];
            let Some(v) = &slot.value else { continue };
            if slot.cascaded
                || !matches!(slot.state, ObjectState::Persistent | ObjectState::Deleted)
            {
                continue;
            }
            let values: Option<Vec<KeyValue>> = fields
                .iter()
                .map(|&f| v.field_any(f).and_then(key_value))
                .collect();
            if values.is_some_and(|vals| keys.contains(&vals)) {
                self.remember_committed(index as u32);
                let slot = &mut self.slots[index];
                slot.cascaded = true;
                marked += 1;
            }
        }
        marked
    }

    fn finish_flush(&mut self, hooks: Option<&EntityHooks>) {
        for (s, _) in std::mem::take(&mut self.undo) {
            self.slots[s as usize].saved = false;
        }
        let pending = std::mem::take(&mut self.pending);
        self.identity.reserve(pending.len());
        for &s in &pending {
            let slot = &mut self.slots[s as usize];
            if slot.state != ObjectState::Pending || slot.value.is_none() {
                continue;
            }
            slot.state = ObjectState::Persistent;
            slot.original = None;
            slot.dirty = 0;
            let pk = slot.value.as_ref().map(Entity::primary_key);
            if let Some(pk) = pk {
                self.identity.insert(pk, s);
            }
        }
        let touched = std::mem::take(&mut self.touched);
        let mut updated = Vec::new();
        for &s in &touched {
            let slot = &mut self.slots[s as usize];
            if slot.dirty != 0 && slot.state == ObjectState::Persistent && !slot.cascaded {
                updated.push(s);
            }
            slot.original = None;
            slot.dirty = 0;
        }
        let mut removed = std::mem::take(&mut self.deleted);
        for (index, slot) in self.slots.iter().enumerate() {
            if slot.cascaded && slot.state != ObjectState::Deleted {
                removed.push(index as u32);
            }
        }
        for &s in &removed {
            let slot = &mut self.slots[s as usize];
            slot.state = ObjectState::Flushed;
            slot.cascaded = false;
            if let Some(pk) = slot.value.as_ref().map(Entity::primary_key)
                && self.identity.get(&pk) == Some(&s)
            {
                self.identity.remove(&pk);
            }
            self.list(s);
        }
        // Generated columns changed with the row, and only the database knows how: reading
        // such an object is refused until `refresh` reloads it (SQLAlchemy expires them too).
        if computed_fields::<T>() != 0 {
            for &s in pending.iter().chain(&updated) {
                self.expire(s);
            }
        }
        if let Some(hooks) = hooks {
            let each = |slots: &[u32], list: &[super::registry::AfterHook]| {
                for &s in slots {
                    if let Some(v) = &self.slots[s as usize].value {
                        for hook in list {
                            hook(v as &dyn Any);
                        }
                    }
                }
            };
            each(&pending, &hooks.after_insert);
            each(&updated, &hooks.after_update);
            each(&removed, &hooks.after_delete);
        }
    }

    fn commit(&mut self) {
        let changed = std::mem::take(&mut self.changed);
        for s in changed {
            let slot = &mut self.slots[s as usize];
            slot.listed = false;
            slot.committed = None;
            match slot.state {
                ObjectState::Flushed => self.vacate(s),
                ObjectState::Persistent => slot.in_database = true,
                _ => {}
            }
        }
    }

    fn rollback(&mut self) -> Vec<u32> {
        let changed = std::mem::take(&mut self.changed);
        let mut left = Vec::new();
        self.pending.clear();
        self.touched.clear();
        self.deleted.clear();
        for s in changed {
            let slot = &mut self.slots[s as usize];
            slot.listed = false;
            if slot.value.is_none() {
                continue;
            }
            if !slot.in_database {
                // New in this transaction: it leaves the session, as in SQLAlchemy.
                if let Some(pk) = slot.value.as_ref().map(Entity::primary_key)
                    && self.identity.get(&pk) == Some(&s)
                {
                    self.identity.remove(&pk);
                }
                slot.state = ObjectState::Pending;
                self.vacate(s);
                left.push(s);
                continue;
            }
            if let Some(committed) = slot.committed.take() {
                slot.value = Some(*committed);
            }
            slot.state = ObjectState::Persistent;
            slot.original = None;
            slot.dirty = 0;
            slot.cascaded = false;
            if let Some(pk) = slot.value.as_ref().map(Entity::primary_key) {
                self.identity.insert(pk, s);
            }
        }
        // Objects touched but not yet changed in the transaction keep their values.
        for slot in &mut self.slots {
            slot.original = None;
            slot.dirty = 0;
        }
        left
    }
}

fn stale<T: Entity>(what: &str, table: &str, matched: usize, rows: &[&T]) -> Error {
    Error::new(
        ErrorKind::StaleData,
        format!(
            "{what} of {table} expected to match {} row(s) but matched {matched} ({}): another transaction changed or deleted them since they were loaded; the flush was rolled back",
            rows.len(),
            describe_keys(rows)
        ),
    )
}

/// Clears `columns` of an object (post-update: written in a second step).
pub(crate) fn clear_fields<C: SessionIo<M>, M: 'static>(
    store: &mut dyn StoreOps<C, M>,
    slot: u32,
    columns: &[&str],
) {
    for column in columns {
        store.set_field(slot, column, &SqlNull);
    }
}
