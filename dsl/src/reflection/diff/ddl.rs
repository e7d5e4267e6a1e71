//! The DDL of the changes: columns, tables and indexes written from declared or reflected
//! descriptions, in the database's own spelling, and SQLite's table rebuild.

use crate::schema::ddl::{CommentStyle, generated_clause, ident, qualified};

use super::super::model::{
    ColumnType, ReflectedColumn, ReflectedForeignKey, ReflectedIndex, ReflectedTable,
};
use super::super::{AlterColumnStyle, ReflectDialect};
use super::{Change, ChangeKind, Safety, change, idents, literal, table_name};

/// A column's definition: as declared, or written from what reflection read.
pub(super) fn column_definition<DB: ReflectDialect>(c: &ReflectedColumn) -> String {
    if let Some(definition) = &c.definition {
        return definition.clone();
    }
    let serial = match (&c.column_type, c.auto_increment, DB::ALTER_COLUMN) {
        (ColumnType::SmallInt, true, AlterColumnStyle::Clauses) => Some("SMALLSERIAL"),
        (ColumnType::Integer, true, AlterColumnStyle::Clauses) => Some("SERIAL"),
        (ColumnType::BigInt, true, AlterColumnStyle::Clauses) => Some("BIGSERIAL"),
        _ => None,
    };
    let mut sql = format!("{} {}", ident::<DB>(&c.name), serial.unwrap_or(&c.sql_type));
    if let Some(generated) = &c.generated {
        sql.push_str(&generated_clause(&generated.sql, generated.stored));
    }
    if !c.nullable {
        sql.push_str(" NOT NULL");
    }
    if let Some(default) = c.default.as_ref().filter(|_| c.generated.is_none()) {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if c.auto_increment && DB::ALTER_COLUMN == AlterColumnStyle::Modify {
        sql.push_str(" AUTO_INCREMENT");
    }
    if let (Some(comment), CommentStyle::Inline) = (&c.comment, DB::COMMENTS) {
        sql.push_str(&format!(" COMMENT {}", literal::<DB>(comment)));
    }
    sql
}

/// `[CONSTRAINT name] FOREIGN KEY (…) REFERENCES t (…) [ON DELETE …] [ON UPDATE …]
/// [DEFERRABLE INITIALLY …]`, in a `CREATE TABLE` or after `ALTER TABLE … ADD`.
pub(super) fn foreign_key_sql<DB: ReflectDialect>(fk: &ReflectedForeignKey) -> String {
    let mut sql = format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({})",
        fk.name
            .as_ref()
            .map(|n| format!("CONSTRAINT {} ", ident::<DB>(n)))
            .unwrap_or_default(),
        idents::<DB>(&fk.columns),
        qualified::<DB>(fk.foreign_schema.as_deref(), &fk.foreign_table),
        idents::<DB>(&fk.foreign_columns)
    );
    if let Some(action) = fk.on_delete {
        sql.push_str(&format!(" ON DELETE {}", action.sql()));
    }
    if let Some(action) = fk.on_update {
        sql.push_str(&format!(" ON UPDATE {}", action.sql()));
    }
    match fk.deferrable {
        Some(true) => sql.push_str(" DEFERRABLE INITIALLY DEFERRED"),
        Some(false) => sql.push_str(" DEFERRABLE INITIALLY IMMEDIATE"),
        None => {}
    }
    sql
}

/// The statements that create `t`: as declared, or written from what reflection read (to
/// put back a table a change would drop).
pub(super) fn create_table_sql<DB: ReflectDialect>(t: &ReflectedTable) -> Vec<String> {
    if !t.create_sql.is_empty() {
        return t.create_sql.clone();
    }
    let name = table_name::<DB>(t);
    let constraint = |n: &Option<String>| {
        n.as_ref()
            .map(|n| format!("CONSTRAINT {} ", ident::<DB>(n)))
            .unwrap_or_default()
    };
    let mut items: Vec<String> = t.columns.iter().map(column_definition::<DB>).collect();
    if !t.primary_key.is_empty() {
        items.push(format!("PRIMARY KEY ({})", idents::<DB>(&t.primary_key)));
    }
    for unique in &t.unique_constraints {
        items.push(format!(
            "{}UNIQUE ({})",
            constraint(&unique.name),
            idents::<DB>(&unique.columns)
        ));
    }
    for check in &t.checks {
        items.push(format!("{}CHECK ({})", constraint(&check.name), check.sql));
    }
    for fk in &t.foreign_keys {
        items.push(foreign_key_sql::<DB>(fk));
    }
    let mut create = format!("CREATE TABLE {name} (\n    {}\n)", items.join(",\n    "));
    if let (Some(comment), CommentStyle::Inline) = (&t.comment, DB::COMMENTS) {
        create.push_str(&format!(" COMMENT={}", literal::<DB>(comment)));
    }
    let mut statements = vec![create];
    statements.extend(t.indexes.iter().map(|i| create_index_sql::<DB>(&name, i)));
    if DB::COMMENTS == CommentStyle::Statements {
        if let Some(comment) = &t.comment {
            statements.push(format!(
                "COMMENT ON TABLE {name} IS {}",
                literal::<DB>(comment)
            ));
        }
        for c in &t.columns {
            if let Some(comment) = &c.comment {
                statements.push(format!(
                    "COMMENT ON COLUMN {name}.{} IS {}",
                    ident::<DB>(&c.name),
                    literal::<DB>(comment)
                ));
            }
        }
    }
    statements
}

