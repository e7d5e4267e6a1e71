//! One table's differences: columns, primary key, foreign keys, uniqueness, indexes, checks
//! and comment, each section adding its changes (or, on SQLite, its reasons to rebuild).

use crate::schema::ddl::{CommentStyle, ident};

use super::super::model::{
    ColumnType, ReflectedColumn, ReflectedForeignKey, ReflectedIndex, ReflectedTable,
};
use super::super::{AlterColumnStyle, ReflectDialect};
use super::ddl::{
    alter_column_sql, column_definition, create_index_sql, drop_index_sql, foreign_key_sql,
    rebuild_table,
};
use super::{
    Change, ChangeKind, DiffOptions, Safety, SchemaDiff, change, idents, literal, table_name,
};

/// What is known while one table is compared.
struct TableDiff<'a> {
    /// The declared table (`d` in the sections below).
    declared: &'a ReflectedTable,
    /// The live table (`l`).
    live: &'a ReflectedTable,
    /// Column renames of this table: `(old, new)`.
    renames: Vec<(&'a str, &'a str)>,
    /// `schema.table`, for descriptions.
    name: String,
    /// The table as SQL names it (`t`).
    table_sql: String,
    /// Whether the database changes tables only by rebuilding them (SQLite).
    rebuild: bool,
    /// Changes SQLite cannot make with ALTER TABLE: the table is rebuilt once for all of them.
    needs_rebuild: Vec<String>,
    changes: Vec<Change>,
}

impl TableDiff<'_> {
    /// A change of this table.
    fn add(
        &mut self,
        kind: ChangeKind,
        description: String,
        safety: Safety,
        sql: Vec<String>,
        phase: u8,
    ) {
        let table = self.name.clone();
        self.changes
            .push(change(kind, &table, description, safety, sql, phase));
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

/// Adds the changes that make live table `l` match declared table `d` to `out`.
pub(super) fn table_diff<DB: ReflectDialect>(
    d: &ReflectedTable,
    l: &ReflectedTable,
    options: &DiffOptions,
    out: &mut SchemaDiff,
) {
    let mut cx = TableDiff {
        declared: d,
        live: l,
        renames: options
            .renames
            .iter()
            .filter(|(table, ..)| *table == d.name)
            .map(|(_, old, new)| (old.as_str(), new.as_str()))
            .collect(),
        name: d.qualified_name(),
        table_sql: table_name::<DB>(d),
        rebuild: DB::ALTER_COLUMN == AlterColumnStyle::Rebuild,
        needs_rebuild: Vec::new(),
        changes: Vec::new(),
    };
    columns::<DB>(&mut cx, &mut out.rename_hints);
    primary_key::<DB>(&mut cx);
    foreign_keys::<DB>(&mut cx);
    uniqueness::<DB>(&mut cx);
    indexes::<DB>(&mut cx);
    checks::<DB>(&mut cx);
    comment::<DB>(&mut cx);
    if cx.needs_rebuild.is_empty() {
        out.changes.extend(cx.changes);
    } else {
        // The rebuild makes the whole table as declared: it replaces the table's other changes.
        out.changes
            .push(rebuild_table::<DB>(d, l, &cx.renames, cx.needs_rebuild));
    }
}

/// Columns added, dropped, renamed and changed.
fn columns<DB: ReflectDialect>(cx: &mut TableDiff<'_>, hints: &mut Vec<String>) {
    let d = cx.declared;
    let l = cx.live;
    let rebuild = cx.rebuild;
    let name = cx.name.clone();
    let t = cx.table_sql.clone();
    let renames = cx.renames.clone();
    let live_name_of = |declared: &str| live_name(&renames, declared);
    let mut added = Vec::new();
    for dc in &d.columns {
        let old = live_name_of(&dc.name);
        match l.column(&old) {
            None => added.push(dc),
            Some(lc) => {
                if old != dc.name {
                    cx.add(
                        ChangeKind::RenameColumn,
                        format!("column `{old}` renamed to `{}`", dc.name),
                        Safety::NeedsCare,
                        vec![format!(
                            "ALTER TABLE {t} RENAME COLUMN {} TO {}",
                            ident::<DB>(&old),
                            ident::<DB>(&dc.name)
                        )],
                        4,
                    );
                }
                let what = column_differences::<DB>(dc, lc);
                if what.is_empty() {
                    continue;
                }
                let type_changed = !DB::same_type(&dc.column_type, &lc.column_type);
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
                    cx.needs_rebuild.push(description);
                    continue;
                }
                let sql = alter_column_sql::<DB>(&t, dc, lc);
                cx.add(ChangeKind::AlterColumn, description, safety, sql, 4);
            }
        }
    }
    let dropped: Vec<&ReflectedColumn> = l
        .columns
        .iter()
        .filter(|lc| !d.columns.iter().any(|dc| live_name_of(&dc.name) == lc.name))
        .collect();
    for dc in &added {
        if let Some(lc) = dropped
            .iter()
            .find(|lc| DB::same_type(&dc.column_type, &lc.column_type))
        {
            hints.push(format!(
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
            cx.needs_rebuild.push(description);
            continue;
        }
        let definition = column_definition::<DB>(dc);
        cx.add(
            ChangeKind::AddColumn,
            description,
            safety,
            vec![format!("ALTER TABLE {t} ADD COLUMN {definition}")],
            4,
        );
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
            cx.needs_rebuild.push(description);
            continue;
        }
        cx.add(
            ChangeKind::DropColumn,
            description,
            Safety::Destructive,
            vec![format!(
                "ALTER TABLE {t} DROP COLUMN {}",
                ident::<DB>(&lc.name)
            )],
            5,
        );
    }
}

/// The primary key.
fn primary_key<DB: ReflectDialect>(cx: &mut TableDiff<'_>) {
    let d = cx.declared;
    let l = cx.live;
    let rebuild = cx.rebuild;
    let t = cx.table_sql.clone();
    let renames = cx.renames.clone();
    let live_name_of = |declared: &str| live_name(&renames, declared);
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
            cx.needs_rebuild.push(description);
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
            cx.add(
                ChangeKind::AlterPrimaryKey,
                description,
                Safety::NeedsCare,
                sql,
                4,
            );
        }
    }
}

