//! Comparing a declared schema with a live one: the changes that reconcile them, each with
//! its DDL and how safe it is to run (SQLAlchemy's Alembic autogenerate, with the safety
//! labels of migra and Atlas).
//!
//! Renames are never guessed: a column that disappears while one of the same type appears is
//! reported as a drop and an add, with a hint; pass the rename in [`DiffOptions::renames`] to
//! get `RENAME COLUMN` instead.

use std::collections::BTreeSet;
use std::fmt;

use crate::schema::ddl::{CommentStyle, StringEscapes, ident, qualified};

use super::model::{ColumnType, ReflectedColumn, ReflectedIndex, ReflectedTable};
use super::{AlterColumnStyle, ReflectDialect, ReflectedSchema};

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
    let ignored = |t: &ReflectedTable| options.ignore_tables.iter().any(|i| *i == t.name);
    for d in declared.tables.iter().filter(|t| !ignored(t)) {
        match live
            .tables
            .iter()
            .find(|l| l.name == d.name && l.schema == d.schema)
        {
            None => out.changes.push(change(
                ChangeKind::CreateTable,
                &d.qualified_name(),
                "table to create".into(),
                Safety::Safe,
                d.create_sql.clone(),
                3,
            )),
            Some(l) => table_diff::<DB>(d, l, options, &mut out),
        }
    }
    let mut dropped: Vec<&ReflectedTable> = live
        .tables
        .iter()
        .filter(|l| !ignored(l) && l.kind == super::RelationKind::Table)
        .filter(|l| {
            !declared
                .tables
                .iter()
                .any(|d| d.name == l.name && d.schema == l.schema)
        })
        .collect();
    // A table that references another dropped table goes first.
    dropped.sort_by_key(|t| {
        std::cmp::Reverse(
            t.foreign_keys
                .iter()
                .filter(|fk| fk.foreign_table != t.name)
                .count(),
        )
    });
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

