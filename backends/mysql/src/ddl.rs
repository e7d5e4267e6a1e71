use philtre::QueryResult;
use philtre::schema::ddl::StringEscapes;
use philtre::schema::ddl::{enum_labels, unsupported};
use philtre::schema::{
    AutoIncrement, ColumnDescription, CommentStyle, IndexUsing, SchemaDialect, TypeKind,
};

use crate::Mysql;

fn base_type(column: &ColumnDescription, kind: TypeKind, in_key: bool) -> QueryResult<String> {
    Ok(match kind {
        TypeKind::Bool => "BOOLEAN".into(),
        TypeKind::SmallInt => "SMALLINT".into(),
        TypeKind::Integer => "INTEGER".into(),
        TypeKind::BigInt => "BIGINT".into(),
        TypeKind::Float => "FLOAT".into(),
        TypeKind::Double => "DOUBLE".into(),
        // MySQL indexes, keys and literal defaults need a bounded VARCHAR, not TEXT.
        TypeKind::Text => match column.max_length {
            Some(n) => format!("VARCHAR({n})"),
            None if in_key || column.default.is_some() => "VARCHAR(255)".into(),
            None => "TEXT".into(),
        },
        TypeKind::Binary => match column.max_length {
            Some(n) => format!("VARBINARY({n})"),
            None if in_key => "VARBINARY(255)".into(),
            None => "BLOB".into(),
        },
        TypeKind::Date => "DATE".into(),
        TypeKind::Time => "TIME(6)".into(),
        TypeKind::Timestamp | TypeKind::Timestamptz => "DATETIME(6)".into(),
        // A bare DECIMAL is DECIMAL(10, 0) in MySQL: keep fractions unless told otherwise.
        TypeKind::Numeric => match column.precision {
            Some((p, s)) => format!("DECIMAL({p}, {s})"),
            None => "DECIMAL(38, 10)".into(),
        },
        TypeKind::Uuid => "CHAR(36)".into(),
        TypeKind::Json => "JSON".into(),
        TypeKind::Unsigned(inner) => format!("{} UNSIGNED", base_type(column, *inner, in_key)?),
        TypeKind::Custom(name) => name.into(),
        TypeKind::Enum(description) => format!("ENUM({})", enum_labels(description)?),
        TypeKind::Jsonb | TypeKind::Array(_) | TypeKind::Interval | TypeKind::Inet => {
            return Err(unsupported(column, "MySQL"));
        }
    })
}

impl SchemaDialect for Mysql {
    fn column_type(column: &ColumnDescription, in_key: bool) -> QueryResult<String> {
        base_type(column, column.kind, in_key)
    }

    fn auto_increment(column: &ColumnDescription) -> QueryResult<AutoIncrement> {
        match column.kind {
            TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt | TypeKind::Unsigned(_) => {
                Ok(AutoIncrement::Suffix("AUTO_INCREMENT"))
            }
            _ => Err(unsupported(column, "MySQL's AUTO_INCREMENT")),
        }
    }

    /// `DATETIME(6)` needs a default of the same precision.
    fn current_timestamp(column: &ColumnDescription) -> &'static str {
        match column.kind {
            TypeKind::Timestamp | TypeKind::Timestamptz => "CURRENT_TIMESTAMP(6)",
            _ => "CURRENT_TIMESTAMP",
        }
    }

    const COMMENTS: CommentStyle = CommentStyle::Inline;
    const DATABASE: &'static str = "MySQL";
    const MAX_NAME_LENGTH: usize = 64;
    /// MySQL and MariaDB check every foreign key at once, and refuse `DEFERRABLE`.
    const DEFERRABLE_CONSTRAINTS: bool = false;
    const PARTIAL_INDEXES: bool = false;
    const INDEX_USING: IndexUsing = IndexUsing::MysqlUsing;
    /// MariaDB refuses `NOT NULL` on a generated column (its value is what the expression gives).
    const GENERATED_NOT_NULL: bool = false;
    const DROP_INDEX_ON_TABLE: bool = true;
    const INLINE_INDEXES: bool = true;
    const DROP_FOREIGN_KEY: &'static str = "DROP FOREIGN KEY";
    /// Unless the session runs with `NO_BACKSLASH_ESCAPES` (the connection says which).
    const DEFAULT_STRING_ESCAPES: StringEscapes = StringEscapes::Backslash;

    /// MySQL and MariaDB keep comments in 3-byte UTF-8, which stores a character outside the
    /// Basic Multilingual Plane (an emoji) as `?`: refused here rather than changed there.
    fn comment_literal(text: &str, escapes: StringEscapes) -> QueryResult<String> {
        if let Some(c) = text.chars().find(|c| c.len_utf8() > 3) {
            return Err(philtre::Error::new(
                philtre::ErrorKind::InvalidQuery,
                format!(
                    "the comment {text:?} has {c:?}, which MySQL cannot keep in a comment (comments are 3-byte UTF-8; it would be stored as `?`)"
                ),
            ));
        }
        Self::string_literal(text, escapes)
    }
}
