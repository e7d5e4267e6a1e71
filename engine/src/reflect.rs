//! Reflection through a connection chosen at run time: [`Inspect`] for [`AnyConnection`], and
//! diffs against a declared schema on whichever database the URL named.

use philtre::QueryResult;
use philtre::reflection::diff::{DiffOptions, SchemaDiff, diff};
use philtre::reflection::{
    Inspect, ReflectedEnum, ReflectedSchema, ReflectedTable, declared_schema,
};
use philtre::schema::Schema;
use philtre_mysql::Mysql;
use philtre_postgres::Pg;
use philtre_sqlite::Sqlite;

use crate::AnyConnection;
use crate::url::BackendKind;

macro_rules! each_backend {
    ($self:expr, $conn:ident => $body:expr) => {
        match $self {
            AnyConnection::Sqlite($conn) => $body,
            AnyConnection::Postgres($conn) => $body,
            AnyConnection::Mysql($conn) => $body,
        }
    };
}

impl Inspect for AnyConnection {
    fn query_text(&mut self, sql: &str) -> QueryResult<Vec<Vec<Option<String>>>> {
        each_backend!(self, c => c.query_text(sql))
    }

    fn schema_names(&mut self) -> QueryResult<Vec<String>> {
        each_backend!(self, c => c.schema_names())
    }

    fn table_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        each_backend!(self, c => c.table_names(schema))
    }

    fn view_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        each_backend!(self, c => c.view_names(schema))
    }

    fn reflect_table(&mut self, schema: Option<&str>, name: &str) -> QueryResult<ReflectedTable> {
        each_backend!(self, c => c.reflect_table(schema, name))
    }

    fn enum_types(&mut self, schema: Option<&str>) -> QueryResult<Vec<ReflectedEnum>> {
        each_backend!(self, c => c.enum_types(schema))
    }

    fn sequence_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        each_backend!(self, c => c.sequence_names(schema))
    }

    fn apply_schema_changes(&mut self, statements: &[String]) -> QueryResult<()> {
        each_backend!(self, c => c.apply_schema_changes(statements))
    }

    fn migration_lock(&mut self, take: bool, wait: std::time::Duration) -> QueryResult<()> {
        each_backend!(self, c => c.migration_lock(take, wait))
    }
}

/// `schema` as database `kind` would report it after `create_all`
/// ([`philtre::reflection::declared_schema`] for a backend chosen at run time).
pub fn declared_for(kind: BackendKind, schema: &Schema) -> QueryResult<ReflectedSchema> {
    match kind {
        BackendKind::Sqlite => declared_schema::<Sqlite>(schema),
        BackendKind::Postgres => declared_schema::<Pg>(schema),
        BackendKind::Mysql => declared_schema::<Mysql>(schema),
    }
}

/// The changes that make `live` match `declared`, written for database `kind`
/// ([`philtre::reflection::diff::diff`] for a backend chosen at run time).
pub fn diff_for(
    kind: BackendKind,
    declared: &ReflectedSchema,
    live: &ReflectedSchema,
    options: &DiffOptions,
) -> SchemaDiff {
    match kind {
        BackendKind::Sqlite => diff::<Sqlite>(declared, live, options),
        BackendKind::Postgres => diff::<Pg>(declared, live, options),
        BackendKind::Mysql => diff::<Mysql>(declared, live, options),
    }
}

impl AnyConnection {
    /// The changes that make this database match `schema` (its tables, enums and sequences;
    /// the database's other tables are reported as tables to drop unless `options` ignores
    /// them). Run them with [`Inspect::apply_schema_changes`].
    pub fn diff_schema(
        &mut self,
        schema: &Schema,
        options: &DiffOptions,
    ) -> QueryResult<SchemaDiff> {
        let declared = declared_for(self.kind(), schema)?;
        let mut live = self.reflect_schema(None, false, &|_| true)?;
        // Tables declared in a schema of their own (`#[schema = "…"]`) are looked for there.
        let others: std::collections::BTreeSet<&str> = declared
            .tables
            .iter()
            .filter_map(|t| t.schema.as_deref())
            .collect();
        for other in others {
            live.tables
                .extend(self.reflect_schema(Some(other), false, &|_| true)?.tables);
        }
        Ok(diff_for(self.kind(), &declared, &live, options))
    }
}