/// Foreign keys, compared by what they say, not by name.
fn foreign_keys<DB: ReflectDialect>(cx: &mut TableDiff<'_>) {
    let d = cx.declared;
    let l = cx.live;
    let rebuild = cx.rebuild;
    let t = cx.table_sql.clone();
    let renames = cx.renames.clone();
    let live_name_of = |declared: &str| live_name(&renames, declared);
    let fk_key = |fk: &ReflectedForeignKey, rename: bool| {
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
                (Some(fk_name), false) => cx.add(
                    ChangeKind::DropForeignKey,
                    description,
                    Safety::Safe,
                    vec![format!(
                        "ALTER TABLE {t} {} {}",
                        DB::DROP_FOREIGN_KEY,
                        ident::<DB>(fk_name)
                    )],
                    0,
                ),
                _ => cx.needs_rebuild.push(description),
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
                cx.needs_rebuild.push(description);
                continue;
            }
            let sql = format!("ALTER TABLE {t} ADD {}", foreign_key_sql::<DB>(fk));
            cx.add(
                ChangeKind::AddForeignKey,
                description,
                Safety::NeedsCare,
                vec![sql],
                7,
            );
        }
    }
}

/// Uniqueness: a UNIQUE constraint and a unique index on the same columns are one rule
/// (MySQL keeps both as a unique key).
fn uniqueness<DB: ReflectDialect>(cx: &mut TableDiff<'_>) {
    let d = cx.declared;
    let l = cx.live;
    let rebuild = cx.rebuild;
    let t = cx.table_sql.clone();
    let renames = cx.renames.clone();
    let live_name_of = |declared: &str| live_name(&renames, declared);
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
                    cx.needs_rebuild.push(description);
                    continue;
                }
            };
            cx.add(
                ChangeKind::DropUnique,
                description,
                Safety::Safe,
                vec![sql],
                1,
            );
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
                cx.needs_rebuild.push(description);
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
            cx.add(
                ChangeKind::AddUnique,
                description,
                Safety::NeedsCare,
                vec![sql],
                7,
            );
        }
    }
}

