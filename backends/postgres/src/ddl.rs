use philtre::QueryResult;
use philtre::schema::ddl::{StringEscapes, refuse_nul, standard_type, unsupported};
use philtre::schema::{
    AutoIncrement, ColumnDescription, CommentStyle, IndexUsing, SchemaDialect, TypeKind,
};

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
            // The type `CREATE TYPE … AS ENUM` made (`Schema::create_all` makes it first).
            TypeKind::Enum(description) => {
                let mut name = String::new();
                <Pg as philtre::backend::Backend>::push_identifier(&mut name, description.name);
                name
            }
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
    const DATABASE: &'static str = "PostgreSQL";
    const ENUM_TYPES: bool = true;
    /// `NAMEDATALEN - 1`; PostgreSQL cuts longer names without an error.
    const MAX_NAME_LENGTH: usize = 63;
    const INDEX_USING: IndexUsing = IndexUsing::PostgresqlUsing;
    /// PostgreSQL 15 computes generated columns only when a row is written (`STORED`).
    const VIRTUAL_GENERATED_COLUMNS: bool = false;

    /// A text with a backslash is written as `E'…'` with the backslash doubled, which reads the
    /// same whether `standard_conforming_strings` is on (the default) or off.
    fn string_literal(text: &str, _: StringEscapes) -> QueryResult<String> {
        refuse_nul(text)?;
        let escaped = text.contains('\\');
        let mut out = String::with_capacity(text.len() + 3);
        out.push_str(if escaped { "E'" } else { "'" });
        for c in text.chars() {
            match c {
                '\'' => out.push_str("''"),
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        out.push('\'');
        Ok(out)
    }
}
