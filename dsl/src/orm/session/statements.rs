//! The statements a flush runs, written from an entity's field list rather than built from
//! typed columns: which columns an UPDATE sets is known only at run time (the changed ones).
//! Each one's SQL depends on its type and a few counts ([`QueryFragment::sql_shape`]), so a
//! connection renders and prepares it once per shape, like any philtre statement.

use std::marker::PhantomData;

use crate::backend::{Backend, BatchUpdate, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{QueryFragment, SqlShape};
use crate::query::Query;
use crate::schema::TableDescription;
use crate::types::FromSqlRow;

use super::entity::EntityRow;

/// The positions of the bits set in `mask`, lowest first.
pub(crate) fn fields_of(mask: u64) -> impl Iterator<Item = usize> {
    let mut rest = mask;
    std::iter::from_fn(move || {
        if rest == 0 {
            return None;
        }
        let bit = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        Some(bit)
    })
}

fn push_list<DB: Backend>(out: &mut SqlWriter<DB>, names: impl Iterator<Item = &'static str>) {
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_identifier(name);
    }
}

fn push_placeholders<DB: Backend>(out: &mut SqlWriter<DB>, count: usize) {
    out.push_sql("(");
    for i in 0..count {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_bind_param();
    }
    out.push_sql(")");
}

/// `INSERT INTO t (fields…) VALUES (…), (…) [RETURNING key]`.
pub(crate) struct InsertRows<'a, T> {
    pub table: &'static TableDescription,
    /// The fields written, a bit per position.
    pub fields: u64,
    pub rows: &'a [&'a T],
    /// The field whose generated value comes back.
    pub returning: Option<usize>,
}

impl<DB: Backend, T: EntityRow<DB>> QueryFragment<DB> for InsertRows<'_, T> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("INSERT INTO ");
        out.push_table(self.table);
        let count = fields_of(self.fields).count();
        if count == 0 {
            DB::push_insert_default_values(self.table, out);
        } else {
            out.push_sql(" (");
            push_list(out, fields_of(self.fields).map(|i| T::COLUMN_NAMES[i]));
            out.push_sql(") VALUES ");
            for (i, _) in self.rows.iter().enumerate() {
                if i > 0 {
                    out.push_sql(", ");
                }
                push_placeholders(out, count);
            }
        }
        if let Some(key) = self.returning {
            out.push_sql(" RETURNING ");
            out.push_identifier(T::COLUMN_NAMES[key]);
        }
    }

    fn collect_binds<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        out.reserve(self.rows.len() * fields_of(self.fields).count());
        for row in self.rows {
            for field in fields_of(self.fields) {
                row.bind_field(field, out)?;
            }
        }
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        false
    }

    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        shape.push(self.rows.len());
        shape.push(self.fields as usize);
        shape.push(self.returning.map_or(usize::MAX, |k| k));
        true
    }
}

/// A row of `RETURNING key`: the generated key as an integer.
pub(crate) struct GeneratedKeyRow<T>(PhantomData<fn() -> T>);

/// The key one `RETURNING` row carries.
pub(crate) struct GeneratedKey(pub Option<i64>);

#[diagnostic::do_not_recommend]
impl<T, Ctes> crate::query::CtesDefined<Ctes> for InsertRows<'_, T> {}

impl<T> Query for InsertRows<'_, T> {
    type SqlRow = GeneratedKeyRow<T>;
}

impl<DB: Backend, T: EntityRow<DB>> FromSqlRow<GeneratedKeyRow<T>, DB> for GeneratedKey {
    fn from_row(row: &DB::Row<'_>, index: &mut usize) -> QueryResult<Self> {
        let value = T::read_integer_field(T::KEY_FIELDS[0], row, *index)?;
        *index += 1;
        Ok(GeneratedKey(value))
    }
}

/// Writes `k1 = ? AND k2 = ?` for the fields of `keys`, qualified by `table` when given.
fn push_key_match<DB: Backend, T: EntityRow<DB>>(
    out: &mut SqlWriter<DB>,
    qualifier: Option<&str>,
    keys: &[usize],
) {
    for (i, &field) in keys.iter().enumerate() {
        if i > 0 {
            out.push_sql(" AND ");
        }
        if let Some(q) = qualifier {
            out.push_identifier(q);
            out.push_sql(".");
        }
        out.push_identifier(T::COLUMN_NAMES[field]);
        out.push_sql(" = ");
        out.push_bind_param();
    }
}

