//! DDL from the declared schema: `CREATE TABLE`, indexes, comments, constraints added and
//! dropped, schemas, `DROP TABLE`.

use crate::backend::Backend;
use crate::error::{Error, ErrorKind, QueryResult};

use crate::schema::description::{
    ColumnDefault, ColumnDescription, ConflictResolution, EnumDescription, ForeignKeyDescription,
    TableDescription, TypeKind,
};
use crate::schema::naming::{NamingConvention, check_name_length};

mod alter;
mod index;

pub use alter::{
    add_check_sql, add_foreign_key_sql, comment_on_column_sql, comment_on_table_sql,
    create_schema_sql, drop_foreign_key_sql, drop_schema_sql,
};
use index::index_body;
pub use index::{create_index_sql, drop_index_sql};

/// How a backend spells DDL. Implemented by each backend; [`crate::schema::Schema`] uses it.
pub trait SchemaDialect: Backend {
    /// The column's type; `in_key` when it is part of a key, a unique constraint or an index.
    fn column_type(column: &ColumnDescription, in_key: bool) -> QueryResult<String>;
    /// Writes what makes `column` generate its values: a replaced type (`SERIAL`, SQLite's
    /// `INTEGER`) or a suffix (`AUTO_INCREMENT`).
    fn auto_increment(column: &ColumnDescription) -> QueryResult<AutoIncrement>;
    /// The SQL for "now" as a default of `column`.
    fn current_timestamp(column: &ColumnDescription) -> &'static str {
        let _ = column;
        "CURRENT_TIMESTAMP"
    }
    /// How comments are written.
    const COMMENTS: CommentStyle;
    /// Whether constraints take `ON CONFLICT …` clauses (SQLite; see
    /// [`crate::schema::SqliteOnConflict`]). Elsewhere the table's clauses are left out.
    const CONFLICT_CLAUSES: bool = false;
    /// Whether a foreign key can be added to a table that exists (`ALTER TABLE … ADD
    /// CONSTRAINT … FOREIGN KEY`; needed for foreign keys in a cycle). Every backend can add a
    /// CHECK (SQLite since 3.53; philtre bundles a newer one).
    const ALTER_ADD_FOREIGN_KEY: bool = true;
    /// Whether indexes are declared inside `CREATE TABLE` rather than by `CREATE INDEX`.
    const INLINE_INDEXES: bool = false;
    /// How a named foreign key constraint is dropped: `DROP CONSTRAINT` or `DROP FOREIGN KEY`.
    const DROP_FOREIGN_KEY: &'static str = "DROP CONSTRAINT";
    /// How the server reads string literals when no connection says otherwise (DDL shown with
    /// [`crate::schema::Schema::create_sql`]).
    const DEFAULT_STRING_ESCAPES: StringEscapes = StringEscapes::Standard;
    /// The database's name, for errors about what it lacks.
    const DATABASE: &'static str;
    /// The longest identifier the database keeps whole, in bytes (PostgreSQL cuts longer ones
    /// silently, so longer generated names are refused).
    const MAX_NAME_LENGTH: usize = usize::MAX;
    /// Whether foreign keys can be `DEFERRABLE`.
    const DEFERRABLE_CONSTRAINTS: bool = true;
    /// Whether an index can have a `WHERE` condition (a partial index).
    const PARTIAL_INDEXES: bool = true;
    /// Which index options the database reads (`postgresql_using`; `mysql_using` and
    /// `mysql_length`).
    const INDEX_USING: IndexUsing = IndexUsing::None;
    /// Whether a generated column can be `VIRTUAL` (computed on read) rather than `STORED`.
    const VIRTUAL_GENERATED_COLUMNS: bool = true;
    /// Whether a generated column can carry `NOT NULL` (MariaDB refuses it).
    const GENERATED_NOT_NULL: bool = true;
    /// Whether the database has sequences (`CREATE SEQUENCE`).
    const SEQUENCES: bool = true;
    /// The words that make `CREATE … TABLE` temporary (Oracle: `GLOBAL TEMPORARY `); `None`
    /// where a temporary table is made another way (SQL Server names it `#name`).
    const TEMPORARY_TABLE: Option<&'static str> = Some("TEMPORARY ");
    /// Whether a column's DEFAULT (and an auto-increment clause) comes before `NOT NULL`
    /// (Oracle reads `x INTEGER DEFAULT 0 NOT NULL` only).
    const DEFAULT_BEFORE_NOT_NULL: bool = false;
    /// Whether a nullable column says `NULL` (SQL Server, whose default nullability depends on
    /// session settings).
    const EXPLICIT_NULL: bool = false;
    /// The clause that makes a column generated, written after its type — or, where
    /// [`Self::GENERATED_COLUMN_TYPED`] is false, instead of it.
    fn generated_column(sql: &str, stored: bool) -> QueryResult<String> {
        Ok(generated_clause(sql, stored))
    }
    /// Whether a generated column has a declared type (SQL Server's computed columns have
    /// none: `amount AS (qty * price) PERSISTED`).
    const GENERATED_COLUMN_TYPED: bool = true;
    /// Whether `DROP INDEX` names the table (`DROP INDEX ix ON t`, MySQL).
    const DROP_INDEX_ON_TABLE: bool = false;
    /// Whether the database has schemas (`CREATE SCHEMA`).
    const SCHEMAS: bool = true;
    /// Whether a schema-qualified index is named `schema.index ON table` (SQLite) rather than
    /// `index ON schema.table`; SQLite's foreign keys then name their table bare too, and
    /// reference only tables of their own schema.
    const SCHEMA_ON_INDEX_NAME: bool = false;
    /// Whether an enum is a type of its own, created before the tables that use it
    /// (`CREATE TYPE … AS ENUM`, PostgreSQL) rather than written in each column.
    const ENUM_TYPES: bool = false;

    /// `text` as a quoted string literal the server reads back as exactly `text`, for column
    /// defaults and comments (values in statements are always bound, never quoted). The default
    /// doubles `'` and, where the server reads `\` as an escape, doubles it too. A NUL
    /// character, which no server keeps in text, is an [`ErrorKind::InvalidQuery`] error.
    fn string_literal(text: &str, escapes: StringEscapes) -> QueryResult<String> {
        refuse_nul(text)?;
        let mut out = String::with_capacity(text.len() + 2);
        out.push('\'');
        for c in text.chars() {
            match c {
                '\'' => out.push_str("''"),
                '\\' if escapes == StringEscapes::Backslash => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        out.push('\'');
        Ok(out)
    }

    /// A table or column comment as a string literal; the default is [`Self::string_literal`].
    fn comment_literal(text: &str, escapes: StringEscapes) -> QueryResult<String> {
        Self::string_literal(text, escapes)
    }
}

pub use crate::backend::StringEscapes;

/// The error for a NUL character in a string literal.
pub fn refuse_nul(text: &str) -> QueryResult<()> {
    if text.contains('\0') {
        return Err(Error::new(
            ErrorKind::InvalidQuery,
            format!(
                "{:?} contains a NUL character, which cannot be written as an SQL string literal",
                crate::error::sql_for_message(text)
            ),
        ));
    }
    Ok(())
}

/// See [`SchemaDialect::auto_increment`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutoIncrement {
    /// The column type is replaced, e.g. `SERIAL`.
    Type(String),
    /// A keyword follows the column, e.g. `AUTO_INCREMENT`.
    Suffix(&'static str),
}

/// Which index method a backend writes. Methods are options of one database each, as in
/// SQLAlchemy (`postgresql_using`, `mysql_using`): a GIN index declared for PostgreSQL is a
/// plain index elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexUsing {
    /// No index methods (SQLite).
    None,
    /// `postgresql_using`: `CREATE INDEX ix ON t USING gin (c)`.
    PostgresqlUsing,
    /// `mysql_using` and `mysql_length`: `CREATE INDEX ix ON t (c(20)) USING BTREE`.
    MysqlUsing,
}

