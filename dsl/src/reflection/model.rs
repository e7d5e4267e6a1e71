//! What reflection reports: owned descriptions of tables, columns and constraints, read from a
//! live database or made from a declared [`TableDescription`](crate::schema::TableDescription)
//! so that the two compare field by field.

use crate::schema::{ReferentialAction, TypeKind};

/// Whether a reflected relation is a table or a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub enum RelationKind {
    /// A base table. (Not named `Table`: a second item of that name would make rustc print
    /// the `Table` trait as `_` in every compile error, through the prelude's `Table as _`.)
    BaseTable,
    /// A view: read it like a table; philtre never writes to it.
    View,
}

/// A table (or view) as the database describes it: SQLAlchemy's `Table(…, autoload_with=…)`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub struct ReflectedTable {
    /// The schema it was read from (`None`: the connection's default).
    pub schema: Option<String>,
    /// Its name.
    pub name: String,
    /// Table or view.
    pub kind: RelationKind,
    /// Columns, in the database's order.
    pub columns: Vec<ReflectedColumn>,
    /// Primary key columns, in key order (empty when the table has none).
    pub primary_key: Vec<String>,
    /// The primary key constraint's name, where the database names it (PostgreSQL).
    pub primary_key_name: Option<String>,
    /// Foreign keys, ordered by their first column.
    pub foreign_keys: Vec<ReflectedForeignKey>,
    /// `UNIQUE` constraints (a column's own `UNIQUE` too), ordered by columns.
    pub unique_constraints: Vec<ReflectedUnique>,
    /// `CHECK` constraints, ordered by their SQL.
    pub checks: Vec<ReflectedCheck>,
    /// Indexes that are not the primary key or a unique constraint, ordered by name.
    pub indexes: Vec<ReflectedIndex>,
    /// The table's comment (PostgreSQL, MySQL).
    pub comment: Option<String>,
    /// A view's defining query, as the database keeps it.
    pub view_definition: Option<String>,
    /// For a declared table: the statements `create_all` runs to create it on this database
    /// (its `CREATE TABLE`, indexes and comments). Empty for a reflected table.
    pub create_sql: Vec<String>,
    /// For a declared table: its foreign keys that close a cycle of tables, as `ALTER TABLE …
    /// ADD … FOREIGN KEY`, run once every table of the cycle exists. Empty otherwise.
    pub deferred_sql: Vec<String>,
}