/// An UPDATE of the same changed fields of one or more rows, matched by primary key (and
/// version, when the table has one; the version is then incremented).
pub(crate) struct UpdateRows<'a, T> {
    pub table: &'static TableDescription,
    /// The fields set, a bit per position (never the version: it is incremented).
    pub fields: u64,
    pub rows: &'a [&'a T],
    /// The version field and the rows as loaded (whose version the database must still
    /// hold), one per row.
    pub version: Option<(usize, &'a [&'a T])>,
}

impl<T> UpdateRows<'_, T> {
    fn style<DB: Backend>(&self) -> BatchUpdate {
        if self.rows.len() == 1 {
            BatchUpdate::RowByRow
        } else {
            DB::BATCH_UPDATE
        }
    }
}

/// Writes `qualifier.column` (or just `column`).
fn push_qualified<DB: Backend>(out: &mut SqlWriter<DB>, qualifier: Option<&str>, column: &str) {
    if let Some(q) = qualifier {
        out.push_identifier(q);
        out.push_sql(".");
    }
    out.push_identifier(column);
}

/// Writes `v.pN`: column `n` of the batch's rows, named positionally (keys, set fields, then
/// the version).
fn push_batch_column<DB: Backend>(out: &mut SqlWriter<DB>, n: usize) {
    push_qualified(out, Some("v"), &format!("p{n}"));
}

impl<T: super::Entity> UpdateRows<'_, T> {
    fn version_column(&self) -> Option<&'static str> {
        self.version.map(|(field, _)| T::COLUMN_NAMES[field])
    }

    /// The width of a batch row: keys, set fields, version.
    fn width(&self) -> usize {
        T::KEY_FIELDS.len() + fields_of(self.fields).count() + usize::from(self.version.is_some())
    }

    /// `[q.]a = <value 0>, [q.]b = <value 1>, [q.]version = [q.]version + 1`.
    fn push_set<DB: Backend>(
        &self,
        out: &mut SqlWriter<DB>,
        qualifier: Option<&str>,
        mut value: impl FnMut(&mut SqlWriter<DB>, usize),
    ) {
        let mut first = true;
        for (i, field) in fields_of(self.fields).enumerate() {
            if !first {
                out.push_sql(", ");
            }
            first = false;
            push_qualified(out, qualifier, T::COLUMN_NAMES[field]);
            out.push_sql(" = ");
            value(out, i);
        }
        if let Some(v) = self.version_column() {
            if !first {
                out.push_sql(", ");
            }
            push_qualified(out, qualifier, v);
            out.push_sql(" = ");
            push_qualified(out, qualifier, v);
            out.push_sql(" + 1");
        }
    }

    /// `t.k0 = v.p0 AND … [AND t.version = v.pLast]`: a target row meets its batch row.
    fn push_batch_match<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        let table = Some(self.table.name);
        for (i, &field) in T::KEY_FIELDS.iter().enumerate() {
            if i > 0 {
                out.push_sql(" AND ");
            }
            push_qualified(out, table, T::COLUMN_NAMES[field]);
            out.push_sql(" = ");
            push_batch_column(out, i);
        }
        if let Some(v) = self.version_column() {
            out.push_sql(" AND ");
            push_qualified(out, table, v);
            out.push_sql(" = ");
            push_batch_column(out, self.width() - 1);
        }
    }

    /// `"p0", "p1", …` for the batch's columns.
    fn push_batch_names<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        for i in 0..self.width() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_identifier(&format!("p{i}"));
        }
    }

    /// The SQL type names of the batch's columns, for PostgreSQL's casts.
    fn batch_types<DB: Backend>(&self) -> Vec<&'static str> {
        T::KEY_FIELDS
            .iter()
            .copied()
            .chain(fields_of(self.fields))
            .map(|f| T::COLUMN_NAMES[f])
            .chain(self.version_column())
            .map(|c| cast_type::<DB>(self.table, c))
            .collect()
    }
}

