use philtre::QueryResult;
use philtre::schema::ddl::{enum_labels, standard_type, unsupported};
use philtre::schema::{AutoIncrement, ColumnDescription, CommentStyle, SchemaDialect, TypeKind};

use crate::Sqlite;

impl SchemaDialect for Sqlite {
    fn column_type(column: &ColumnDescription, _in_key: bool) -> QueryResult<String> {
        Ok(match column.kind {
            // Only `INTEGER PRIMARY KEY` makes SQLite generate the values (the rowid).
            TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt if column.auto_increment => {
                "INTEGER".into()
            }
            // NUMERIC affinity: a decimal is stored as a number, so it compares and orders as
            // one (a TEXT column would compare `'12.50' > 2.5` as text: false). SQLite keeps 15
            // significant digits of a REAL; philtre refuses to bind a decimal with more.
            TypeKind::Numeric => standard_type(column)?,
            TypeKind::Uuid | TypeKind::Json | TypeKind::Jsonb | TypeKind::Timestamptz => {
                "TEXT".into()
            }
            TypeKind::Array(_) | TypeKind::Unsigned(_) | TypeKind::Interval | TypeKind::Inet => {
                return Err(unsupported(column, "SQLite"));
            }
            // SQLite has no enumerated types: text that a CHECK keeps to the labels.
            TypeKind::Enum(description) => {
                let mut name = String::new();
                <Sqlite as philtre::backend::Backend>::push_identifier(&mut name, column.name);
                format!("TEXT CHECK ({name} IN ({}))", enum_labels(description)?)
            }
            _ => standard_type(column)?,
        })
    }

    /// A single-column primary key of declared type exactly `INTEGER` is SQLite's rowid, which
    /// the database fills in; `PRIMARY KEY (id)` then follows as for any table.
    fn auto_increment(column: &ColumnDescription) -> QueryResult<AutoIncrement> {
        match column.kind {
            TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt => {
                Ok(AutoIncrement::Type("INTEGER".into()))
            }
            _ => Err(unsupported(column, "SQLite's auto-increment")),
        }
    }

    const COMMENTS: CommentStyle = CommentStyle::None;
    const CONFLICT_CLAUSES: bool = true;
    // SQLite has no ALTER TABLE … ADD CONSTRAINT, but checks references only when rows are
    // written, so foreign keys stay inline even in a cycle.
    const ALTER_ADD_FOREIGN_KEY: bool = false;
    const DATABASE: &'static str = "SQLite";
    const SEQUENCES: bool = false;
    const SCHEMAS: bool = false;
    const SCHEMA_ON_INDEX_NAME: bool = true;
}