/// Other indexes, by name.
fn indexes<DB: ReflectDialect>(cx: &mut TableDiff<'_>) {
    let d = cx.declared;
    let l = cx.live;
    let t = cx.table_sql.clone();
    for li in l.indexes.iter().filter(|i| !plain_unique(i)) {
        let same = d.indexes.iter().find(|di| di.name == li.name);
        if same.is_none_or(|di| !same_index(di, li)) {
            cx.add(
                ChangeKind::DropIndex,
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
            );
        }
    }
    for di in d.indexes.iter().filter(|i| !plain_unique(i)) {
        let same = l.indexes.iter().find(|li| li.name == di.name);
        if same.is_none_or(|li| !same_index(di, li)) {
            cx.add(
                ChangeKind::CreateIndex,
                format!("index `{}` to create", di.name),
                Safety::Safe,
                vec![create_index_sql::<DB>(&t, di)],
                7,
            );
        }
    }
}

/// Named checks (an unnamed one gets a name the declaration cannot know).
fn checks<DB: ReflectDialect>(cx: &mut TableDiff<'_>) {
    let d = cx.declared;
    let l = cx.live;
    let rebuild = cx.rebuild;
    let t = cx.table_sql.clone();
    for check in d.checks.iter().filter(|c| c.name.is_some()) {
        if !l.checks.iter().any(|x| x.name == check.name) {
            let description = format!(
                "CHECK {} to add (fails if rows break it)",
                check.name.as_deref().unwrap_or_default()
            );
            if rebuild {
                cx.needs_rebuild.push(description);
                continue;
            }
            cx.add(
                ChangeKind::AddCheck,
                description,
                Safety::NeedsCare,
                vec![format!(
                    "ALTER TABLE {t} ADD CONSTRAINT {} CHECK ({})",
                    ident::<DB>(check.name.as_deref().unwrap_or_default()),
                    check.sql
                )],
                7,
            );
        }
    }
}

/// The table's comment.
fn comment<DB: ReflectDialect>(cx: &mut TableDiff<'_>) {
    let d = cx.declared;
    let l = cx.live;
    let t = cx.table_sql.clone();
    if d.comment != l.comment && DB::COMMENTS != CommentStyle::None {
        let text = d.comment.as_deref().unwrap_or("");
        let sql = match DB::COMMENTS {
            CommentStyle::Statements => match &d.comment {
                Some(_) => format!("COMMENT ON TABLE {t} IS {}", literal::<DB>(text)),
                None => format!("COMMENT ON TABLE {t} IS NULL"),
            },
            _ => format!("ALTER TABLE {t} COMMENT = {}", literal::<DB>(text)),
        };
        cx.add(
            ChangeKind::Comment,
            "table comment".into(),
            Safety::Safe,
            vec![sql],
            4,
        );
    }
}

/// What differs between two columns of the same name, in words.
fn column_differences<DB: ReflectDialect>(d: &ReflectedColumn, l: &ReflectedColumn) -> Vec<String> {
    let mut what = Vec::new();
    if !DB::same_type(&d.column_type, &l.column_type) {
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

/// A unique index on plain columns, which is a uniqueness rule like a UNIQUE constraint.
fn plain_unique(index: &ReflectedIndex) -> bool {
    index.unique && index.where_sql.is_none() && !index.expressions.iter().any(|e| *e)
}

fn same_index(d: &ReflectedIndex, l: &ReflectedIndex) -> bool {
    // Catalogs write expressions their own way: `lower((email)::text)` for `lower(email)`.
    let norm = |sql: &str| {
        let mut text = sql.to_ascii_lowercase();
        for cast in ["::text", "::character varying", "::integer", "::bigint"] {
            text = text.replace(cast, "");
        }
        text.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '"' | '`'))
            .collect::<String>()
    };
    d.unique == l.unique
        && d.columns.len() == l.columns.len()
        && d.columns
            .iter()
            .zip(&l.columns)
            .all(|(a, b)| norm(a) == norm(b))
        && d.where_sql.as_deref().map(norm) == l.where_sql.as_deref().map(norm)
}