impl<DB: Backend, T: EntityRow<DB>> QueryFragment<DB> for UpdateRows<'_, T> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        let keys = T::KEY_FIELDS.len();
        let width = self.width();
        let batch_value = |out: &mut SqlWriter<DB>, i: usize| push_batch_column(out, keys + i);
        match self.style::<DB>() {
            BatchUpdate::RowByRow => {
                out.push_sql("UPDATE ");
                out.push_table(self.table);
                out.push_sql(" SET ");
                self.push_set(out, None, |out, _| out.push_bind_param());
                out.push_sql(" WHERE ");
                push_key_match::<DB, T>(out, None, T::KEY_FIELDS);
                if let Some(v) = self.version_column() {
                    out.push_sql(" AND ");
                    out.push_identifier(v);
                    out.push_sql(" = ");
                    out.push_bind_param();
                }
            }
            BatchUpdate::CteValues => {
                out.push_sql("WITH ");
                out.push_identifier("v");
                out.push_sql("(");
                self.push_batch_names(out);
                out.push_sql(") AS (VALUES ");
                for r in 0..self.rows.len() {
                    if r > 0 {
                        out.push_sql(", ");
                    }
                    push_placeholders(out, width);
                }
                out.push_sql(") UPDATE ");
                out.push_table(self.table);
                out.push_sql(" SET ");
                self.push_set(out, None, batch_value);
                out.push_sql(" FROM ");
                out.push_identifier("v");
                out.push_sql(" WHERE ");
                self.push_batch_match(out);
            }
            BatchUpdate::FromValues => {
                out.push_sql("UPDATE ");
                out.push_table(self.table);
                out.push_sql(" SET ");
                self.push_set(out, None, batch_value);
                out.push_sql(" FROM (VALUES ");
                let types = self.batch_types::<DB>();
                for r in 0..self.rows.len() {
                    out.push_sql(if r == 0 { "(" } else { ", (" });
                    for (i, sql_type) in types.iter().enumerate() {
                        if i > 0 {
                            out.push_sql(", ");
                        }
                        out.push_sql("CAST(");
                        out.push_bind_param();
                        out.push_sql(" AS ");
                        out.push_sql(sql_type);
                        out.push_sql(")");
                    }
                    out.push_sql(")");
                }
                out.push_sql(") AS ");
                out.push_identifier("v");
                out.push_sql("(");
                self.push_batch_names(out);
                out.push_sql(") WHERE ");
                self.push_batch_match(out);
            }
            BatchUpdate::JoinUnion => {
                out.push_sql("UPDATE ");
                out.push_table(self.table);
                out.push_sql(" INNER JOIN (");
                for r in 0..self.rows.len() {
                    out.push_sql(if r == 0 {
                        "SELECT "
                    } else {
                        " UNION ALL SELECT "
                    });
                    for i in 0..width {
                        if i > 0 {
                            out.push_sql(", ");
                        }
                        out.push_bind_param();
                        if r == 0 {
                            out.push_sql(" AS ");
                            out.push_identifier(&format!("p{i}"));
                        }
                    }
                }
                out.push_sql(") AS ");
                out.push_identifier("v");
                out.push_sql(" ON ");
                self.push_batch_match(out);
                out.push_sql(" SET ");
                self.push_set(out, Some(self.table.name), batch_value);
            }
        }
    }

    fn collect_binds<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        for (r, row) in self.rows.iter().enumerate() {
            let version = self.version.map(|(field, originals)| (field, originals[r]));
            match self.style::<DB>() {
                BatchUpdate::RowByRow => {
                    for field in fields_of(self.fields) {
                        row.bind_field(field, out)?;
                    }
                    for &field in T::KEY_FIELDS {
                        row.bind_field(field, out)?;
                    }
                }
                BatchUpdate::FromValues | BatchUpdate::JoinUnion | BatchUpdate::CteValues => {
                    for &field in T::KEY_FIELDS {
                        row.bind_field(field, out)?;
                    }
                    for field in fields_of(self.fields) {
                        row.bind_field(field, out)?;
                    }
                }
            }
            if let Some((field, original)) = version {
                original.bind_field(field, out)?;
            }
        }
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        false
    }

    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        shape.push(self.rows.len());
        shape.push(self.fields as usize);
        shape.push(usize::from(self.version.is_some()));
        true
    }
}