impl ReflectedTable {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&ReflectedColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// `schema.name`, or the name alone.
    pub fn qualified_name(&self) -> String {
        match &self.schema {
            Some(schema) => format!("{schema}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// One column of a [`ReflectedTable`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub struct ReflectedColumn {
    /// Its name.
    pub name: String,
    /// The type as the database spells it (`character varying(50)`, `int(11)`, `VARCHAR(50)`).
    pub sql_type: String,
    /// The type, read: what philtre's SQL type for it is, with its length and precision.
    pub column_type: ColumnType,
    /// Whether it admits NULL.
    pub nullable: bool,
    /// The default as SQL, as the database reports it (`'draft'::character varying`,
    /// `current_timestamp()`); `None` for no default and for an auto-increment's own default.
    pub default: Option<String>,
    /// Whether the database generates its values (`SERIAL`, identity, `AUTO_INCREMENT`, an
    /// `INTEGER PRIMARY KEY` on SQLite).
    pub auto_increment: bool,
    /// The column's comment.
    pub comment: Option<String>,
    /// The expression of a generated column, and whether it is stored.
    pub generated: Option<ReflectedGenerated>,
    /// For a declared column: its definition as `CREATE TABLE` writes it (for `ADD COLUMN`
    /// and `MODIFY`). `None` for a reflected column.
    pub definition: Option<String>,
}

/// A generated column's expression.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub struct ReflectedGenerated {
    /// The expression, as the database keeps it.
    pub sql: String,
    /// `STORED` (true) or `VIRTUAL`.
    pub stored: bool,
}

/// A column type read back from the database: philtre's SQL type for it and its size.
///
/// Types philtre has no SQL type for are [`ColumnType::Other`], carrying the database's
/// name — never quietly read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub enum ColumnType {
    /// `BOOLEAN` (MySQL's `TINYINT(1)`).
    Bool,
    /// `SMALLINT`.
    SmallInt,
    /// `INTEGER`.
    Integer,
    /// `BIGINT`.
    BigInt,
    /// `REAL`, MySQL's `FLOAT`.
    Float,
    /// `DOUBLE PRECISION`.
    Double,
    /// `TEXT`, or `VARCHAR(n)` / `CHAR(n)` with `max_length`.
    Text {
        /// The length limit, when there is one.
        max_length: Option<u32>,
    },
    /// `BLOB` / `BYTEA`, or `VARBINARY(n)` with `max_length`.
    Binary {
        /// The length limit, when there is one.
        max_length: Option<u32>,
    },
    /// `DATE`.
    Date,
    /// `TIME`.
    Time,
    /// `TIMESTAMP`, MySQL's `DATETIME`.
    Timestamp,
    /// `TIMESTAMP WITH TIME ZONE`.
    Timestamptz,
    /// `NUMERIC(p, s)`.
    Numeric {
        /// `(precision, scale)`, when given.
        precision: Option<(u32, u32)>,
    },
    /// `UUID` (PostgreSQL).
    Uuid,
    /// `JSON`.
    Json,
    /// `JSONB` (PostgreSQL).
    Jsonb,
    /// `INTERVAL` (PostgreSQL).
    Interval,
    /// `INET` (PostgreSQL).
    Inet,
    /// An array of the element type (PostgreSQL).
    Array(Box<ColumnType>),
    /// An unsigned integer (MySQL).
    Unsigned(Box<ColumnType>),
    /// An enumerated type: PostgreSQL's named type, MySQL's inline `ENUM(…)` (no name).
    Enum {
        /// The type's name (PostgreSQL), `None` for MySQL's inline enum.
        name: Option<String>,
        /// Its labels, in order.
        labels: Vec<String>,
    },
    /// A type philtre has no SQL type for, by the database's name for it.
    Other(String),
}

impl ColumnType {
    /// The type a declared column of SQL kind `kind` has, with its length and precision.
    pub fn declared(
        kind: &TypeKind,
        max_length: Option<u32>,
        precision: Option<(u32, u32)>,
    ) -> Self {
        match kind {
            TypeKind::Bool => ColumnType::Bool,
            TypeKind::SmallInt => ColumnType::SmallInt,
            TypeKind::Integer => ColumnType::Integer,
            TypeKind::BigInt => ColumnType::BigInt,
            TypeKind::Float => ColumnType::Float,
            TypeKind::Double => ColumnType::Double,
            TypeKind::Text => ColumnType::Text { max_length },
            TypeKind::Binary => ColumnType::Binary { max_length },
            TypeKind::Date => ColumnType::Date,
            TypeKind::Time => ColumnType::Time,
            TypeKind::Timestamp => ColumnType::Timestamp,
            TypeKind::Timestamptz => ColumnType::Timestamptz,
            TypeKind::Numeric => ColumnType::Numeric { precision },
            TypeKind::Uuid => ColumnType::Uuid,
            TypeKind::Json => ColumnType::Json,
            TypeKind::Jsonb => ColumnType::Jsonb,
            TypeKind::Interval => ColumnType::Interval,
            TypeKind::Inet => ColumnType::Inet,
            TypeKind::Array(inner) => {
                ColumnType::Array(Box::new(Self::declared(inner, None, None)))
            }
            TypeKind::Unsigned(inner) => {
                ColumnType::Unsigned(Box::new(Self::declared(inner, None, None)))
            }
            TypeKind::Custom(name) => ColumnType::Other((*name).to_owned()),
            TypeKind::Enum(description) => ColumnType::Enum {
                name: Some(description.name.to_owned()),
                labels: description.labels.iter().map(|l| (*l).to_owned()).collect(),
            },
        }
    }
}

/// A foreign key of a [`ReflectedTable`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub struct ReflectedForeignKey {
    /// The constraint's name (SQLite's keys have none).
    pub name: Option<String>,
    /// The referencing columns.
    pub columns: Vec<String>,
    /// The referenced table's schema, when it is not the default one.
    pub foreign_schema: Option<String>,
    /// The referenced table.
    pub foreign_table: String,
    /// The referenced columns, in the same order.
    pub foreign_columns: Vec<String>,
    /// `ON DELETE` (`None`: the database's default, `NO ACTION`).
    pub on_delete: Option<ReferentialAction>,
    /// `ON UPDATE` (`None`: `NO ACTION`).
    pub on_update: Option<ReferentialAction>,
    /// Whether the key is `DEFERRABLE`, and `INITIALLY DEFERRED`.
    pub deferrable: Option<bool>,
}

/// A `UNIQUE` constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub struct ReflectedUnique {
    /// Its name, where the database gives one.
    pub name: Option<String>,
    /// Its columns.
    pub columns: Vec<String>,
}

/// A `CHECK` constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub struct ReflectedCheck {
    /// Its name, where the database gives one.
    pub name: Option<String>,
    /// The condition, as the database keeps it.
    pub sql: String,
}

/// An index.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub struct ReflectedIndex {
    /// Its name.
    pub name: String,
    /// The indexed columns, in order; an expression's place holds its SQL.
    pub columns: Vec<String>,
    /// Which entries of `columns` are expressions rather than column names.
    pub expressions: Vec<bool>,
    /// Whether it is `UNIQUE`.
    pub unique: bool,
    /// A partial index's condition.
    pub where_sql: Option<String>,
}

/// An enumerated type (PostgreSQL's `CREATE TYPE … AS ENUM`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub struct ReflectedEnum {
    /// Its schema, when not the default one.
    pub schema: Option<String>,
    /// Its name.
    pub name: String,
    /// Its labels, in order.
    pub labels: Vec<String>,
}

/// A constraint catalogs return one row per column of: found by its name, or started.
pub trait NamedConstraint {
    /// The constraint's name.
    fn constraint_name(&self) -> Option<&str>;
}

impl NamedConstraint for ReflectedUnique {
    fn constraint_name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl NamedConstraint for ReflectedForeignKey {
    fn constraint_name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// The constraint named `name` in `list`, added by `start` when this is its first row.
pub fn constraint_named<'l, K: NamedConstraint>(
    list: &'l mut Vec<K>,
    name: &str,
    start: impl FnOnce() -> K,
) -> &'l mut K {
    match list.iter().position(|k| k.constraint_name() == Some(name)) {
        Some(at) => &mut list[at],
        None => {
            list.push(start());
            list.last_mut().expect("pushed above")
        }
    }
}

/// The first column of catalog rows, without NULLs: a list of names.
pub fn first_column(rows: Vec<Vec<Option<String>>>) -> Vec<String> {
    rows.into_iter()
        .filter_map(|row| row.into_iter().next().flatten())
        .collect()
}
