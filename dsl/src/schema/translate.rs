//! Schema names swapped while rendering: SQLAlchemy's
//! `execution_options(schema_translate_map=…)`. A service with a schema per tenant declares its
//! tables once, without a schema (or with a placeholder one), and gives each connection the
//! schema its statements go to.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

use super::description::{ForeignKeyDescription, TableDescription};

/// Which schema a declared schema becomes: `None` (tables declared without `#[schema]`) or a
/// declared name, to the name used.
///
/// ```
/// use philtre::schema::SchemaTranslateMap;
/// let map = SchemaTranslateMap::new().map(None, "tenant_7").map(Some("audit"), "audit_v2");
/// assert_eq!(map.translate(None), Some("tenant_7"));
/// assert_eq!(map.translate(Some("audit")), Some("audit_v2"));
/// assert_eq!(map.translate(Some("other")), Some("other"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaTranslateMap {
    entries: Vec<(Option<String>, String)>,
}

impl SchemaTranslateMap {
    /// An empty map: every schema stays as declared.
    pub fn new() -> Self {
        SchemaTranslateMap::default()
    }

    /// Tables declared in schema `declared` (`None`: without a schema) go to schema `to`.
    pub fn map(mut self, declared: Option<&str>, to: &str) -> Self {
        let declared = declared.map(str::to_owned);
        self.entries.retain(|(from, _)| *from != declared);
        self.entries.push((declared, to.to_owned()));
        self
    }

    /// The schema a table declared in `declared` is written in.
    pub fn translate<'a>(&'a self, declared: Option<&'a str>) -> Option<&'a str> {
        self.entries
            .iter()
            .find(|(from, _)| from.as_deref() == declared)
            .map_or(declared, |(_, to)| Some(to.as_str()))
    }

    /// `table` as it is created under this map: its schema and its foreign keys' targets
    /// translated. DDL descriptions are `'static`: each distinct translated description is kept
    /// once for the program's life (a few hundred bytes per table and schema).
    pub fn translate_table(&self, table: &'static TableDescription) -> &'static TableDescription {
        let translated = self.translated(table);
        if translated == *table {
            return table;
        }
        static TABLES: OnceLock<Mutex<Vec<&'static TableDescription>>> = OnceLock::new();
        let mut known = TABLES
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(found) = known.iter().find(|t| ***t == translated) {
            return found;
        }
        let leaked: &'static TableDescription = Box::leak(Box::new(translated));
        known.push(leaked);
        leaked
    }

    fn translated(&self, table: &'static TableDescription) -> TableDescription {
        let foreign_keys: Vec<ForeignKeyDescription> = table
            .foreign_keys
            .iter()
            .map(|fk| ForeignKeyDescription {
                foreign_schema: self.translate(fk.foreign_schema).map(intern),
                ..*fk
            })
            .collect();
        let foreign_keys: &'static [ForeignKeyDescription] = if foreign_keys == table.foreign_keys {
            table.foreign_keys
        } else {
            intern_keys(foreign_keys)
        };
        TableDescription {
            schema: self.translate(table.schema).map(intern),
            foreign_keys,
            ..*table
        }
    }
}

/// One `'static` copy of each schema name a map translated to.
fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// One `'static` copy of each translated foreign-key list.
fn intern_keys(keys: Vec<ForeignKeyDescription>) -> &'static [ForeignKeyDescription] {
    static KEYS: OnceLock<Mutex<Vec<&'static [ForeignKeyDescription]>>> = OnceLock::new();
    let mut known = KEYS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = known.iter().find(|k| **k == keys.as_slice()) {
        return found;
    }
    let leaked: &'static [ForeignKeyDescription] = Box::leak(keys.into_boxed_slice());
    known.push(leaked);
    leaked
}

/// A map shared by the writers of one connection.
pub type SharedSchemaMap = Option<Arc<SchemaTranslateMap>>;
