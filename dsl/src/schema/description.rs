/// What a table looks like, known at compile time and readable at run time.
///
/// `table!` builds one `const` per table; DDL, reflection and the ORM read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableDescription {
    /// The table's SQL name.
    pub name: &'static str,
    /// The schema it lives in (`#[schema = "…"]`: a PostgreSQL schema, a MySQL database, an
    /// attached SQLite database); `None` for the connection's default.
    pub schema: Option<&'static str>,
    /// The columns, in declaration order.
    pub columns: &'static [ColumnDescription],
    /// SQL names of the primary key columns.
    pub primary_key: &'static [&'static str],
    /// `#[logical_key]`: the database has no PRIMARY KEY on the table (or it is a view); the
    /// key columns only tell philtre how to identify a row (`find`, the session), and DDL does
    /// not declare them a key.
    pub logical_key: bool,
    /// Foreign keys declared with `references`.
    pub foreign_keys: &'static [ForeignKeyDescription],
    /// Multi-column `UNIQUE` constraints (`#[unique(a, b)]` on the table).
    pub unique_constraints: &'static [&'static [&'static str]],
    /// Table-level `CHECK` constraints.
    pub checks: &'static [CheckDescription],
    /// Indexes (`#[index(..)]`, `#[unique_index(..)]` on the table).
    pub indexes: &'static [IndexDescription],
    /// The table's comment, where the database keeps comments.
    pub comment: Option<&'static str>,
    /// `CREATE TEMPORARY TABLE` (`#[temporary]`): the table lives as long as the connection
    /// that created it, seen by that connection only.
    pub temporary: bool,
    /// SQLite's conflict clauses on the table's constraints (`#[sqlite_on_conflict(..)]`);
    /// other databases have none and create the constraints without them.
    pub sqlite_on_conflict: SqliteOnConflict,
}

impl TableDescription {
    /// The column with SQL name `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnDescription> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The version column (`#[version]`), if the table has one.
    pub fn version_column(&self) -> Option<&ColumnDescription> {
        self.columns.iter().find(|c| c.version)
    }
}

/// One column of a [`TableDescription`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnDescription {
    /// The column's SQL name.
    pub name: &'static str,
    /// The Rust name of the column type in the `table!` module.
    pub rust_name: &'static str,
    /// The SQL type's name, e.g. `INTEGER`.
    pub sql_type: &'static str,
    /// The SQL type, for DDL.
    pub kind: TypeKind,
    /// Whether the column admits NULL.
    pub nullable: bool,
    /// Whether the column is part of the primary key.
    pub primary_key: bool,
    /// Whether the database generates values (`SERIAL`, `AUTO_INCREMENT`, SQLite's rowid).
    pub auto_increment: bool,
    /// Whether the column is the row's version counter (`#[version]`): the ORM's session checks
    /// it in every UPDATE and DELETE and increments it on UPDATE (optimistic concurrency).
    pub version: bool,
    /// Whether the column alone is `UNIQUE`.
    pub unique: bool,
    /// The value the database uses when an INSERT leaves the column out.
    pub default: Option<ColumnDefault>,
    /// `VARCHAR(n)` for text, `VARBINARY(n)` for bytes.
    pub max_length: Option<u32>,
    /// `NUMERIC(precision, scale)`.
    pub precision: Option<(u32, u32)>,
    /// A column `CHECK` constraint, as SQL text.
    pub check: Option<&'static str>,
    /// The column's comment, where the database keeps comments.
    pub comment: Option<&'static str>,
    /// The expression the database computes the column from (`#[generated = "…"]`); such a
    /// column is read, never written.
    pub generated: Option<Generated>,
}

/// A generated (computed) column: `GENERATED ALWAYS AS (sql) STORED` or `VIRTUAL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    /// The expression, as SQL text in the table's own column names.
    pub sql: &'static str,
    /// Whether the value is stored with the row (`STORED`) or computed on every read
    /// (`VIRTUAL`, which PostgreSQL does not have).
    pub stored: bool,
}

/// A table-level `CHECK` constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckDescription {
    /// The constraint's own name (`#[check(name: "…")]`), which a naming convention may build
    /// on; `None` lets the database name it.
    pub name: Option<&'static str>,
    /// The condition, as SQL text.
    pub sql: &'static str,
}

