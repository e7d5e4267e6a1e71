//! Comparing a declared schema with a live one: the changes that reconcile them, each with
//! its DDL and how safe it is to run (SQLAlchemy's Alembic autogenerate, with the safety
//! labels of migra and Atlas).
//!
//! Renames are never guessed: a column that disappears while one of the same type appears is
//! reported as a drop and an add, with a hint; pass the rename in [`DiffOptions::renames`] to
//! get `RENAME COLUMN` instead.

mod ddl;
mod table;

use ddl::create_table_sql;
use table::table_diff;

use std::collections::BTreeSet;
use std::fmt;

use crate::schema::ddl::{StringEscapes, ident, qualified};

use super::model::ReflectedTable;
use super::{ReflectDialect, ReflectedSchema};

/// How much care a change needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Safety {
    /// Adds something; no row is touched or refused.
    Safe,
    /// May fail on the rows there are (a new NOT NULL, a new key or check), may take a long
    /// lock, or rebuilds a table.
    NeedsCare,
    /// Loses data: a dropped table or column, a narrower type.
    Destructive,
}

impl fmt::Display for Safety {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Safety::Safe => "safe",
            Safety::NeedsCare => "needs-care",
            Safety::Destructive => "destructive",
        })
    }
}

/// What a [`Change`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// `CREATE TYPE … AS ENUM` or `CREATE SEQUENCE`.
    CreateType,
    /// `DROP TYPE` or `DROP SEQUENCE` of one the declaration does not have.
    DropType,
    /// `CREATE TABLE`, with its indexes and comments.
    CreateTable,
    /// `DROP TABLE`.
    DropTable,
    /// `ADD COLUMN`.
    AddColumn,
    /// `DROP COLUMN`.
    DropColumn,
    /// `RENAME COLUMN`, asked for in [`DiffOptions::renames`].
    RenameColumn,
    /// A column's type, nullability, default, comment or generation changes.
    AlterColumn,
    /// The primary key changes.
    AlterPrimaryKey,
    /// SQLite: the table is created anew and its rows copied, for what `ALTER TABLE` cannot do.
    RebuildTable,
    /// `ADD CONSTRAINT … FOREIGN KEY`.
    AddForeignKey,
    /// `DROP CONSTRAINT` of a foreign key.
    DropForeignKey,
    /// A `UNIQUE` constraint or unique index added.
    AddUnique,
    /// A `UNIQUE` constraint or unique index dropped.
    DropUnique,
    /// `CREATE INDEX`.
    CreateIndex,
    /// `DROP INDEX`.
    DropIndex,
    /// `ADD CONSTRAINT … CHECK`.
    AddCheck,
    /// A table comment.
    Comment,
}

/// One difference between the declared schema and the database, and the DDL that makes the
/// database match the declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What it does.
    pub kind: ChangeKind,
    /// The table it is about (`schema.name`), or the type's name.
    pub table: String,
    /// What differs, in words.
    pub description: String,
    /// How much care it needs.
    pub safety: Safety,
    /// The statements, in order. Empty when the change cannot be written as DDL here (the
    /// description says what to do).
    pub sql: Vec<String>,
    /// The order changes run in: drops of keys and indexes, new types, new tables, column
    /// changes, dropped columns, dropped tables, then new keys, indexes and checks.
    phase: u8,
}

/// What [`diff`] is told beyond the two schemas.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Column renames: `(table, old name, new name)`.
    pub renames: Vec<(String, String, String)>,
    /// Tables of the database left alone (a migration history table, tables of another
    /// application).
    pub ignore_tables: Vec<String>,
}

/// The differences, in the order their DDL runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaDiff {
    /// The changes.
    pub changes: Vec<Change>,
    /// Possible renames, reported as a drop and an add until asked for.
    pub rename_hints: Vec<String>,
}

impl SchemaDiff {
    /// Whether the database matches the declaration.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Every statement, in order.
    pub fn sql(&self) -> Vec<String> {
        self.changes.iter().flat_map(|c| c.sql.clone()).collect()
    }

    /// The least safe change's safety, `None` when there are no changes.
    pub fn worst(&self) -> Option<Safety> {
        self.changes.iter().map(|c| c.safety).max()
    }
}

impl fmt::Display for SchemaDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            writeln!(f, "-- the database matches the declared schema")?;
        }
        for change in &self.changes {
            writeln!(
                f,
                "-- [{}] {}: {}",
                change.safety, change.table, change.description
            )?;
            for statement in &change.sql {
                writeln!(f, "{statement};")?;
            }
        }
        for hint in &self.rename_hints {
            writeln!(f, "-- hint: {hint}")?;
        }
        Ok(())
    }
}