/// Where a backend keeps table and column comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStyle {
    /// Not kept (SQLite).
    None,
    /// `COMMENT ON TABLE … IS '…'` statements (PostgreSQL).
    Statements,
    /// `COMMENT '…'` on the column and `COMMENT='…'` on the table (MySQL).
    Inline,
}

pub(crate) fn ident<DB: Backend>(name: &str) -> String {
    let mut out = String::new();
    DB::push_identifier(&mut out, name);
    out
}

/// A table as DDL names it: `schema.table` for a table declared in a schema.
pub(crate) fn table_ident<DB: Backend>(table: &TableDescription) -> String {
    qualified::<DB>(table.schema, table.name)
}

pub(crate) fn qualified<DB: Backend>(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(schema) => format!("{}.{}", ident::<DB>(schema), ident::<DB>(name)),
        None => ident::<DB>(name),
    }
}

pub(crate) fn idents<DB: Backend>(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| ident::<DB>(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error for something a database cannot do in DDL.
pub(crate) fn lacks(database: &str, what: &str, table: &TableDescription) -> Error {
    Error::new(
        ErrorKind::InvalidQuery,
        format!("{database} has no {what} (table `{}`)", table.name),
    )
}

/// A constraint's name as DDL writes it: `CONSTRAINT name ` or nothing.
pub(crate) fn constraint<DB: SchemaDialect>(name: Option<String>) -> QueryResult<String> {
    match name {
        Some(name) => {
            check_name_length(&name, DB::MAX_NAME_LENGTH, DB::DATABASE)?;
            Ok(format!("CONSTRAINT {} ", ident::<DB>(&name)))
        }
        None => Ok(String::new()),
    }
}

pub(crate) fn in_key(table: &TableDescription, column: &str) -> bool {
    (table.primary_key.contains(&column) && !table.logical_key)
        || table.column(column).is_some_and(|c| c.unique)
        || table.unique_constraints.iter().any(|u| u.contains(&column))
        || table.indexes.iter().any(|i| i.columns.contains(&column))
        || table
            .foreign_keys
            .iter()
            .any(|f| f.columns.contains(&column))
}

/// A foreign key clause: `CONSTRAINT fk FOREIGN KEY (c) REFERENCES t (c) ON DELETE …`.
pub fn foreign_key_clause<DB: SchemaDialect>(
    table: &TableDescription,
    fk: &ForeignKeyDescription,
    names: &NamingConvention,
) -> QueryResult<String> {
    let referenced = if DB::SCHEMA_ON_INDEX_NAME {
        if fk.foreign_schema != table.schema {
            return Err(lacks(
                DB::DATABASE,
                "foreign keys between attached databases",
                table,
            ));
        }
        ident::<DB>(fk.foreign_table)
    } else {
        qualified::<DB>(fk.foreign_schema, fk.foreign_table)
    };
    let mut sql = format!(
        "{}FOREIGN KEY ({}) REFERENCES {referenced} ({})",
        constraint::<DB>(Some(names.foreign_key_name(table, fk)))?,
        idents::<DB>(fk.columns),
        idents::<DB>(fk.foreign_columns)
    );
    if let Some(action) = fk.on_delete {
        sql.push_str(" ON DELETE ");
        sql.push_str(action.sql());
    }
    if let Some(action) = fk.on_update {
        sql.push_str(" ON UPDATE ");
        sql.push_str(action.sql());
    }
    if let Some(deferrable) = fk.deferrable {
        if !DB::DEFERRABLE_CONSTRAINTS {
            return Err(lacks(
                DB::DATABASE,
                "deferrable foreign keys (it checks every key at once)",
                table,
            ));
        }
        sql.push(' ');
        sql.push_str(deferrable.sql());
    }
    Ok(sql)
}

/// The statements that create `table`, leaving out the foreign keys in `deferred` (added later
/// with [`add_foreign_key_sql`]); constraints are named by `names`, and string literals are
/// written for a server that reads them as `escapes` says.
pub fn create_table_sql<DB: SchemaDialect>(
    table: &TableDescription,
    if_not_exists: bool,
    deferred: &[&ForeignKeyDescription],
    names: &NamingConvention,
    escapes: StringEscapes,
) -> QueryResult<Vec<String>> {
    let comment = |text: &str| DB::comment_literal(text, escapes);
    let mut items = Vec::new();
    // A column's own UNIQUE or CHECK with a name is written as a table constraint: MariaDB
    // refuses `CONSTRAINT name` inside a column definition.
    let mut named_column_constraints = Vec::new();
    for column in table.columns {
        items.push(column_sql::<DB>(table, column, escapes)?);
        if column.unique {
            match names.unique_name(table, &[column.name]) {
                Some(name) => named_column_constraints.push(format!(
                    "{}UNIQUE ({}){}",
                    constraint::<DB>(Some(name))?,
                    ident::<DB>(column.name),
                    on_conflict::<DB>(table.sqlite_on_conflict.unique)
                )),
                None => {
                    let item = items.last_mut().expect("pushed");
                    item.push_str(" UNIQUE");
                    item.push_str(&on_conflict::<DB>(table.sqlite_on_conflict.unique));
                }
            }
        }
        if let Some(check) = column.check {
            match names.column_check_name(table, column.name) {
                Some(name) => named_column_constraints
                    .push(format!("{}CHECK ({check})", constraint::<DB>(Some(name))?)),
                None => items
                    .last_mut()
                    .expect("pushed")
                    .push_str(&format!(" CHECK ({check})")),
            }
        }
        if let (Some(text), CommentStyle::Inline) = (column.comment, DB::COMMENTS) {
            items
                .last_mut()
                .expect("pushed")
                .push_str(&format!(" COMMENT {}", comment(text)?));
        }
    }
    if !table.primary_key.is_empty() && !table.logical_key {
        items.push(format!(
            "{}PRIMARY KEY ({}){}",
            constraint::<DB>(names.primary_key_name(table))?,
            idents::<DB>(table.primary_key),
            on_conflict::<DB>(table.sqlite_on_conflict.primary_key)
        ));
    }
    items.extend(named_column_constraints);
    for unique in table.unique_constraints {
        items.push(format!(
            "{}UNIQUE ({}){}",
            constraint::<DB>(names.unique_name(table, unique))?,
            idents::<DB>(unique),
            on_conflict::<DB>(table.sqlite_on_conflict.unique)
        ));
    }
    for check in table.checks {
        items.push(format!(
            "{}CHECK ({})",
            constraint::<DB>(names.check_name(table, check)?)?,
            check.sql
        ));
    }
    for fk in table.foreign_keys {
        if !deferred.iter().any(|d| std::ptr::eq(*d, fk)) {
            items.push(foreign_key_clause::<DB>(table, fk, names)?);
        }
    }
    if DB::INLINE_INDEXES {
        for index in table.indexes {
            items.push(format!(
                "{}INDEX {} {}",
                if index.unique { "UNIQUE " } else { "" },
                ident::<DB>(index.name),
                index_body::<DB>(table, index)?
            ));
        }
    }
    let temporary = match (table.temporary, DB::TEMPORARY_TABLE) {
        (false, _) => "",
        (true, Some(words)) => words,
        (true, None) => {
            return Err(lacks(
                DB::DATABASE,
                "`CREATE TEMPORARY TABLE` (its temporary tables are named `#name`)",
                table,
            ));
        }
    };
    let mut create = format!(
        "CREATE {}TABLE {}{} (\n    {}\n)",
        temporary,
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        table_ident::<DB>(table),
        items.join(",\n    ")
    );
    if let (Some(text), CommentStyle::Inline) = (table.comment, DB::COMMENTS) {
        create.push_str(&format!(" COMMENT={}", comment(text)?));
    }
    let mut statements = vec![create];
    if !DB::INLINE_INDEXES {
        for index in table.indexes {
            statements.push(create_index_sql::<DB>(table, index, if_not_exists)?);
        }
    }
    if DB::COMMENTS == CommentStyle::Statements {
        if let Some(text) = table.comment {
            statements.push(format!(
                "COMMENT ON TABLE {} IS {}",
                table_ident::<DB>(table),
                comment(text)?
            ));
        }
        for column in table.columns {
            if let Some(text) = column.comment {
                statements.push(format!(
                    "COMMENT ON COLUMN {}.{} IS {}",
                    table_ident::<DB>(table),
                    ident::<DB>(column.name),
                    comment(text)?
                ));
            }
        }
    }
    Ok(statements)
}

/// ` ON CONFLICT …` after a constraint, where the database has the clause.
fn on_conflict<DB: SchemaDialect>(resolution: Option<ConflictResolution>) -> String {
    match resolution {
        Some(resolution) if DB::CONFLICT_CLAUSES => format!(" {}", resolution.sql()),
        _ => String::new(),
    }
}

/// One column's definition inside `CREATE TABLE`, up to its default and auto-increment (the
/// caller adds UNIQUE, CHECK and the comment).
pub(crate) fn column_sql<DB: SchemaDialect>(
    table: &TableDescription,
    column: &ColumnDescription,
    escapes: StringEscapes,
) -> QueryResult<String> {
    let mut def = ident::<DB>(column.name);
    def.push(' ');
    let auto = if column.auto_increment {
        Some(DB::auto_increment(column)?)
    } else {
        None
    };
    match &auto {
        Some(AutoIncrement::Type(ty)) => def.push_str(ty),
        // No type: the generated clause follows the name (and brings its own space).
        _ if column.generated.is_some() && !DB::GENERATED_COLUMN_TYPED => {
            def.pop();
        }
        _ => def.push_str(&DB::column_type(column, in_key(table, column.name))?),
    }
    if column.auto_increment && table.primary_key != [column.name] {
        return Err(Error::new(
            ErrorKind::InvalidQuery,
            format!(
                "`{}.{}` is auto-incremented but is not the table's only primary key column",
                table.name, column.name
            ),
        ));
    }
    if let Some(generated) = column.generated {
        if !generated.stored && !DB::VIRTUAL_GENERATED_COLUMNS {
            return Err(lacks(
                DB::DATABASE,
                "virtual generated columns; write `#[generated = \"…\"]` (stored)",
                table,
            ));
        }
        def.push_str(&DB::generated_column(generated.sql, generated.stored)?);
    }
    let mut nullability = String::new();
    if !column.nullable && (column.generated.is_none() || DB::GENERATED_NOT_NULL) {
        nullability.push_str(" NOT NULL");
        nullability.push_str(&on_conflict::<DB>(table.sqlite_on_conflict.not_null));
    } else if column.nullable && DB::EXPLICIT_NULL && column.generated.is_none() {
        nullability.push_str(" NULL");
    }
    if !DB::DEFAULT_BEFORE_NOT_NULL {
        def.push_str(&nullability);
    }
    if let Some(default) = column.default {
        def.push_str(" DEFAULT ");
        match default {
            // No TRUE / FALSE literals (Oracle, SQL Server): the backend's 1 / 0.
            ColumnDefault::Literal(sql)
                if !DB::BOOLEAN_CONDITIONS_ARE_VALUES
                    && (sql.eq_ignore_ascii_case("true") || sql.eq_ignore_ascii_case("false")) =>
            {
                let value = crate::expression::LiteralValue::Bool(sql.eq_ignore_ascii_case("true"));
                DB::push_literal(&mut def, value, column.kind);
            }
            ColumnDefault::Literal(sql) | ColumnDefault::Sql(sql) => def.push_str(sql),
            ColumnDefault::Text(text) => def.push_str(&DB::string_literal(text, escapes)?),
            ColumnDefault::CurrentTimestamp => def.push_str(DB::current_timestamp(column)),
        }
    }
    if let Some(AutoIncrement::Suffix(suffix)) = auto {
        def.push(' ');
        def.push_str(suffix);
    }
    if DB::DEFAULT_BEFORE_NOT_NULL {
        def.push_str(&nullability);
    }
    Ok(def)
}

/// ` GENERATED ALWAYS AS (sql) STORED` (or `VIRTUAL`) after a column's type.
pub(crate) fn generated_clause(sql: &str, stored: bool) -> String {
    let kind = if stored { "STORED" } else { "VIRTUAL" };
    format!(" GENERATED ALWAYS AS ({sql}) {kind}")
}

/// `DROP TABLE [IF EXISTS] table`.
pub fn drop_table_sql<DB: Backend>(table: &TableDescription, if_exists: bool) -> String {
    format!(
        "DROP TABLE {}{}",
        if if_exists { "IF EXISTS " } else { "" },
        table_ident::<DB>(table)
    )
}

/// The ANSI spelling of a type, for backends to start from.
pub fn standard_type(column: &ColumnDescription) -> QueryResult<String> {
    Ok(match column.kind {
        TypeKind::Bool => "BOOLEAN".into(),
        TypeKind::SmallInt => "SMALLINT".into(),
        TypeKind::Integer => "INTEGER".into(),
        TypeKind::BigInt => "BIGINT".into(),
        TypeKind::Float => "REAL".into(),
        TypeKind::Double => "DOUBLE PRECISION".into(),
        TypeKind::Text => match column.max_length {
            Some(n) => format!("VARCHAR({n})"),
            None => "TEXT".into(),
        },
        TypeKind::Binary => "BLOB".into(),
        TypeKind::Date => "DATE".into(),
        TypeKind::Time => "TIME".into(),
        TypeKind::Timestamp => "TIMESTAMP".into(),
        TypeKind::Timestamptz => "TIMESTAMP WITH TIME ZONE".into(),
        TypeKind::Numeric => match column.precision {
            Some((p, s)) => format!("NUMERIC({p}, {s})"),
            None => "NUMERIC".into(),
        },
        TypeKind::Uuid => "UUID".into(),
        TypeKind::Json => "JSON".into(),
        TypeKind::Jsonb => "JSONB".into(),
        TypeKind::Interval => "INTERVAL".into(),
        TypeKind::Inet => "INET".into(),
        TypeKind::Custom(name) => name.into(),
        TypeKind::Array(_) | TypeKind::Unsigned(_) | TypeKind::Enum(_) => {
            return Err(unsupported(column, "this backend"));
        }
    })
}

/// An enum's labels as SQL string literals, `'a', 'b'`: a `'` is doubled; a `\` or a NUL,
/// which not every server reads back the same in DDL, is an error.
pub fn enum_labels(description: &EnumDescription) -> QueryResult<String> {
    let mut out = Vec::with_capacity(description.labels.len());
    for label in description.labels {
        if label.contains('\\') || label.contains('\0') {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "the label {label:?} of enum `{}` has a backslash or NUL, which DDL cannot write the same on every database",
                    description.name
                ),
            ));
        }
        out.push(format!("'{}'", label.replace('\'', "''")));
    }
    Ok(out.join(", "))
}