pub(super) fn create_index_sql<DB: ReflectDialect>(t: &str, index: &ReflectedIndex) -> String {
    let entries: Vec<String> = index
        .columns
        .iter()
        .zip(index.expressions.iter().chain(std::iter::repeat(&false)))
        .map(|(c, expression)| {
            if *expression {
                format!("({c})")
            } else {
                ident::<DB>(c)
            }
        })
        .collect();
    let mut sql = format!(
        "CREATE {}INDEX {} ON {t} ({})",
        if index.unique { "UNIQUE " } else { "" },
        ident::<DB>(&index.name),
        entries.join(", ")
    );
    if let Some(condition) = &index.where_sql {
        sql.push_str(&format!(" WHERE {condition}"));
    }
    sql
}

pub(super) fn drop_index_sql<DB: ReflectDialect>(
    t: &str,
    table: &ReflectedTable,
    index: &str,
) -> String {
    if DB::DROP_INDEX_ON_TABLE {
        format!("DROP INDEX {} ON {t}", ident::<DB>(index))
    } else {
        format!(
            "DROP INDEX {}",
            qualified::<DB>(table.schema.as_deref(), index)
        )
    }
}

pub(super) fn alter_column_sql<DB: ReflectDialect>(
    t: &str,
    d: &ReflectedColumn,
    l: &ReflectedColumn,
) -> Vec<String> {
    let c = ident::<DB>(&d.name);
    if DB::ALTER_COLUMN == AlterColumnStyle::Modify {
        return vec![format!(
            "ALTER TABLE {t} MODIFY {}",
            d.definition
                .clone()
                .unwrap_or_else(|| format!("{c} {}", d.sql_type))
        )];
    }
    let mut sql = Vec::new();
    if !DB::same_type(&d.column_type, &l.column_type) {
        let ty = &d.sql_type;
        sql.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} TYPE {ty} USING {c}::{ty}"
        ));
    }
    if d.nullable != l.nullable {
        sql.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {c} {} NOT NULL",
            if d.nullable { "DROP" } else { "SET" }
        ));
    }
    let norm = |x: &Option<String>| x.as_deref().map(DB::normalize_default);
    if !d.auto_increment && norm(&d.default) != norm(&l.default) {
        sql.push(match &d.default {
            Some(default) => format!("ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {default}"),
            None => format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT"),
        });
    }
    if d.comment != l.comment {
        sql.push(match &d.comment {
            Some(text) => format!("COMMENT ON COLUMN {t}.{c} IS {}", literal::<DB>(text)),
            None => format!("COMMENT ON COLUMN {t}.{c} IS NULL"),
        });
    }
    sql
}

/// SQLite's way to change what `ALTER TABLE` cannot: create the table as declared under a
/// new name, copy the rows of the columns both have, drop the old table, rename the new one,
/// create its indexes. Run with foreign keys off (the migration runner does), or dropping the
/// old table would cascade to the rows that reference it.
pub(super) fn rebuild_table<DB: ReflectDialect>(
    d: &ReflectedTable,
    l: &ReflectedTable,
    renames: &[(&str, &str)],
    reasons: Vec<String>,
) -> Change {
    let t = table_name::<DB>(d);
    let temporary_name = format!("{}__philtre_rebuild", d.name);
    let temporary = qualified::<DB>(d.schema.as_deref(), &temporary_name);
    let mut sql = Vec::new();
    let statements = create_table_sql::<DB>(d);
    let mut create = statements.iter();
    if let Some(first) = create.next() {
        sql.push(first.replacen(&t, &temporary, 1));
    }
    let copied: Vec<(String, String)> = d
        .columns
        .iter()
        .filter(|c| c.generated.is_none())
        .filter_map(|c| {
            let old = renames
                .iter()
                .find(|(_, new)| *new == c.name)
                .map_or(c.name.as_str(), |(old, _)| *old);
            l.column(old)
                .map(|_| (ident::<DB>(&c.name), ident::<DB>(old)))
        })
        .collect();
    sql.push(format!(
        "INSERT INTO {temporary} ({}) SELECT {} FROM {t}",
        copied
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        copied
            .iter()
            .map(|(_, o)| o.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    sql.push(format!("DROP TABLE {t}"));
    sql.push(format!(
        "ALTER TABLE {temporary} RENAME TO {}",
        ident::<DB>(&d.name)
    ));
    sql.extend(create.cloned());
    let lost: Vec<&str> = l
        .columns
        .iter()
        .filter(|c| {
            !d.columns.iter().any(|x| x.name == c.name)
                && !renames.iter().any(|(old, _)| *old == c.name)
        })
        .map(|c| c.name.as_str())
        .collect();
    let safety = if lost.is_empty() {
        Safety::NeedsCare
    } else {
        Safety::Destructive
    };
    change(
        ChangeKind::RebuildTable,
        &d.qualified_name(),
        format!("rebuilt (SQLite cannot ALTER this): {}", reasons.join("; ")),
        safety,
        sql,
        4,
    )
}