fn change(
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

fn literal<DB: ReflectDialect>(text: &str) -> String {
    DB::string_literal(text, StringEscapes::Standard).unwrap_or_else(|_| format!("'{text}'"))
}

fn table_name<DB: ReflectDialect>(t: &ReflectedTable) -> String {
    qualified::<DB>(t.schema.as_deref(), &t.name)
}

fn idents<DB: ReflectDialect>(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident::<DB>(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What differs between two columns of the same name, in words.
fn column_differences<DB: ReflectDialect>(d: &ReflectedColumn, l: &ReflectedColumn) -> Vec<String> {
    let mut what = Vec::new();
    if d.column_type != l.column_type {
        what.push(format!("type {} → {}", l.sql_type, d.sql_type));
    }
    if d.nullable != l.nullable {
        what.push(if d.nullable {
            "NULL allowed".into()
        } else {
            "NOT NULL".into()
        });
    }
    if d.auto_increment != l.auto_increment {
        what.push(format!(
            "auto-increment {}",
            if d.auto_increment { "added" } else { "removed" }
        ));
    } else if !d.auto_increment {
        let norm = |x: &Option<String>| x.as_deref().map(DB::normalize_default);
        if norm(&d.default) != norm(&l.default) {
            what.push(format!(
                "default {} → {}",
                l.default.as_deref().unwrap_or("none"),
                d.default.as_deref().unwrap_or("none")
            ));
        }
    }
    if d.generated.as_ref().map(|g| g.stored) != l.generated.as_ref().map(|g| g.stored) {
        what.push("generated expression".into());
    }
    if d.comment != l.comment && DB::COMMENTS != CommentStyle::None {
        what.push("comment".into());
    }
    what
}

/// Whether the new type holds every value of the old one.
fn widens(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType::*;
    let rank = |t: &ColumnType| match t {
        SmallInt => Some(1),
        Integer => Some(2),
        BigInt => Some(3),
        _ => None,
    };
    match (from, to) {
        (Text { max_length: a }, Text { max_length: b })
        | (Binary { max_length: a }, Binary { max_length: b }) => match (a, b) {
            (_, None) => true,
            (Some(a), Some(b)) => b >= a,
            (None, Some(_)) => false,
        },
        (Float, Double) => true,
        _ => matches!((rank(from), rank(to)), (Some(a), Some(b)) if b >= a),
    }
}

/// The live name of a declared column: its old name when it is being renamed.
fn live_name(renames: &[(&str, &str)], declared: &str) -> String {
    renames
        .iter()
        .find(|(_, new)| *new == declared)
        .map_or(declared, |(old, _)| *old)
        .to_owned()
}

fn table_diff<DB: ReflectDialect>(
    d: &ReflectedTable,
    l: &ReflectedTable,
    options: &DiffOptions,
    out: &mut SchemaDiff,
) {
    let name = d.qualified_name();
    let t = table_name::<DB>(d);
    let rebuild = DB::ALTER_COLUMN == AlterColumnStyle::Rebuild;
    // Changes SQLite cannot make with ALTER TABLE: the table is rebuilt once for all of them.
    let mut needs_rebuild: Vec<String> = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    let renames: Vec<(&str, &str)> = options
        .renames
        .iter()
        .filter(|(table, ..)| *table == d.name)
        .map(|(_, old, new)| (old.as_str(), new.as_str()))
        .collect();
    let live_name_of = |declared: &str| live_name(&renames, declared);

    // Columns.
    let mut added = Vec::new();
    for dc in &d.columns {
        let old = live_name_of(&dc.name);
        match l.column(&old) {
            None => added.push(dc),
            Some(lc) => {
                if old != dc.name {
                    changes.push(change(
                        ChangeKind::RenameColumn,
                        &name,
                        format!("column `{old}` renamed to `{}`", dc.name),
                        Safety::NeedsCare,
                        vec![format!(
                            "ALTER TABLE {t} RENAME COLUMN {} TO {}",
                            ident::<DB>(&old),
                            ident::<DB>(&dc.name)
                        )],
                        4,
                    ));
                }
                let what = column_differences::<DB>(dc, lc);
                if what.is_empty() {
                    continue;
                }
                let type_changed = dc.column_type != lc.column_type;
                let safety = if (type_changed && !widens(&lc.column_type, &dc.column_type))
                    || dc.generated.is_some() != lc.generated.is_some()
                {
                    Safety::Destructive
                } else if type_changed
                    || (!dc.nullable && lc.nullable)
                    || dc.auto_increment != lc.auto_increment
                {
                    Safety::NeedsCare
                } else {
                    Safety::Safe
                };
                let description = format!("column `{}`: {}", dc.name, what.join(", "));
                if rebuild {
                    needs_rebuild.push(description);
                    continue;
                }
                let sql = alter_column_sql::<DB>(&t, dc, lc);
                changes.push(change(
                    ChangeKind::AlterColumn,
                    &name,
                    description,
                    safety,
                    sql,
                    4,
                ));
            }
        }
    }
    let dropped: Vec<&ReflectedColumn> = l
        .columns
        .iter()
        .filter(|lc| !d.columns.iter().any(|dc| live_name_of(&dc.name) == lc.name))
        .collect();
    for dc in &added {
        if let Some(lc) = dropped.iter().find(|lc| lc.column_type == dc.column_type) {
            out.rename_hints.push(format!(
                "`{name}.{}` may have been renamed to `{}` (same type): pass the rename \
                 (`--rename {}.{}={}`) to keep its values",
                lc.name, dc.name, d.name, lc.name, dc.name
            ));
        }
        let refused_by_rows =
            !dc.nullable && dc.default.is_none() && !dc.auto_increment && dc.generated.is_none();
        let safety = if refused_by_rows {
            Safety::NeedsCare
        } else {
            Safety::Safe
        };
        let description = format!(
            "column `{}` to add{}",
            dc.name,
            if refused_by_rows {
                " (NOT NULL without a default: fails if the table has rows)"
            } else {
                ""
            }
        );
        // SQLite adds a column only without a key, a UNIQUE or a stored expression.
        if rebuild
            && (refused_by_rows
                || dc.generated.as_ref().is_some_and(|g| g.stored)
                || d.primary_key.contains(&dc.name))
        {
            needs_rebuild.push(description);
            continue;
        }
        let definition = dc.definition.clone().unwrap_or_else(|| dc.name.clone());
        changes.push(change(
            ChangeKind::AddColumn,
            &name,
            description,
            safety,
            vec![format!("ALTER TABLE {t} ADD COLUMN {definition}")],
            4,
        ));
    }
    for lc in &dropped {
        let description = format!(
            "column `{}` not declared: to drop (its values are lost)",
            lc.name
        );
        let in_constraint = l.primary_key.contains(&lc.name)
            || l.foreign_keys
                .iter()
                .any(|fk| fk.columns.contains(&lc.name))
            || l.unique_constraints
                .iter()
                .any(|u| u.columns.contains(&lc.name))
            || l.indexes.iter().any(|i| i.columns.contains(&lc.name));
        if rebuild && in_constraint {
            needs_rebuild.push(description);
            continue;
        }
        changes.push(change(
            ChangeKind::DropColumn,
            &name,
            description,
            Safety::Destructive,
            vec![format!(
                "ALTER TABLE {t} DROP COLUMN {}",
                ident::<DB>(&lc.name)
            )],
            5,
        ));
    }

    // The primary key.
    let live_key: Vec<String> = l.primary_key.clone();
    let declared_key: Vec<String> = d
        .primary_key
        .iter()
        .map(|c| live_name_of(c).to_owned())
        .collect();
    if declared_key != live_key {
        let description = format!(
            "primary key ({}) → ({})",
            live_key.join(", "),
            d.primary_key.join(", ")
        );
        if rebuild {
            needs_rebuild.push(description);
        } else {
            let mut sql = Vec::new();
            if !live_key.is_empty() {
                sql.push(match &l.primary_key_name {
                    Some(pk) if DB::ALTER_COLUMN == AlterColumnStyle::Clauses => {
                        format!("ALTER TABLE {t} DROP CONSTRAINT {}", ident::<DB>(pk))
                    }
                    _ => format!("ALTER TABLE {t} DROP PRIMARY KEY"),
                });
            }
            if !d.primary_key.is_empty() {
                sql.push(format!(
                    "ALTER TABLE {t} ADD PRIMARY KEY ({})",
                    idents::<DB>(&d.primary_key)
                ));
            }
            changes.push(change(
                ChangeKind::AlterPrimaryKey,
                &name,
                description,
                Safety::NeedsCare,
                sql,
                4,
            ));
        }
    }

    // Foreign keys: compared by what they say, not by name.
    let fk_key = |fk: &super::ReflectedForeignKey, rename: bool| {
        let cols: Vec<String> = fk
            .columns
            .iter()
            .map(|c| {
                if rename {
                    live_name_of(c).to_owned()
                } else {
                    c.clone()
                }
            })
            .collect();
        (
            cols,
            fk.foreign_schema.clone(),
            fk.foreign_table.clone(),
            fk.foreign_columns.clone(),
            fk.on_delete,
            fk.on_update,
            fk.deferrable,
        )
    };
    for fk in &l.foreign_keys {
        if !d
            .foreign_keys
            .iter()
            .any(|x| fk_key(x, true) == fk_key(fk, false))
        {
            let description = format!(
                "foreign key ({}) → {} not declared: to drop",
                fk.columns.join(", "),
                fk.foreign_table
            );
            match (&fk.name, rebuild) {
                (Some(fk_name), false) => changes.push(change(
                    ChangeKind::DropForeignKey,
                    &name,
                    description,
                    Safety::Safe,
                    vec![format!(
                        "ALTER TABLE {t} {} {}",
                        DB::DROP_FOREIGN_KEY,
                        ident::<DB>(fk_name)
                    )],
                    0,
                )),
                _ => needs_rebuild.push(description),
            }
        }
    }
    for fk in &d.foreign_keys {
        if !l
            .foreign_keys
            .iter()
            .any(|x| fk_key(fk, true) == fk_key(x, false))
        {
            let description = format!(
                "foreign key ({}) → {}({}) to add (fails if rows break it)",
                fk.columns.join(", "),
                fk.foreign_table,
                fk.foreign_columns.join(", ")
            );
            if rebuild {
                needs_rebuild.push(description);
                continue;
            }
            let mut sql = format!(
                "ALTER TABLE {t} ADD {}FOREIGN KEY ({}) REFERENCES {} ({})",
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
            if let Some(deferred) = fk.deferrable {
                sql.push_str(if deferred {
                    " DEFERRABLE INITIALLY DEFERRED"
                } else {
                    " DEFERRABLE INITIALLY IMMEDIATE"
                });
            }
            changes.push(change(
                ChangeKind::AddForeignKey,
                &name,
                description,
                Safety::NeedsCare,
                vec![sql],
                7,
            ));
        }
    }

    // Uniqueness: a UNIQUE constraint and a unique index on the same columns are one rule
    // (MySQL keeps both as a unique key).
    let unique_sets =
        |t: &ReflectedTable, rename: bool| -> Vec<(Vec<String>, Option<String>, bool)> {
            let map = |c: &String| {
                if rename {
                    live_name_of(c).to_owned()
                } else {
                    c.clone()
                }
            };
            let mut sets: Vec<(Vec<String>, Option<String>, bool)> = t
                .unique_constraints
                .iter()
                .map(|u| (u.columns.iter().map(map).collect(), u.name.clone(), false))
                .collect();
            sets.extend(t.indexes.iter().filter(|i| plain_unique(i)).map(|i| {
                (
                    i.columns.iter().map(map).collect(),
                    Some(i.name.clone()),
                    true,
                )
            }));
            sets
        };
    let declared_unique = unique_sets(d, true);
    let live_unique = unique_sets(l, false);
    for (cols, uname, is_index) in &live_unique {
        if !declared_unique.iter().any(|(c, ..)| c == cols) {
            let description = format!("UNIQUE ({}) not declared: to drop", cols.join(", "));
            let sql = match (uname, is_index, rebuild) {
                (Some(n), true, _) => drop_index_sql::<DB>(&t, l, n),
                (Some(n), false, false) => {
                    if DB::DROP_INDEX_ON_TABLE {
                        drop_index_sql::<DB>(&t, l, n)
                    } else {
                        format!("ALTER TABLE {t} DROP CONSTRAINT {}", ident::<DB>(n))
                    }
                }
                _ => {
                    needs_rebuild.push(description);
                    continue;
                }
            };
            changes.push(change(
                ChangeKind::DropUnique,
                &name,
                description,
                Safety::Safe,
                vec![sql],
                1,
            ));
        }
    }
    for (cols, uname, is_index) in &declared_unique {
        if !live_unique.iter().any(|(c, ..)| c == cols) {
            let description = format!("UNIQUE ({}) to add (fails if rows repeat)", cols.join(", "));
            let sql = if *is_index {
                let index = d
                    .indexes
                    .iter()
                    .find(|i| Some(&i.name) == uname.as_ref())
                    .expect("from the index list");
                create_index_sql::<DB>(&t, index)
            } else if rebuild {
                needs_rebuild.push(description);
                continue;
            } else {
                format!(
                    "ALTER TABLE {t} ADD {}UNIQUE ({})",
                    uname
                        .as_ref()
                        .map(|n| format!("CONSTRAINT {} ", ident::<DB>(n)))
                        .unwrap_or_default(),
                    idents::<DB>(cols)
                )
            };
            changes.push(change(
                ChangeKind::AddUnique,
                &name,
                description,
                Safety::NeedsCare,
                vec![sql],
                7,
            ));
        }
    }

    // Other indexes, by name.
    for li in l.indexes.iter().filter(|i| !plain_unique(i)) {
        let same = d.indexes.iter().find(|di| di.name == li.name);
        if same.is_none_or(|di| !same_index::<DB>(di, li)) {
            changes.push(change(
                ChangeKind::DropIndex,
                &name,
                format!(
                    "index `{}` {}",
                    li.name,
                    if same.is_some() {
                        "changed: dropped and created again"
                    } else {
                        "not declared: to drop"
                    }
                ),
                Safety::Safe,
                vec![drop_index_sql::<DB>(&t, l, &li.name)],
                1,
            ));
        }
    }
    for di in d.indexes.iter().filter(|i| !plain_unique(i)) {
        let same = l.indexes.iter().find(|li| li.name == di.name);
        if same.is_none_or(|li| !same_index::<DB>(di, li)) {
            changes.push(change(
                ChangeKind::CreateIndex,
                &name,
                format!("index `{}` to create", di.name),
                Safety::Safe,
                vec![create_index_sql::<DB>(&t, di)],
                7,
            ));
        }
    }

    // Named checks (an unnamed one gets a name the declaration cannot know).
    for check in d.checks.iter().filter(|c| c.name.is_some()) {
        if !l.checks.iter().any(|x| x.name == check.name) {
            let description = format!(
                "CHECK {} to add (fails if rows break it)",
                check.name.as_deref().unwrap_or_default()
            );
            if rebuild {
                needs_rebuild.push(description);
                continue;
            }
            changes.push(change(
                ChangeKind::AddCheck,
                &name,
                description,
                Safety::NeedsCare,
                vec![format!(
                    "ALTER TABLE {t} ADD CONSTRAINT {} CHECK ({})",
                    ident::<DB>(check.name.as_deref().unwrap_or_default()),
                    check.sql
                )],
                7,
            ));
        }
    }

    // The table's comment.
    if d.comment != l.comment && DB::COMMENTS != CommentStyle::None {
        let text = d.comment.as_deref().unwrap_or("");
        let sql = match DB::COMMENTS {
            CommentStyle::Statements => match &d.comment {
                Some(_) => format!("COMMENT ON TABLE {t} IS {}", literal::<DB>(text)),
                None => format!("COMMENT ON TABLE {t} IS NULL"),
            },
            _ => format!("ALTER TABLE {t} COMMENT = {}", literal::<DB>(text)),
        };
        changes.push(change(
            ChangeKind::Comment,
            &name,
            "table comment".into(),
            Safety::Safe,
            vec![sql],
            4,
        ));
    }

    if needs_rebuild.is_empty() {
        out.changes.extend(changes);
    } else {
        // The rebuild makes the whole table as declared: it replaces the table's other changes.
        out.changes
            .push(rebuild_table::<DB>(d, l, &renames, needs_rebuild));
    }
}

/// A unique index on plain columns, which is a uniqueness rule like a UNIQUE constraint.
fn plain_unique(index: &ReflectedIndex) -> bool {
    index.unique && index.where_sql.is_none() && !index.expressions.iter().any(|e| *e)
}

fn same_index<DB: ReflectDialect>(d: &ReflectedIndex, l: &ReflectedIndex) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '(' && *c != ')' && *c != '"' && *c != '`')
            .collect::<String>()
            .to_ascii_lowercase()
    };
    d.unique == l.unique
        && d.columns.len() == l.columns.len()
        && d.columns
            .iter()
            .zip(&l.columns)
            .all(|(a, b)| norm(a) == norm(b))
        && d.where_sql.as_deref().map(norm) == l.where_sql.as_deref().map(norm)
}

fn create_index_sql<DB: ReflectDialect>(t: &str, index: &ReflectedIndex) -> String {
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

fn drop_index_sql<DB: ReflectDialect>(t: &str, table: &ReflectedTable, index: &str) -> String {
    if DB::DROP_INDEX_ON_TABLE {
        format!("DROP INDEX {} ON {t}", ident::<DB>(index))
    } else {
        format!(
            "DROP INDEX {}",
            qualified::<DB>(table.schema.as_deref(), index)
        )
    }
}

fn alter_column_sql<DB: ReflectDialect>(
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
    if d.column_type != l.column_type {
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
fn rebuild_table<DB: ReflectDialect>(
    d: &ReflectedTable,
    l: &ReflectedTable,
    renames: &[(&str, &str)],
    reasons: Vec<String>,
) -> Change {
    let t = table_name::<DB>(d);
    let temporary_name = format!("{}__philtre_rebuild", d.name);
    let temporary = qualified::<DB>(d.schema.as_deref(), &temporary_name);
    let mut sql = Vec::new();
    let mut create = d.create_sql.iter();
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