/// `CREATE TYPE name AS ENUM (…)` (PostgreSQL); with `if_not_exists`, a `DO` block that skips a
/// type that exists (PostgreSQL has no `CREATE TYPE IF NOT EXISTS`).
pub fn create_enum_type_sql<DB: SchemaDialect>(
    description: &EnumDescription,
    if_not_exists: bool,
) -> QueryResult<String> {
    let create = format!(
        "CREATE TYPE {} AS ENUM ({})",
        ident::<DB>(description.name),
        enum_labels(description)?
    );
    Ok(if if_not_exists {
        format!("DO $$ BEGIN {create}; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    } else {
        create
    })
}

/// `DROP TYPE [IF EXISTS] name` (PostgreSQL).
pub fn drop_enum_type_sql<DB: SchemaDialect>(
    description: &EnumDescription,
    if_exists: bool,
) -> String {
    format!(
        "DROP TYPE {}{}",
        if if_exists { "IF EXISTS " } else { "" },
        ident::<DB>(description.name)
    )
}

/// The error for a column type a backend cannot create.
pub fn unsupported(column: &ColumnDescription, backend: &str) -> Error {
    Error::new(
        ErrorKind::InvalidQuery,
        format!(
            "column `{}` has SQL type {:?}, which {backend} cannot create",
            column.name, column.kind
        ),
    )
}