/// A column default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnDefault {
    /// A number or boolean as SQL writes it: `0`, `-1.5`, `TRUE`.
    Literal(&'static str),
    /// A string, as the column should hold it; DDL quotes it for the server it runs on.
    Text(&'static str),
    /// The time of the INSERT (`CURRENT_TIMESTAMP`).
    CurrentTimestamp,
    /// Any SQL expression, written as the database expects it.
    Sql(&'static str),
}

/// An SQL type as DDL needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// `BOOLEAN`
    Bool,
    /// `SMALLINT`
    SmallInt,
    /// `INTEGER`
    Integer,
    /// `BIGINT`
    BigInt,
    /// `REAL`
    Float,
    /// `DOUBLE PRECISION`
    Double,
    /// `TEXT` / `VARCHAR(n)`
    Text,
    /// `BLOB` / `BYTEA`
    Binary,
    /// `DATE`
    Date,
    /// `TIME`
    Time,
    /// `TIMESTAMP`
    Timestamp,
    /// `TIMESTAMP WITH TIME ZONE`
    Timestamptz,
    /// `NUMERIC`
    Numeric,
    /// `UUID`
    Uuid,
    /// `JSON`
    Json,
    /// `JSONB`
    Jsonb,
    /// `INTERVAL` (PostgreSQL): a length of time.
    Interval,
    /// `INET` (PostgreSQL): an IPv4 or IPv6 address.
    Inet,
    /// An array of the element kind (PostgreSQL).
    Array(&'static TypeKind),
    /// An unsigned integer (MySQL).
    Unsigned(&'static TypeKind),
    /// A type declared outside philtre, by its SQL name.
    Custom(&'static str),
    /// An enumerated type (`#[derive(SqlEnum)]`): PostgreSQL's `CREATE TYPE … AS ENUM`,
    /// MySQL's `ENUM(…)`, SQLite's text with a CHECK.
    Enum(&'static EnumDescription),
}

/// An enumerated SQL type: its name (PostgreSQL's type) and its labels, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumDescription {
    /// The type's SQL name.
    pub name: &'static str,
    /// The labels, in declaration order (the order PostgreSQL and MySQL sort them in).
    pub labels: &'static [&'static str],
}

/// An index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexDescription {
    /// The index name.
    pub name: &'static str,
    /// SQL names of the indexed columns.
    pub columns: &'static [&'static str],
    /// Whether it is a `UNIQUE` index.
    pub unique: bool,
    /// SQL expressions indexed after the columns (`#[index(expression = "lower(email)")]`).
    pub expressions: &'static [&'static str],
    /// A partial index's condition (`where = "…"`; PostgreSQL and SQLite).
    pub where_sql: Option<&'static str>,
    /// PostgreSQL's index method (`postgresql_using = "gin"`).
    pub postgresql_using: Option<&'static str>,
    /// MySQL's index method (`mysql_using = "hash"`).
    pub mysql_using: Option<&'static str>,
    /// MySQL's prefix length (`mysql_length = 20`): each column indexed by its first `n`
    /// characters (`title(20)`), as MySQL needs for long text.
    pub mysql_length: Option<u32>,
}

/// A `references other(col)` declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForeignKeyDescription {
    /// The referencing columns' SQL names (one, or several for a composite key).
    pub columns: &'static [&'static str],
    /// The referenced table's SQL name.
    pub foreign_table: &'static str,
    /// The referenced table's schema, when it is declared in one.
    pub foreign_schema: Option<&'static str>,
    /// The referenced columns' SQL names, in the same order.
    pub foreign_columns: &'static [&'static str],
    /// `ON DELETE …`
    pub on_delete: Option<ReferentialAction>,
    /// `ON UPDATE …`
    pub on_update: Option<ReferentialAction>,
    /// `DEFERRABLE INITIALLY …`: when the database checks the key (PostgreSQL and SQLite).
    pub deferrable: Option<Deferrable>,
}

/// SQLite's `ON CONFLICT` clauses on a table's constraints (SQLAlchemy's
/// `sqlite_on_conflict_primary_key`, `_unique` and `_not_null`): what a statement that breaks
/// the constraint does instead of failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SqliteOnConflict {
    /// On the PRIMARY KEY.
    pub primary_key: Option<ConflictResolution>,
    /// On every UNIQUE constraint, a column's or the table's.
    pub unique: Option<ConflictResolution>,
    /// On every NOT NULL column.
    pub not_null: Option<ConflictResolution>,
}

impl SqliteOnConflict {
    /// No clause: a conflict fails the statement (SQLite's `ABORT`).
    pub const NONE: SqliteOnConflict = SqliteOnConflict {
        primary_key: None,
        unique: None,
        not_null: None,
    };
}

/// A SQLite conflict resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictResolution {
    /// `ROLLBACK`: the statement fails and the transaction is rolled back.
    Rollback,
    /// `ABORT` (SQLite's default): the statement fails and is undone.
    Abort,
    /// `FAIL`: the statement stops, keeping the rows it changed before.
    Fail,
    /// `IGNORE`: the row is skipped, silently.
    Ignore,
    /// `REPLACE`: the rows in the way are deleted (a NULL is replaced by the default).
    Replace,
}

impl ConflictResolution {
    /// The clause as SQL spells it.
    pub fn sql(self) -> &'static str {
        match self {
            ConflictResolution::Rollback => "ON CONFLICT ROLLBACK",
            ConflictResolution::Abort => "ON CONFLICT ABORT",
            ConflictResolution::Fail => "ON CONFLICT FAIL",
            ConflictResolution::Ignore => "ON CONFLICT IGNORE",
            ConflictResolution::Replace => "ON CONFLICT REPLACE",
        }
    }
}

/// When a deferrable foreign key is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deferrable {
    /// `DEFERRABLE INITIALLY IMMEDIATE`: at each statement, unless a transaction runs
    /// `SET CONSTRAINTS … DEFERRED`.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`: at COMMIT.
    InitiallyDeferred,
}

impl Deferrable {
    /// The clause as SQL spells it.
    pub fn sql(self) -> &'static str {
        match self {
            Deferrable::InitiallyImmediate => "DEFERRABLE INITIALLY IMMEDIATE",
            Deferrable::InitiallyDeferred => "DEFERRABLE INITIALLY DEFERRED",
        }
    }
}

/// What happens to referencing rows when the referenced row goes or changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema-file", derive(serde::Serialize, serde::Deserialize))]
pub enum ReferentialAction {
    /// `CASCADE`
    Cascade,
    /// `SET NULL`
    SetNull,
    /// `SET DEFAULT`
    SetDefault,
    /// `RESTRICT`
    Restrict,
    /// `NO ACTION`
    NoAction,
}

impl ReferentialAction {
    /// The action as SQL spells it.
    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::NoAction => "NO ACTION",
        }
    }
}
