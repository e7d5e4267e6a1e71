//! The schema file: a crate's declared schema as each database would report it, written by
//! the crate (a test or a build step) and read by `philtre diff` and `philtre migration
//! generate`, which cannot compile the crate's `table!` declarations themselves.

use std::path::Path;

use philtre::reflection::ReflectedSchema;
use philtre::schema::Schema;
use philtre::{Error, ErrorKind, QueryResult};

use crate::reflect::declared_for;
use crate::url::BackendKind;

/// The version of the file's layout; a file of another version is refused, not misread.
pub const SCHEMA_FILE_FORMAT: u32 = 1;

/// A declared schema for each of the three databases. A database on which the schema cannot
/// be created (an array column on SQLite) holds the reason instead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SchemaFile {
    /// [`SCHEMA_FILE_FORMAT`] when written.
    pub format: u32,
    /// As SQLite would report it.
    pub sqlite: Result<ReflectedSchema, String>,
    /// As PostgreSQL would report it.
    pub postgres: Result<ReflectedSchema, String>,
    /// As MySQL / MariaDB would report it.
    pub mysql: Result<ReflectedSchema, String>,
}

impl SchemaFile {
    /// The file for `schema`.
    pub fn new(schema: &Schema) -> SchemaFile {
        let on = |kind| declared_for(kind, schema).map_err(|e| e.to_string());
        SchemaFile {
            format: SCHEMA_FILE_FORMAT,
            sqlite: on(BackendKind::Sqlite),
            postgres: on(BackendKind::Postgres),
            mysql: on(BackendKind::Mysql),
        }
    }

    /// The declared schema as database `kind` would report it.
    pub fn for_backend(&self, kind: BackendKind) -> QueryResult<&ReflectedSchema> {
        let entry = match kind {
            BackendKind::Sqlite => &self.sqlite,
            BackendKind::Postgres => &self.postgres,
            BackendKind::Mysql => &self.mysql,
        };
        entry.as_ref().map_err(|reason| {
            Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "the declared schema cannot be created on {}: {reason}",
                    kind.name()
                ),
            )
        })
    }

    /// Writes the file for `schema` to `path` (pretty JSON, stable from run to run, so it can
    /// be committed and reviewed). Writes only when the content changed.
    pub fn write(schema: &Schema, path: impl AsRef<Path>) -> QueryResult<()> {
        let path = path.as_ref();
        let text = serde_json::to_string_pretty(&SchemaFile::new(schema))
            .map_err(|e| Error::new(ErrorKind::Serialization, e.to_string()))?;
        if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
            return Ok(());
        }
        std::fs::write(path, text).map_err(|e| {
            Error::new(
                ErrorKind::Other,
                format!("cannot write {}: {e}", path.display()),
            )
        })
    }

    /// Reads a file [`SchemaFile::write`] wrote.
    pub fn read(path: impl AsRef<Path>) -> QueryResult<SchemaFile> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorKind::NotFound,
                format!(
                    "cannot read the schema file {}: {e} (write it from your crate with \
                     `philtre_engine::SchemaFile::write(&schema, path)`)",
                    path.display()
                ),
            )
        })?;
        let file: SchemaFile = serde_json::from_str(&text).map_err(|e| {
            Error::new(
                ErrorKind::Deserialization,
                format!("{} is not a philtre schema file: {e}", path.display()),
            )
        })?;
        if file.format != SCHEMA_FILE_FORMAT {
            return Err(Error::new(
                ErrorKind::Deserialization,
                format!(
                    "{} has format {}, this philtre reads format {SCHEMA_FILE_FORMAT}: write it again",
                    path.display(),
                    file.format
                ),
            ));
        }
        Ok(file)
    }
}
