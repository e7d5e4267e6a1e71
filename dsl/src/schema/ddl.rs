//! DDL from the declared schema: `CREATE TABLE`, indexes, comments, `DROP TABLE`.

use crate::backend::Backend;
use crate::error::{Error, ErrorKind, QueryResult};

use super::description::{
    ColumnDefault, ColumnDescription, ForeignKeyDescription, TableDescription, TypeKind,
};

/// How a backend spells DDL. Implemented by each backend; [`super::Schema`] uses it.
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
    /// Whether a foreign key can be added after `CREATE TABLE` (needed for cycles).
    const ALTER_ADD_FOREIGN_KEY: bool = true;
    /// Whether indexes are declared inside `CREATE TABLE` rather than by `CREATE INDEX`.
    const INLINE_INDEXES: bool = false;
    /// How a named foreign key constraint is dropped: `DROP CONSTRAINT` or `DROP FOREIGN KEY`.
    const DROP_FOREIGN_KEY: &'static str = "DROP CONSTRAINT";
    /// How the server reads string literals when no connection says otherwise (DDL shown with
    /// [`super::Schema::create_sql`]).
    const DEFAULT_STRING_ESCAPES: StringEscapes = StringEscapes::Standard;

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

fn ident<DB: Backend>(name: &str) -> String {
    let mut out = String::new();
    DB::push_identifier(&mut out, name);
    out
}