/// The changes that make database `live` match `declared`, as database `DB` writes them.
/// `declared` comes from [`super::declared_schema`] (or a schema file); `live` from
/// [`super::Inspect::reflect_schema`].
pub fn diff<DB: ReflectDialect>(
    declared: &ReflectedSchema,
    live: &ReflectedSchema,
    options: &DiffOptions,
) -> SchemaDiff {
    let mut out = SchemaDiff::default();
    for e in &declared.enums {
        match live.enums.iter().find(|l| l.name == e.name) {
            None => out.changes.push(change(
                ChangeKind::CreateType,
                &e.name,
                "enum type to create".into(),
                Safety::Safe,
                vec![format!(
                    "CREATE TYPE {} AS ENUM ({})",
                    ident::<DB>(&e.name),
                    e.labels
                        .iter()
                        .map(|l| literal::<DB>(l))
                        .collect::<Vec<_>>()
                        .join(", ")
                )],
                2,
            )),
            Some(l) => {
                let missing: Vec<&String> =
                    e.labels.iter().filter(|x| !l.labels.contains(x)).collect();
                if !missing.is_empty() {
                    out.changes.push(change(
                        ChangeKind::CreateType,
                        &e.name,
                        format!("enum labels to add: {missing:?}"),
                        Safety::Safe,
                        missing
                            .iter()
                            .map(|x| {
                                format!(
                                    "ALTER TYPE {} ADD VALUE {}",
                                    ident::<DB>(&e.name),
                                    literal::<DB>(x)
                                )
                            })
                            .collect(),
                        2,
                    ));
                }
            }
        }
    }
    for s in &declared.sequences {
        if !live.sequences.contains(s) {
            out.changes.push(change(
                ChangeKind::CreateType,
                s,
                "sequence to create".into(),
                Safety::Safe,
                vec![format!("CREATE SEQUENCE {}", ident::<DB>(s))],
                2,
            ));
        }
    }
    let ignored = |t: &ReflectedTable| options.ignore_tables.contains(&t.name);
    for d in declared.tables.iter().filter(|t| !ignored(t)) {
        match live
            .tables
            .iter()
            .find(|l| l.name == d.name && l.schema == d.schema)
        {
            None => {
                out.changes.push(change(
                    ChangeKind::CreateTable,
                    &d.qualified_name(),
                    "table to create".into(),
                    Safety::Safe,
                    create_table_sql::<DB>(d),
                    3,
                ));
                if !d.deferred_sql.is_empty() {
                    out.changes.push(change(
                        ChangeKind::AddForeignKey,
                        &d.qualified_name(),
                        "foreign keys closing a cycle of new tables, added once they all exist"
                            .into(),
                        Safety::Safe,
                        d.deferred_sql.clone(),
                        7,
                    ));
                }
            }
            Some(l) => table_diff::<DB>(d, l, options, &mut out),
        }
    }
    let mut dropped: Vec<&ReflectedTable> = live
        .tables
        .iter()
        .filter(|l| !ignored(l) && l.kind == super::RelationKind::BaseTable)
        .filter(|l| {
            !declared
                .tables
                .iter()
                .any(|d| d.name == l.name && d.schema == l.schema)
        })
        .collect();
    // A table goes before the dropped tables it references (a cycle is taken as it comes).
    let mut ordered: Vec<&ReflectedTable> = Vec::with_capacity(dropped.len());
    while !dropped.is_empty() {
        let referenced = |t: &ReflectedTable, rest: &[&ReflectedTable]| {
            rest.iter().any(|other| {
                other.name != t.name
                    && other
                        .foreign_keys
                        .iter()
                        .any(|fk| fk.foreign_table == t.name)
            })
        };
        let next = (0..dropped.len())
            .find(|&i| !referenced(dropped[i], &dropped))
            .unwrap_or(0);
        ordered.push(dropped.remove(next));
    }
    let dropped = ordered;
    for l in dropped {
        if let Some(d) = declared
            .tables
            .iter()
            .filter(|d| !live.tables.iter().any(|x| x.name == d.name))
            .find(|d| same_columns(d, l))
        {
            out.rename_hints.push(format!(
                "table `{}` may have been renamed to `{}` (the same columns); rename it by hand \
                 (ALTER TABLE … RENAME TO …) to keep its rows",
                l.name, d.name
            ));
        }
        out.changes.push(change(
            ChangeKind::DropTable,
            &l.qualified_name(),
            "table not declared: to drop".into(),
            Safety::Destructive,
            vec![format!("DROP TABLE {}", table_name::<DB>(l))],
            6,
        ));
    }
    // Types and sequences go once no table uses them.
    for e in live
        .enums
        .iter()
        .filter(|l| !declared.enums.iter().any(|d| d.name == l.name))
    {
        out.changes.push(change(
            ChangeKind::DropType,
            &e.name,
            "enum type not declared: to drop".into(),
            Safety::NeedsCare,
            vec![format!("DROP TYPE {}", ident::<DB>(&e.name))],
            6,
        ));
    }
    for s in live
        .sequences
        .iter()
        .filter(|s| !declared.sequences.contains(s))
    {
        out.changes.push(change(
            ChangeKind::DropType,
            s,
            "sequence not declared: to drop".into(),
            Safety::Destructive,
            vec![format!("DROP SEQUENCE {}", ident::<DB>(s))],
            6,
        ));
    }
    out.changes.sort_by_key(|c| c.phase);
    out
}

fn same_columns(a: &ReflectedTable, b: &ReflectedTable) -> bool {
    let names = |t: &ReflectedTable| {
        t.columns
            .iter()
            .map(|c| c.name.clone())
            .collect::<BTreeSet<_>>()
    };
    names(a) == names(b)
}

pub(super) fn change(
    kind: ChangeKind,
    table: &str,
    description: String,
    safety: Safety,
    sql: Vec<String>,
    phase: u8,
) -> Change {
    Change {
        kind,
        table: table.to_owned(),
        description,
        safety,
        sql,
        phase,
    }
}

pub(super) fn literal<DB: ReflectDialect>(text: &str) -> String {
    DB::string_literal(text, StringEscapes::Standard).unwrap_or_else(|_| format!("'{text}'"))
}

pub(super) fn table_name<DB: ReflectDialect>(t: &ReflectedTable) -> String {
    qualified::<DB>(t.schema.as_deref(), &t.name)
}

pub(super) fn idents<DB: ReflectDialect>(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident::<DB>(n))
        .collect::<Vec<_>>()
        .join(", ")
}