/// The SQL type name to cast a VALUES parameter to, for column `column`.
fn cast_type<DB: Backend>(table: &TableDescription, column: &str) -> &'static str {
    table
        .column(column)
        .map_or("TEXT", |c| DB::cast_type_name(c.kind))
}

/// `DELETE FROM t WHERE k IN (?, …)` (or, for a composite key or a version check,
/// `(k1 = ? AND k2 = ?) OR …`).
pub(crate) struct DeleteRows<'a, T> {
    pub table: &'static TableDescription,
    pub rows: &'a [&'a T],
    /// The version field, checked against each row's own value.
    pub version: Option<usize>,
}

impl<DB: Backend, T: EntityRow<DB>> QueryFragment<DB> for DeleteRows<'_, T> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("DELETE FROM ");
        out.push_table(self.table);
        out.push_sql(" WHERE ");
        if T::KEY_FIELDS.len() == 1 && self.version.is_none() {
            out.push_identifier(T::COLUMN_NAMES[T::KEY_FIELDS[0]]);
            out.push_sql(" IN ");
            push_placeholders(out, self.rows.len());
            return;
        }
        for r in 0..self.rows.len() {
            if r > 0 {
                out.push_sql(" OR ");
            }
            out.push_sql("(");
            push_key_match::<DB, T>(out, None, T::KEY_FIELDS);
            if let Some(field) = self.version {
                out.push_sql(" AND ");
                out.push_identifier(T::COLUMN_NAMES[field]);
                out.push_sql(" = ");
                out.push_bind_param();
            }
            out.push_sql(")");
        }
    }

    fn collect_binds<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        for row in self.rows {
            for &field in T::KEY_FIELDS {
                row.bind_field(field, out)?;
            }
            if let Some(field) = self.version {
                row.bind_field(field, out)?;
            }
        }
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        false
    }

    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        shape.push(self.rows.len());
        shape.push(usize::from(self.version.is_some()));
        true
    }
}

/// `SELECT fields… FROM t WHERE (k = ?) OR …`: whole entities by primary key (`find`,
/// `refresh`, `merge`).
pub(crate) struct SelectRows<'a, T: super::Entity> {
    pub table: &'static TableDescription,
    pub keys: &'a [T::PrimaryKey],
}

#[diagnostic::do_not_recommend]
impl<T: super::Entity, Ctes> crate::query::CtesDefined<Ctes> for SelectRows<'_, T> {}

impl<T: super::Entity> Query for SelectRows<'_, T> {
    type SqlRow = crate::query::SelectableRow<T>;
}

impl<DB: Backend, T: EntityRow<DB>> QueryFragment<DB> for SelectRows<'_, T> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("SELECT ");
        T::write_columns(out);
        out.push_sql(" FROM ");
        out.push_table(self.table);
        out.push_sql(" WHERE ");
        for r in 0..self.keys.len() {
            if r > 0 {
                out.push_sql(" OR ");
            }
            out.push_sql("(");
            push_key_match::<DB, T>(out, Some(self.table.name), T::KEY_FIELDS);
            out.push_sql(")");
        }
    }

    fn collect_binds<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        for key in self.keys {
            T::bind_key(key, out)?;
        }
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        false
    }

    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        shape.push(self.keys.len());
        true
    }
}

/// `DELETE FROM child WHERE fk IN (SELECT key FROM middle WHERE … IN (…parent keys…))`: a
/// cascade reaching rows the session never loaded. `sql` holds everything up to the
/// parent-key condition; the parents' referenced fields are bound.
pub(crate) struct CascadeDelete<'a, T> {
    pub sql_head: String,
    pub sql_tail: String,
    /// The child side's column names matched against the parents' referenced fields.
    pub matched_columns: &'a [&'static str],
    pub parents: &'a [&'a T],
    /// The parent's referenced fields, in the foreign key's order.
    pub referenced_fields: &'a [usize],
}