fn idents<DB: Backend>(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| ident::<DB>(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name philtre gives a foreign key constraint: `fk_<table>_<column>` (the columns joined
/// by `_` for a composite key).
pub fn foreign_key_name(table: &TableDescription, fk: &ForeignKeyDescription) -> String {
    format!("fk_{}_{}", table.name, fk.columns.join("_"))
}

fn in_key(table: &TableDescription, column: &str) -> bool {
    table.primary_key.contains(&column)
        || table.column(column).is_some_and(|c| c.unique)
        || table.unique_constraints.iter().any(|u| u.contains(&column))
        || table.indexes.iter().any(|i| i.columns.contains(&column))
        || table
            .foreign_keys
            .iter()
            .any(|f| f.columns.contains(&column))
}

/// A foreign key clause: `CONSTRAINT fk FOREIGN KEY (c) REFERENCES t (c) ON DELETE …`.
pub fn foreign_key_clause<DB: Backend>(
    table: &TableDescription,
    fk: &ForeignKeyDescription,
) -> String {
    let mut sql = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        ident::<DB>(&foreign_key_name(table, fk)),
        idents::<DB>(fk.columns),
        ident::<DB>(fk.foreign_table),
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
    sql
}

/// The statements that create `table`, leaving out the foreign keys in `deferred` (added later
/// with [`add_foreign_key_sql`]); string literals are written for a server that reads them as
/// `escapes` says.
pub fn create_table_sql<DB: SchemaDialect>(
    table: &TableDescription,
    if_not_exists: bool,
    deferred: &[&ForeignKeyDescription],
    escapes: StringEscapes,
) -> QueryResult<Vec<String>> {
    let literal = |text: &str| DB::string_literal(text, escapes);
    let comment = |text: &str| DB::comment_literal(text, escapes);
    let mut items = Vec::new();
    for column in table.columns {
        let mut def = ident::<DB>(column.name);
        def.push(' ');
        let auto = if column.auto_increment {
            Some(DB::auto_increment(column)?)
        } else {
            None
        };
        match &auto {
            Some(AutoIncrement::Type(ty)) => def.push_str(ty),
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
        if !column.nullable {
            def.push_str(" NOT NULL");
        }
        if let Some(default) = column.default {
            def.push_str(" DEFAULT ");
            match default {
                ColumnDefault::Literal(sql) | ColumnDefault::Sql(sql) => def.push_str(sql),
                ColumnDefault::Text(text) => def.push_str(&literal(text)?),
                ColumnDefault::CurrentTimestamp => def.push_str(DB::current_timestamp(column)),
            }
        }
        if let Some(AutoIncrement::Suffix(suffix)) = auto {
            def.push(' ');
            def.push_str(suffix);
        }
        if column.unique {
            def.push_str(" UNIQUE");
        }
        if let Some(check) = column.check {
            def.push_str(&format!(" CHECK ({check})"));
        }
        if let (Some(text), CommentStyle::Inline) = (column.comment, DB::COMMENTS) {
            def.push_str(&format!(" COMMENT {}", comment(text)?));
        }
        items.push(def);
    }
    if !table.primary_key.is_empty() {
        items.push(format!("PRIMARY KEY ({})", idents::<DB>(table.primary_key)));
    }
    for unique in table.unique_constraints {
        items.push(format!("UNIQUE ({})", idents::<DB>(unique)));
    }
    for check in table.checks {
        items.push(format!("CHECK ({check})"));
    }
    for fk in table.foreign_keys {
        if !deferred.iter().any(|d| std::ptr::eq(*d, fk)) {
            items.push(foreign_key_clause::<DB>(table, fk));
        }
    }
    if DB::INLINE_INDEXES {
        for index in table.indexes {
            items.push(format!(
                "{}INDEX {} ({})",
                if index.unique { "UNIQUE " } else { "" },
                ident::<DB>(index.name),
                idents::<DB>(index.columns)
            ));
        }
    }
    let mut create = format!(
        "CREATE TABLE {}{} (\n    {}\n)",
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        ident::<DB>(table.name),
        items.join(",\n    ")
    );
    if let (Some(text), CommentStyle::Inline) = (table.comment, DB::COMMENTS) {
        create.push_str(&format!(" COMMENT={}", comment(text)?));
    }
    let mut statements = vec![create];
    if !DB::INLINE_INDEXES {
        for index in table.indexes {
            statements.push(create_index_sql::<DB>(table, index, if_not_exists));
        }
    }
    if DB::COMMENTS == CommentStyle::Statements {
        if let Some(text) = table.comment {
            statements.push(format!(
                "COMMENT ON TABLE {} IS {}",
                ident::<DB>(table.name),
                comment(text)?
            ));
        }
        for column in table.columns {
            if let Some(text) = column.comment {
                statements.push(format!(
                    "COMMENT ON COLUMN {}.{} IS {}",
                    ident::<DB>(table.name),
                    ident::<DB>(column.name),
                    comment(text)?
                ));
            }
        }
    }
    Ok(statements)
}

/// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (columns)`.
pub fn create_index_sql<DB: Backend>(
    table: &TableDescription,
    index: &super::description::IndexDescription,
    if_not_exists: bool,
) -> String {
    format!(
        "CREATE {}INDEX {}{} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        ident::<DB>(index.name),
        ident::<DB>(table.name),
        idents::<DB>(index.columns)
    )
}

/// `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY …`.
pub fn add_foreign_key_sql<DB: Backend>(
    table: &TableDescription,
    fk: &ForeignKeyDescription,
) -> String {
    format!(
        "ALTER TABLE {} ADD {}",
        ident::<DB>(table.name),
        foreign_key_clause::<DB>(table, fk)
    )
}

/// `ALTER TABLE … DROP CONSTRAINT fk` (or `DROP FOREIGN KEY` on MySQL).
pub fn drop_foreign_key_sql<DB: SchemaDialect>(
    table: &TableDescription,
    fk: &ForeignKeyDescription,
) -> String {
    format!(
        "ALTER TABLE {} {} {}",
        ident::<DB>(table.name),
        DB::DROP_FOREIGN_KEY,
        ident::<DB>(&foreign_key_name(table, fk))
    )
}

/// `DROP TABLE [IF EXISTS] table`.
pub fn drop_table_sql<DB: Backend>(table: &TableDescription, if_exists: bool) -> String {
    format!(
        "DROP TABLE {}{}",
        if if_exists { "IF EXISTS " } else { "" },
        ident::<DB>(table.name)
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
        TypeKind::Custom(name) => name.into(),
        TypeKind::Array(_) | TypeKind::Unsigned(_) => {
            return Err(unsupported(column, "this backend"));
        }
    })
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
