//! `CREATE INDEX` and `DROP INDEX`: plain, unique, partial, on expressions, with a method.

use crate::error::QueryResult;
use crate::schema::description::{IndexDescription, TableDescription};
use crate::schema::naming::check_name_length;

use super::{IndexUsing, SchemaDialect, ident, lacks, qualified, table_ident};

/// `(columns, expressions) [USING …] [WHERE …]` of an index, as the backend writes it.
pub(super) fn index_body<DB: SchemaDialect>(
    table: &TableDescription,
    index: &IndexDescription,
) -> QueryResult<String> {
    let prefix = match (DB::INDEX_USING, index.mysql_length) {
        (IndexUsing::MysqlUsing, Some(length)) => format!("({length})"),
        _ => String::new(),
    };
    let mut parts: Vec<String> = index
        .columns
        .iter()
        .map(|c| format!("{}{prefix}", ident::<DB>(c)))
        .collect();
    parts.extend(index.expressions.iter().map(|e| format!("({e})")));
    let mut body = format!("({})", parts.join(", "));
    match DB::INDEX_USING {
        IndexUsing::None => {}
        IndexUsing::PostgresqlUsing => {
            if let Some(method) = index.postgresql_using {
                body = format!("USING {method} {body}");
            }
        }
        IndexUsing::MysqlUsing => {
            if let Some(method) = index.mysql_using {
                body = format!("{body} USING {method}");
            }
        }
    }
    if let Some(condition) = index.where_sql {
        if !DB::PARTIAL_INDEXES {
            return Err(lacks(DB::DATABASE, "partial indexes (`where = …`)", table));
        }
        body.push_str(&format!(" WHERE {condition}"));
    }
    Ok(body)
}

/// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table [USING m] (columns) [WHERE …]`.
pub fn create_index_sql<DB: SchemaDialect>(
    table: &TableDescription,
    index: &IndexDescription,
    if_not_exists: bool,
) -> QueryResult<String> {
    check_name_length(index.name, DB::MAX_NAME_LENGTH, DB::DATABASE)?;
    // SQLite names the schema on the index and the table bare; the others, on the table.
    let (name, on) = if DB::SCHEMA_ON_INDEX_NAME {
        (
            qualified::<DB>(table.schema, index.name),
            ident::<DB>(table.name),
        )
    } else {
        (ident::<DB>(index.name), table_ident::<DB>(table))
    };
    Ok(format!(
        "CREATE {}INDEX {}{name} ON {on} {}",
        if index.unique { "UNIQUE " } else { "" },
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        index_body::<DB>(table, index)?
    ))
}

/// `DROP INDEX [IF EXISTS] name` (`… ON table` on MySQL).
pub fn drop_index_sql<DB: SchemaDialect>(
    table: &TableDescription,
    index: &IndexDescription,
    if_exists: bool,
) -> String {
    // An index lives in its table's schema: named through it, or through the table on MySQL.
    let name = if DB::DROP_INDEX_ON_TABLE {
        ident::<DB>(index.name)
    } else {
        qualified::<DB>(table.schema, index.name)
    };
    let mut sql = format!(
        "DROP INDEX {}{name}",
        if if_exists { "IF EXISTS " } else { "" },
    );
    if DB::DROP_INDEX_ON_TABLE {
        sql.push_str(" ON ");
        sql.push_str(&table_ident::<DB>(table));
    }
    sql
}