impl<DB: Backend, T: EntityRow<DB>> QueryFragment<DB> for CascadeDelete<'_, T> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(&self.sql_head);
        out.push_sql("(");
        for r in 0..self.parents.len() {
            if r > 0 {
                out.push_sql(" OR ");
            }
            out.push_sql("(");
            for (i, column) in self.matched_columns.iter().enumerate() {
                if i > 0 {
                    out.push_sql(" AND ");
                }
                out.push_identifier(column);
                out.push_sql(" = ");
                out.push_bind_param();
            }
            out.push_sql(")");
        }
        out.push_sql(")");
        out.push_sql(&self.sql_tail);
    }

    fn collect_binds<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        for parent in self.parents {
            for &field in self.referenced_fields {
                parent.bind_field(field, out)?;
            }
        }
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        false
    }

    fn sql_shape(&self, _: &mut SqlShape) -> bool {
        false
    }
}

/// `SELECT child fields… FROM child WHERE (fk = ?) OR …`, bound with the parents' referenced
/// fields: the session's selectin load of children.
pub(crate) struct SelectChildren<'a, P, T> {
    pub table: &'static TableDescription,
    /// The child's foreign-key columns.
    pub matched: &'static [&'static str],
    pub parents: &'a [&'a P],
    /// The parent's fields the foreign key references, in its order.
    pub referenced_fields: &'a [usize],
    pub _child: PhantomData<fn() -> T>,
}

#[diagnostic::do_not_recommend]
impl<P, T, Ctes> crate::query::CtesDefined<Ctes> for SelectChildren<'_, P, T> {}

impl<P, T: super::Entity> Query for SelectChildren<'_, P, T> {
    type SqlRow = crate::query::SelectableRow<T>;
}

impl<DB: Backend, P: EntityRow<DB>, T: EntityRow<DB>> QueryFragment<DB>
    for SelectChildren<'_, P, T>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("SELECT ");
        T::write_columns(out);
        out.push_sql(" FROM ");
        out.push_table(self.table);
        out.push_sql(" WHERE ");
        if self.matched.len() == 1 {
            out.push_identifier(self.table.name);
            out.push_sql(".");
            out.push_identifier(self.matched[0]);
            out.push_sql(" IN ");
            push_placeholders(out, self.parents.len());
            return;
        }
        for r in 0..self.parents.len() {
            if r > 0 {
                out.push_sql(" OR ");
            }
            out.push_sql("(");
            for (i, column) in self.matched.iter().enumerate() {
                if i > 0 {
                    out.push_sql(" AND ");
                }
                out.push_identifier(self.table.name);
                out.push_sql(".");
                out.push_identifier(column);
                out.push_sql(" = ");
                out.push_bind_param();
            }
            out.push_sql(")");
        }
    }

    fn collect_binds<'b>(&'b self, out: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        for parent in self.parents {
            for &field in self.referenced_fields {
                parent.bind_field(field, out)?;
            }
        }
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        false
    }

    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        shape.push(self.parents.len());
        true
    }
}

/// `SELECT key FROM t ORDER BY key DESC LIMIT 1`: the largest key before an INSERT (one index
/// lookup), for [`crate::backend::GeneratedKeys::AboveMax`]. Its rows read as
/// [`GeneratedKey`].
pub(crate) struct LargestKey<T> {
    pub table: &'static TableDescription,
    pub key: usize,
    pub _entity: PhantomData<fn() -> T>,
}

#[diagnostic::do_not_recommend]
impl<T, Ctes> crate::query::CtesDefined<Ctes> for LargestKey<T> {}
impl<T> Query for LargestKey<T> {
    type SqlRow = GeneratedKeyRow<T>;
}

impl<DB: Backend, T: EntityRow<DB>> QueryFragment<DB> for LargestKey<T> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        let key = T::COLUMN_NAMES[self.key];
        out.push_sql("SELECT ");
        out.push_identifier(key);
        out.push_sql(" FROM ");
        out.push_table(self.table);
        out.push_sql(" ORDER BY ");
        out.push_identifier(key);
        out.push_sql(" DESC LIMIT 1");
    }

    fn collect_binds<'b>(&'b self, _: &mut dyn BindSink<'b, DB>) -> QueryResult<()> {
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        true
    }
}
