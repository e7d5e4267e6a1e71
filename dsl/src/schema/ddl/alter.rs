//! DDL on what exists: constraints added and dropped, comments set, schemas created and
//! dropped.

use crate::error::{Error, ErrorKind, QueryResult};
use crate::schema::description::{
    CheckDescription, ColumnDescription, ForeignKeyDescription, TableDescription,
};
use crate::schema::naming::{NamingConvention, check_name_length};

use super::{
    CommentStyle, SchemaDialect, StringEscapes, column_sql, constraint, foreign_key_clause, ident,
    table_ident,
};

/// `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY …`.
pub fn add_foreign_key_sql<DB: SchemaDialect>(
    table: &TableDescription,
    fk: &ForeignKeyDescription,
    names: &NamingConvention,
) -> QueryResult<String> {
    refuse_alter_add::<DB>(table)?;
    Ok(format!(
        "ALTER TABLE {} ADD {}",
        table_ident::<DB>(table),
        foreign_key_clause::<DB>(table, fk, names)?
    ))
}

/// `ALTER TABLE … ADD CONSTRAINT … CHECK (…)`: one of the table's declared checks, added to a
/// table that exists.
pub fn add_check_sql<DB: SchemaDialect>(
    table: &TableDescription,
    check: &CheckDescription,
    names: &NamingConvention,
) -> QueryResult<String> {
    Ok(format!(
        "ALTER TABLE {} ADD {}CHECK ({})",
        table_ident::<DB>(table),
        constraint::<DB>(names.check_name(table, check)?)?,
        check.sql
    ))
}

/// `ALTER TABLE … DROP CONSTRAINT fk` (or `DROP FOREIGN KEY` on MySQL).
pub fn drop_foreign_key_sql<DB: SchemaDialect>(
    table: &TableDescription,
    fk: &ForeignKeyDescription,
    names: &NamingConvention,
) -> String {
    format!(
        "ALTER TABLE {} {} {}",
        table_ident::<DB>(table),
        DB::DROP_FOREIGN_KEY,
        ident::<DB>(&names.foreign_key_name(table, fk))
    )
}

/// `CREATE SCHEMA [IF NOT EXISTS] name` (a database, on MySQL); SQLite has no schemas (it
/// attaches database files instead).
pub fn create_schema_sql<DB: SchemaDialect>(
    name: &str,
    if_not_exists: bool,
) -> QueryResult<String> {
    if !DB::SCHEMAS {
        return Err(Error::new(
            ErrorKind::InvalidQuery,
            format!(
                "{} has no schemas (`CREATE SCHEMA {name}`); attach a database file instead",
                DB::DATABASE
            ),
        ));
    }
    check_name_length(name, DB::MAX_NAME_LENGTH, DB::DATABASE)?;
    Ok(format!(
        "CREATE SCHEMA {}{}",
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        ident::<DB>(name)
    ))
}

/// `DROP SCHEMA [IF EXISTS] name` — only an empty one: without `CASCADE`, a schema that still
/// holds tables is an error, never a silent loss.
pub fn drop_schema_sql<DB: SchemaDialect>(name: &str, if_exists: bool) -> QueryResult<String> {
    if !DB::SCHEMAS {
        return Err(Error::new(
            ErrorKind::InvalidQuery,
            format!("{} has no schemas (`DROP SCHEMA {name}`)", DB::DATABASE),
        ));
    }
    Ok(format!(
        "DROP SCHEMA {}{}",
        if if_exists { "IF EXISTS " } else { "" },
        ident::<DB>(name)
    ))
}

/// Sets a table's comment on a table that exists: `COMMENT ON TABLE … IS …` (PostgreSQL),
/// `ALTER TABLE … COMMENT = …` (MySQL). SQLite keeps no comments: an error.
pub fn comment_on_table_sql<DB: SchemaDialect>(
    table: &TableDescription,
    text: &str,
    escapes: StringEscapes,
) -> QueryResult<String> {
    let literal = DB::comment_literal(text, escapes)?;
    match DB::COMMENTS {
        CommentStyle::None => Err(no_comments::<DB>(table)),
        CommentStyle::Statements => Ok(format!(
            "COMMENT ON TABLE {} IS {literal}",
            table_ident::<DB>(table)
        )),
        CommentStyle::Inline => Ok(format!(
            "ALTER TABLE {} COMMENT = {literal}",
            table_ident::<DB>(table)
        )),
    }
}

/// Sets a column's comment on a table that exists: `COMMENT ON COLUMN t.c IS …` (PostgreSQL);
/// on MySQL, which keeps the comment in the column's definition, `ALTER TABLE t MODIFY c …`
/// with the column as declared (type, nullability, default, check) and the comment.
pub fn comment_on_column_sql<DB: SchemaDialect>(
    table: &TableDescription,
    column: &ColumnDescription,
    text: &str,
    escapes: StringEscapes,
) -> QueryResult<String> {
    let literal = DB::comment_literal(text, escapes)?;
    match DB::COMMENTS {
        CommentStyle::None => Err(no_comments::<DB>(table)),
        CommentStyle::Statements => Ok(format!(
            "COMMENT ON COLUMN {}.{} IS {literal}",
            table_ident::<DB>(table),
            ident::<DB>(column.name)
        )),
        CommentStyle::Inline => {
            let mut definition = column_sql::<DB>(table, column, escapes)?;
            if let Some(check) = column.check {
                definition.push_str(&format!(" CHECK ({check})"));
            }
            Ok(format!(
                "ALTER TABLE {} MODIFY {definition} COMMENT {literal}",
                table_ident::<DB>(table)
            ))
        }
    }
}

fn no_comments<DB: SchemaDialect>(table: &TableDescription) -> Error {
    Error::new(
        ErrorKind::InvalidQuery,
        format!(
            "{} keeps no comments (table `{}`); keep them in the `table!` declaration",
            DB::DATABASE,
            table.name
        ),
    )
}

/// SQLite adds only CHECK constraints to a table that exists (3.53 and later): a table is
/// rebuilt to get a new foreign key.
fn refuse_alter_add<DB: SchemaDialect>(table: &TableDescription) -> QueryResult<()> {
    if DB::ALTER_ADD_FOREIGN_KEY {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::InvalidQuery,
        format!(
            "{} cannot add a foreign key to a table that exists (`{}`): create the table with \
             it, or copy the rows into a new table that has it",
            DB::DATABASE,
            table.name
        ),
    ))
}
