use philtre::QueryResult;
use philtre::schema::ddl::{standard_type, unsupported};
use philtre::schema::{AutoIncrement, ColumnDescription, CommentStyle, SchemaDialect, TypeKind};

use crate::Pg;

fn element_type(kind: &TypeKind, column: &ColumnDescription) -> QueryResult<String> {
    standard_type(&ColumnDescription {
        kind: *kind,
        ..*column
    })
}

impl SchemaDialect for Pg {
    fn column_type(column: &ColumnDescription, _in_key: bool) -> QueryResult<String> {
        Ok(match column.kind {
            TypeKind::Binary => "BYTEA".into(),
            TypeKind::Array(element) => format!("{}[]", element_type(element, column)?),
            TypeKind::Unsigned(_) => return Err(unsupported(column, "PostgreSQL")),
            _ => standard_type(column)?,
        })
    }

    fn auto_increment(column: &ColumnDescription) -> QueryResult<AutoIncrement> {
        Ok(AutoIncrement::Type(
            match column.kind {
                TypeKind::SmallInt => "SMALLSERIAL",
                TypeKind::Integer => "SERIAL",
                TypeKind::BigInt => "BIGSERIAL",
                _ => return Err(unsupported(column, "PostgreSQL's SERIAL")),
            }
            .into(),
        ))
    }

    const COMMENTS: CommentStyle = CommentStyle::Statements;
}
