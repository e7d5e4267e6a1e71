//! Reflection: reading tables, columns, keys, constraints and indexes back from a live
//! database (SQLAlchemy's `Inspector`), and comparing them with the tables declared with
//! `table!` ([`diff`]).
//!
//! Each backend's connection implements [`Inspect`]. What it reports is owned data
//! ([`ReflectedTable`]); a declared table turns into the same shape with
//! [`ReflectedTable::declared`], as this database would report it once `create_all` made it,
//! so the two compare field by field.

mod declared;
pub mod diff;
mod model;
pub mod sql_text;

pub use declared::declared_schema;
pub use model::{
    ColumnType, NamedConstraint, ReflectedCheck, ReflectedColumn, ReflectedEnum,
    ReflectedForeignKey, ReflectedGenerated, ReflectedIndex, ReflectedTable, ReflectedUnique,
    RelationKind, constraint_named, first_column,
};

use crate::error::QueryResult;
use crate::schema::SchemaDialect;

/// How a backend reads its own type names and defaults back: the half of reflection that
/// needs no connection, shared by what a database reports and what `table!` declares.
pub trait ReflectDialect: SchemaDialect {
    /// Reads a type as the database's catalog or philtre's DDL spells it (`character
    /// varying(50)`, `VARCHAR(50)`, `int(11) unsigned`). A type philtre has no SQL type for is
    /// [`ColumnType::Other`].
    fn parse_type(sql_type: &str) -> ColumnType;

    /// Whether a declared column type and a live one are the same to this database. The
    /// default: equal. SQLite stores JSON, UUIDs and zoned timestamps as text, so there they
    /// are one type.
    fn same_type(declared: &ColumnType, live: &ColumnType) -> bool {
        declared == live
    }

    /// A default's SQL in one spelling for comparison: `'a'::text` and `'a'` are one default
    /// on PostgreSQL, `TRUE` and `1` on MySQL, `CURRENT_TIMESTAMP` and `current_timestamp()`.
    fn normalize_default(sql: &str) -> String {
        sql_text::normalize_default(sql)
    }

    /// Whether `RESTRICT` is the database's `NO ACTION` (MySQL reports either as `RESTRICT`),
    /// so the two compare equal.
    const RESTRICT_IS_NO_ACTION: bool = false;

    /// How a column that exists is changed: see [`AlterColumnStyle`].
    const ALTER_COLUMN: AlterColumnStyle;

    /// Whether a declared column comes back auto-incremented. The default: when it is declared
    /// `#[auto_increment]`. SQLite makes every single `INTEGER` primary key the rowid.
    fn reflects_auto_increment(
        table: &crate::schema::TableDescription,
        column: &crate::schema::ColumnDescription,
    ) -> bool {
        let _ = table;
        column.auto_increment
    }
}

/// How a database changes a column that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlterColumnStyle {
    /// One clause per property: `ALTER COLUMN c TYPE …`, `SET NOT NULL`, `SET DEFAULT …`
    /// (PostgreSQL).
    Clauses,
    /// The whole column written again: `MODIFY c …` (MySQL).
    Modify,
    /// Not at all: the table is rebuilt — created anew, its rows copied, the old one dropped
    /// (SQLite, which also cannot add or drop constraints on a table that exists).
    Rebuild,
}

/// Everything read from one database (or made from one declared [`crate::schema::Schema`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub struct ReflectedSchema {
    /// Tables and views, ordered by schema and name.
    pub tables: Vec<ReflectedTable>,
    /// Enumerated types (PostgreSQL).
    pub enums: Vec<ReflectedEnum>,
    /// Sequences, by name (PostgreSQL, MariaDB).
    pub sequences: Vec<String>,
}

impl ReflectedSchema {
    /// The table (or view) named `name`.
    pub fn table(&self, name: &str) -> Option<&ReflectedTable> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// A live database's catalog, read through a connection: SQLAlchemy's `inspect(engine)`.
///
/// `schema` arguments name a PostgreSQL schema, a MySQL database or an attached SQLite
/// database; `None` is the connection's own (`current_schema()`, `database()`, `main`).
/// Names are bound as values, never spliced into the catalog queries.
pub trait Inspect {
    /// The schemas (PostgreSQL), databases (MySQL) or attached databases (SQLite) the
    /// connection sees, without the system ones.
    fn schema_names(&mut self) -> QueryResult<Vec<String>>;

    /// Base tables of `schema`, by name.
    fn table_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>>;

    /// Views of `schema`, by name.
    fn view_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>>;

    /// One table or view: columns, keys, constraints, indexes, comments. A name that is
    /// neither is an error of kind [`crate::ErrorKind::NotFound`].
    fn reflect_table(&mut self, schema: Option<&str>, name: &str) -> QueryResult<ReflectedTable>;

    /// Enumerated types of `schema` (PostgreSQL; empty elsewhere: MySQL's enums are column
    /// types, SQLite has none).
    fn enum_types(&mut self, schema: Option<&str>) -> QueryResult<Vec<ReflectedEnum>> {
        let _ = schema;
        Ok(Vec::new())
    }

    /// Sequences of `schema`, by name (PostgreSQL, MariaDB; empty on SQLite).
    fn sequence_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        let _ = schema;
        Ok(Vec::new())
    }

    /// Runs one statement and returns its rows with every value as text (`None` for NULL):
    /// for catalog and bookkeeping queries (a migration history table) that philtre's typed
    /// queries do not describe. Nothing is bound: never build `sql` from user input.
    fn query_text(&mut self, sql: &str) -> QueryResult<Vec<Vec<Option<String>>>>;

    /// Runs DDL that changes the schema — a [`diff::SchemaDiff`]'s statements, a migration —
    /// as one unit where the database can: in one transaction on PostgreSQL and SQLite (on
    /// SQLite with foreign keys off while the tables are rebuilt and checked with
    /// `PRAGMA foreign_key_check` before the commit, so rebuilding a referenced table neither
    /// cascades nor leaves a broken reference). MySQL commits each DDL statement itself: a
    /// failure there reports how many statements ran before it.
    fn apply_schema_changes(&mut self, statements: &[String]) -> QueryResult<()>;

    /// Takes (`take`) or gives back the lock that keeps two migration runs apart — two
    /// replicas starting at once: PostgreSQL's advisory lock, MySQL's `GET_LOCK`. SQLite needs
    /// none (its writers queue on the database file). Waits at most `wait` for another run to
    /// finish, then fails with [`crate::ErrorKind::LockNotAvailable`]; never waits forever.
    fn migration_lock(&mut self, take: bool, wait: std::time::Duration) -> QueryResult<()> {
        let _ = (take, wait);
        Ok(())
    }

    /// Every table (and, with `views`, every view) of `schema` whose name `include` accepts,
    /// ordered by name; with the schema's enums and sequences. SQLAlchemy's
    /// `MetaData.reflect(only=…, views=…, schema=…)`.
    fn reflect_schema(
        &mut self,
        schema: Option<&str>,
        views: bool,
        include: &dyn Fn(&str) -> bool,
    ) -> QueryResult<ReflectedSchema> {
        let mut names = self.table_names(schema)?;
        if views {
            names.extend(self.view_names(schema)?);
        }
        names.retain(|n| include(n));
        names.sort();
        let mut tables = Vec::with_capacity(names.len());
        for name in &names {
            tables.push(self.reflect_table(schema, name)?);
        }
        Ok(ReflectedSchema {
            tables,
            enums: self.enum_types(schema)?,
            sequences: self.sequence_names(schema)?,
        })
    }
}
