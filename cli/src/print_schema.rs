//! `philtre print-schema`: a reflected database written as `table!` source.
//!
//! The output is one Rust module: enums and custom SQL types the columns need, one `table!`
//! block, a `schema()` function listing the tables, and a `relations` module with the
//! relationships the foreign keys give (many-to-one, one-to-many, many-to-many through
//! association tables). It is ordered by name and the same from run to run; code the user adds
//! between the `philtre:keep` markers survives the next run.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use philtre::reflection::sql_text::normalize_default;
use philtre::reflection::{
    ColumnType, ReflectedColumn, ReflectedForeignKey, ReflectedSchema, ReflectedTable, RelationKind,
};
use philtre::schema::ReferentialAction;
use philtre_engine::BackendKind;

/// The marker lines around the user's own code.
pub const KEEP_START: &str = "// philtre:keep-start";
/// See [`KEEP_START`].
pub const KEEP_END: &str = "// philtre:keep-end";

/// What `print-schema` is told beyond the database.
#[derive(Debug, Clone, Default)]
pub struct PrintOptions {
    /// Key columns for tables (and views) without a primary key: table → columns.
    pub keys: BTreeMap<String, Vec<String>>,
    /// Write `#[schema = "…"]` on every table (when a schema was named on the command line).
    pub schema: Option<String>,
    /// The text between the keep markers of the previous output, carried over.
    pub kept: Option<String>,
}

/// A problem the output notes (also printed to standard error by the command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The table it is about.
    pub table: String,
    /// What happened and what to do.
    pub message: String,
}

/// The code, and what it could not say as the database does.
#[derive(Debug, Clone)]
pub struct Printed {
    /// The Rust source.
    pub source: String,
    /// Tables skipped or changed, and why.
    pub diagnostics: Vec<Diagnostic>,
}

/// The text between the keep markers of a file written before, if it has them.
pub fn kept_section(previous: &str) -> Option<String> {
    let start = previous.find(KEEP_START)? + KEEP_START.len();
    let end = previous[start..].find(KEEP_END)? + start;
    Some(previous[start..end].trim_matches('\n').to_owned())
}

const KEYWORDS: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "gen",
    "macro",
    "override",
    "priv",
    "try",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    // Names `table!` defines in each table's module.
    "table",
    "all_columns",
];

/// A Rust identifier for an SQL name: lower snake case, `_` for other characters, never a
/// keyword.
fn rust_ident(sql: &str) -> String {
    let mut ident: String = sql
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if ident.is_empty() || ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// A Rust type name (upper camel case) for an SQL name.
fn type_ident(sql: &str) -> String {
    let mut out = String::new();
    for part in sql
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    out
}

fn quoted(text: &str) -> String {
    format!("{text:?}")
}

/// Names chosen for a table's columns (Rust name, with `#[sql_name]` when it differs).
struct ColumnNames(BTreeMap<String, String>);

impl ColumnNames {
    fn new(table: &ReflectedTable) -> Self {
        let mut used = BTreeSet::new();
        let mut names = BTreeMap::new();
        for column in &table.columns {
            let mut ident = rust_ident(&column.name);
            while !used.insert(ident.clone()) {
                ident.push('_');
            }
            names.insert(column.name.clone(), ident);
        }
        ColumnNames(names)
    }

    fn of<'a>(&'a self, sql: &'a str) -> &'a str {
        self.0.get(sql).map_or(sql, String::as_str)
    }
}

/// The generator's view of the whole schema.
struct Writer<'s> {
    kind: BackendKind,
    schema: &'s ReflectedSchema,
    options: &'s PrintOptions,
    table_idents: BTreeMap<String, String>,
    /// Types declared before the tables: enums and custom SQL types, by Rust name.
    declarations: BTreeMap<String, String>,
    /// Custom SQL types: Rust name → SQL name.
    custom_types: BTreeMap<String, String>,
    diagnostics: Vec<Diagnostic>,
}

/// Writes `schema` (read from a database of `kind`) as Rust source.
pub fn print_schema(
    kind: BackendKind,
    schema: &ReflectedSchema,
    options: &PrintOptions,
) -> Printed {
    let mut table_idents = BTreeMap::new();
    let mut used = BTreeSet::new();
    for table in &schema.tables {
        let mut ident = rust_ident(&table.name);
        while !used.insert(ident.clone()) {
            ident.push('_');
        }
        table_idents.insert(table.name.clone(), ident);
    }
    let mut writer = Writer {
        kind,
        schema,
        options,
        table_idents,
        declarations: BTreeMap::new(),
        custom_types: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    let mut tables = String::new();
    let mut listed = Vec::new();
    for table in &schema.tables {
        if let Some(code) = writer.table(table) {
            tables.push_str(&code);
            if table.kind == RelationKind::BaseTable {
                listed.push(writer.table_idents[&table.name].clone());
            }
        }
    }
    let relations = writer.relations();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "// @generated by `philtre print-schema` from a {} database{}: {} tables.",
        kind.name(),
        options
            .schema
            .as_ref()
            .map(|s| format!(" (schema `{s}`)"))
            .unwrap_or_default(),
        listed.len()
    );
    out.push_str(
        "// Run it again to refresh this file; code between the `philtre:keep` markers is kept.\n",
    );
    for d in &writer.diagnostics {
        let _ = writeln!(out, "// note: `{}`: {}", d.table, d.message);
    }
    out.push('\n');
    for declaration in writer.declarations.values() {
        out.push_str(declaration);
        out.push('\n');
    }
    out.push_str("philtre::table! {\n");
    out.push_str(&tables);
    out.push_str("}\n\n");
    out.push_str(
        "/// The tables above, in a `Schema`: for `create_all`, `SchemaFile::write` and `philtre diff`.\n",
    );
    out.push_str(
        "pub fn schema() -> philtre::schema::Schema {\n    philtre::schema::Schema::new()",
    );
    for ident in &listed {
        let _ = write!(out, "\n        .table({ident}::table)");
    }
    out.push_str("\n}\n");
    if !relations.is_empty() {
        out.push_str("\n/// Relationships the foreign keys give (see the book's \"Relationships and loading\").\n");
        // Only what the constants use: no unused import in the user's crate.
        let mut imports = vec!["Children", "Parent"];
        if relations.contains("ManyToMany<") {
            imports.push("ManyToMany");
        }
        imports.extend(["children", "parent"]);
        if relations.contains("many_to_many(") {
            imports.push("many_to_many");
        }
        let _ = write!(
            out,
            "#[allow(dead_code)]\npub mod relations {{\n    use super::*;\n    use philtre::orm::{{{}}};\n",
            imports.join(", ")
        );
        out.push_str(&relations);
        out.push_str("}\n");
    }
    out.push('\n');
    out.push_str(KEEP_START);
    out.push('\n');
    if let Some(kept) = options.kept.as_deref().filter(|k| !k.is_empty()) {
        out.push_str(kept);
        out.push('\n');
    }
    out.push_str(KEEP_END);
    out.push('\n');
    Printed {
        source: out,
        diagnostics: writer.diagnostics,
    }
}

impl Writer<'_> {
    fn note(&mut self, table: &str, message: String) {
        self.diagnostics.push(Diagnostic {
            table: table.to_owned(),
            message,
        });
    }

    /// One table's declaration inside `table!`, or `None` when it cannot be declared.
    fn table(&mut self, table: &ReflectedTable) -> Option<String> {
        let names = ColumnNames::new(table);
        let ident = self.table_idents[&table.name].clone();
        let mut key = table.primary_key.clone();
        let mut logical = false;
        if let Some(named) = self.options.keys.get(&table.name) {
            if key.is_empty() {
                logical = true;
                key = named.clone();
            }
        }
        if key.is_empty() {
            let what = if table.kind == RelationKind::View {
                "a view"
            } else {
                "a table without a primary key"
            };
            self.note(
                &table.name,
                format!(
                    "skipped: {what} needs columns that identify a row; pass `--key {}=col[,col]`",
                    table.name
                ),
            );
            return None;
        }
        if let Some(missing) = key.iter().find(|k| table.column(k).is_none()) {
            self.note(
                &table.name,
                format!("skipped: `--key` names `{missing}`, which is not a column"),
            );
            return None;
        }
        let mut out = String::new();
        if table.kind == RelationKind::View {
            out.push_str("    /// A view: read it like a table; it is left out of `schema()`, which would create it as a table.\n");
        }
        if let Some(schema) = &self.options.schema {
            let _ = writeln!(out, "    #[schema = {}]", quoted(schema));
        }
        if ident != table.name {
            let _ = writeln!(out, "    #[sql_name = {}]", quoted(&table.name));
        }
        if logical {
            out.push_str("    #[logical_key]\n");
        }
        if let Some(comment) = &table.comment {
            let _ = writeln!(out, "    #[comment = {}]", quoted(comment));
        }
        for unique in table
            .unique_constraints
            .iter()
            .filter(|u| u.columns.len() > 1)
        {
            let cols: Vec<&str> = unique.columns.iter().map(|c| names.of(c)).collect();
            let _ = writeln!(out, "    #[unique({})]", cols.join(", "));
        }
        for index in &table.indexes {
            let mut items: Vec<String> = Vec::new();
            for (entry, expression) in index.columns.iter().zip(&index.expressions) {
                if *expression {
                    items.push(format!("expression = {}", quoted(entry)));
                } else {
                    items.push(names.of(entry).to_owned());
                }
            }
            if let Some(condition) = &index.where_sql {
                items.push(format!("where = {}", quoted(condition)));
            }
            items.push(format!("name = {}", quoted(&index.name)));
            let _ = writeln!(
                out,
                "    #[{}({})]",
                if index.unique {
                    "unique_index"
                } else {
                    "index"
                },
                items.join(", ")
            );
        }
        for check in &table.checks {
            match check.name.as_deref().filter(|n| rust_ident(n) == *n) {
                Some(name) => {
                    let _ = writeln!(out, "    #[check({name}: {})]", quoted(&check.sql));
                }
                None => {
                    let _ = writeln!(out, "    #[check = {}]", quoted(&check.sql));
                }
            }
        }
        // Composite foreign keys go on the table; one-column ones on their column.
        let mut column_references: BTreeMap<String, String> = BTreeMap::new();
        for fk in &table.foreign_keys {
            let Some(target) = self
                .table_idents
                .get(&fk.foreign_table)
                .filter(|_| fk.foreign_schema.is_none())
                .cloned()
            else {
                self.note(
                    &table.name,
                    format!(
                        "foreign key ({}) references `{}`, which is not generated: add that table or declare the key by hand",
                        fk.columns.join(", "),
                        fk.foreign_table
                    ),
                );
                continue;
            };
            let target_table = self
                .schema
                .table(&fk.foreign_table)
                .expect("generated tables are reflected");
            let target_names = ColumnNames::new(target_table);
            let actions = actions(fk);
            if fk.columns.len() == 1 {
                column_references.insert(
                    fk.columns[0].clone(),
                    format!(
                        " references {target}({}){actions}",
                        target_names.of(&fk.foreign_columns[0])
                    ),
                );
            } else if fk.columns.len() <= 4 {
                let cols: Vec<&str> = fk.columns.iter().map(|c| names.of(c)).collect();
                let refs: Vec<&str> = fk
                    .foreign_columns
                    .iter()
                    .map(|c| target_names.of(c))
                    .collect();
                let _ = writeln!(
                    out,
                    "    #[foreign_key({}: ({}) references {target} ({}){actions})]",
                    composite_name(fk),
                    cols.join(", "),
                    refs.join(", ")
                );
            } else {
                self.note(
                    &table.name,
                    format!(
                        "a foreign key of {} columns is left out: `table!` declares 2 to 4",
                        fk.columns.len()
                    ),
                );
            }
        }
        let keys: Vec<&str> = key.iter().map(|k| names.of(k)).collect();
        let _ = writeln!(out, "    {ident} ({}) {{", keys.join(", "));
        for column in &table.columns {
            let rust = names.of(&column.name).to_owned();
            let column_code =
                self.column(table, column, &rust, column_references.get(&column.name));
            out.push_str(&column_code);
        }
        out.push_str("    }\n");
        Some(out)
    }

    fn column(
        &mut self,
        table: &ReflectedTable,
        column: &ReflectedColumn,
        rust: &str,
        reference: Option<&String>,
    ) -> String {
        let mut out = String::new();
        let mut attr = |text: String| {
            let _ = writeln!(out, "        #[{text}]");
        };
        if rust != column.name {
            attr(format!("sql_name = {}", quoted(&column.name)));
        }
        if column.auto_increment {
            attr("auto_increment".into());
        }
        if table
            .unique_constraints
            .iter()
            .any(|u| u.columns == [column.name.clone()])
        {
            attr("unique".into());
        }
        match &column.column_type {
            ColumnType::Text {
                max_length: Some(n),
            }
            | ColumnType::Binary {
                max_length: Some(n),
            } => {
                attr(format!("max_length = {n}"));
            }
            ColumnType::Numeric {
                precision: Some((p, s)),
            } => attr(format!("precision({p}, {s})")),
            _ => {}
        }
        if let Some(default) = column.default.as_deref().filter(|_| !column.auto_increment) {
            attr(default_attr(column, default));
        }
        if let Some(comment) = &column.comment {
            attr(format!("comment = {}", quoted(comment)));
        }
        if let Some(generated) = &column.generated {
            attr(format!(
                "{} = {}",
                if generated.stored {
                    "generated"
                } else {
                    "generated_virtual"
                },
                quoted(&generated.sql)
            ));
        }
        let mut ty = self.sql_type(table, column, &column.column_type);
        if column.nullable {
            ty = format!("Nullable<{ty}>");
        }
        let _ = writeln!(
            out,
            "        {rust} -> {ty}{},",
            reference.map_or("", String::as_str)
        );
        out
    }

    /// The SQL type as `table!` writes it, declaring enums and custom types on the way.
    fn sql_type(
        &mut self,
        table: &ReflectedTable,
        column: &ReflectedColumn,
        ty: &ColumnType,
    ) -> String {
        match ty {
            ColumnType::Bool => "Bool".into(),
            ColumnType::SmallInt => "SmallInt".into(),
            ColumnType::Integer => "Integer".into(),
            ColumnType::BigInt => "BigInt".into(),
            ColumnType::Float => "Float".into(),
            ColumnType::Double => "Double".into(),
            ColumnType::Text { .. } => "Text".into(),
            ColumnType::Binary { .. } => "Binary".into(),
            ColumnType::Date => "Date".into(),
            ColumnType::Time => "Time".into(),
            ColumnType::Timestamp => "Timestamp".into(),
            ColumnType::Timestamptz => "Timestamptz".into(),
            ColumnType::Numeric { .. } => "Numeric".into(),
            ColumnType::Uuid => "Uuid".into(),
            ColumnType::Json => "Json".into(),
            ColumnType::Jsonb => "Jsonb".into(),
            ColumnType::Interval => "philtre::types::Interval".into(),
            ColumnType::Inet => "philtre::types::Inet".into(),
            ColumnType::Array(inner) => format!("Array<{}>", self.sql_type(table, column, inner)),
            ColumnType::Unsigned(inner) => {
                format!("Unsigned<{}>", self.sql_type(table, column, inner))
            }
            ColumnType::Enum { name, labels } => {
                let sql_name = name
                    .clone()
                    .unwrap_or_else(|| format!("{}_{}", table.name, column.name));
                let rust = type_ident(&sql_name);
                let declaration = enum_declaration(&rust, &sql_name, labels);
                self.declarations
                    .entry(format!("1{rust}"))
                    .or_insert(declaration);
                format!("philtre::types::Enum<super::{rust}>")
            }
            ColumnType::Other(sql) => {
                // SQLite lets a column have no type at all.
                let mut rust = if sql.is_empty() {
                    "Untyped".to_owned()
                } else {
                    type_ident(sql)
                };
                // Two SQL names may read as one Rust name (`bit(3)`, `bit_3`): keep them apart.
                while self
                    .custom_types
                    .get(&rust)
                    .is_some_and(|known| known != sql)
                {
                    rust.push('_');
                }
                self.custom_types.insert(rust.clone(), sql.clone());
                let declaration = format!(
                    "/// `{sql}`: a {} type philtre has no SQL type for (UNKNOWN TYPE, written by\n\
                     /// `philtre print-schema`). Its columns are declared, created and compared in\n\
                     /// diffs; to read or write them, implement `ToSql` / `FromSql` for it, or select\n\
                     /// them cast to text.\n\
                     #[derive(Debug, Clone, Copy, Default)]\n\
                     pub struct {rust};\n\n\
                     impl philtre::types::SqlType for {rust} {{\n    \
                     type Nullability = philtre::types::NotNullable;\n    \
                     type NotNull = {rust};\n    \
                     const NAME: &'static str = {};\n}}\n",
                    self.kind.name(),
                    quoted(sql)
                );
                self.declarations
                    .entry(format!("2{rust}"))
                    .or_insert(declaration);
                self.note(
                    &table.name,
                    format!(
                        "column `{}` has type `{sql}`, declared as the custom SQL type `{rust}`",
                        column.name
                    ),
                );
                format!("super::{rust}")
            }
        }
    }

    /// `pub const` relationships: a parent and children for each foreign key, and
    /// many-to-many through association tables.
    fn relations(&mut self) -> String {
        let mut out = String::new();
        let mut used = BTreeSet::new();
        let mut name = |base: String| {
            let mut n = base.to_ascii_uppercase();
            while !used.insert(n.clone()) {
                n.push('_');
            }
            n
        };
        for table in &self.schema.tables {
            let Some(child) = self.table_idents.get(&table.name) else {
                continue;
            };
            if !self.generated(table) {
                continue;
            }
            let names = ColumnNames::new(table);
            for fk in &table.foreign_keys {
                let Some(parent_table) = self
                    .schema
                    .table(&fk.foreign_table)
                    .filter(|t| self.generated(t) && fk.foreign_schema.is_none())
                else {
                    continue;
                };
                if fk.columns.len() > 4 {
                    continue;
                }
                let parent_ident = &self.table_idents[&parent_table.name];
                let fk_type = if fk.columns.len() == 1 {
                    format!("{child}::{}", names.of(&fk.columns[0]))
                } else {
                    format!("{child}::{}", composite_name(fk))
                };
                let role = if fk.columns.len() == 1 {
                    rust_ident(fk.columns[0].trim_end_matches("_id"))
                } else {
                    composite_name(fk)
                };
                let same_pair = table
                    .foreign_keys
                    .iter()
                    .filter(|f| f.foreign_table == fk.foreign_table)
                    .count()
                    > 1;
                let parent_const = name(format!("{child}_{role}"));
                let children_const = if parent_table.name == table.name {
                    name(format!("{child}_by_{role}"))
                } else if same_pair {
                    name(format!("{parent_ident}_{child}_by_{role}"))
                } else {
                    name(format!("{parent_ident}_{child}"))
                };
                let _ = writeln!(
                    out,
                    "    /// A `{}` row's `{}` (many-to-one, along `{}`).\n    pub const {parent_const}: Parent<{fk_type}> = parent({fk_type});",
                    table.name,
                    parent_table.name,
                    fk.columns.join(", ")
                );
                let _ = writeln!(
                    out,
                    "    /// A `{}` row's `{}` rows (one-to-many, along `{}.{}`).\n    pub const {children_const}: Children<{fk_type}> = children({fk_type});",
                    parent_table.name,
                    table.name,
                    table.name,
                    fk.columns.join(", ")
                );
            }
            // An association table: its key is its two one-column foreign keys.
            if let [a, b] = table.foreign_keys.as_slice() {
                let mut key: Vec<&String> = table.primary_key.iter().collect();
                key.sort();
                let mut fk_columns = vec![&a.columns[0], &b.columns[0]];
                fk_columns.sort();
                let both_generated = [a, b].iter().all(|fk| {
                    fk.columns.len() == 1
                        && self
                            .schema
                            .table(&fk.foreign_table)
                            .is_some_and(|t| self.generated(t))
                });
                if both_generated && key == fk_columns {
                    for (from, to) in [(a, b), (b, a)] {
                        let from_ident = &self.table_idents[&from.foreign_table];
                        let to_ident = &self.table_idents[&to.foreign_table];
                        let constant = name(format!("{from_ident}_{to_ident}"));
                        let (f, t) = (names.of(&from.columns[0]), names.of(&to.columns[0]));
                        let _ = writeln!(
                            out,
                            "    /// A `{}` row's `{}` rows, through `{}` (many-to-many).\n    pub const {constant}: ManyToMany<{child}::{f}, {child}::{t}> = many_to_many({child}::{f}, {child}::{t});",
                            from.foreign_table, to.foreign_table, table.name
                        );
                    }
                }
            }
        }
        out
    }

    /// Whether `table` is in the output.
    fn generated(&self, table: &ReflectedTable) -> bool {
        !table.primary_key.is_empty() || self.options.keys.contains_key(&table.name)
    }
}

/// ` on delete cascade on update set null deferrable initially deferred`.
fn actions(fk: &ReflectedForeignKey) -> String {
    let word = |a: ReferentialAction| a.sql().to_ascii_lowercase();
    let mut out = String::new();
    if let Some(a) = fk.on_delete {
        let _ = write!(out, " on delete {}", word(a));
    }
    if let Some(a) = fk.on_update {
        let _ = write!(out, " on update {}", word(a));
    }
    match fk.deferrable {
        Some(true) => out.push_str(" deferrable initially deferred"),
        Some(false) => out.push_str(" deferrable initially immediate"),
        None => {}
    }
    out
}

/// The Rust name of a composite foreign key: its constraint's name, or its columns'.
fn composite_name(fk: &ReflectedForeignKey) -> String {
    match &fk.name {
        Some(name) => rust_ident(name),
        None => rust_ident(&format!("fk_{}", fk.columns.join("_"))),
    }
}

/// A `#[derive(SqlEnum)]` for an enumerated type's labels.
fn enum_declaration(rust: &str, sql_name: &str, labels: &[String]) -> String {
    let mut out = format!(
        "/// The enumerated type `{sql_name}` (written by `philtre print-schema`).\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, philtre::SqlEnum)]\n\
         #[philtre(sql_name = {})]\npub enum {rust} {{\n",
        quoted(sql_name)
    );
    let mut used = BTreeSet::new();
    for label in labels {
        let mut variant = type_ident(label);
        while !used.insert(variant.clone()) {
            variant.push('_');
        }
        let _ = writeln!(
            out,
            "    #[philtre(label = {})]\n    {variant},",
            quoted(label)
        );
    }
    out.push_str("}\n");
    out
}

/// The default as a `table!` attribute: a literal where it is one, the SQL otherwise.
fn default_attr(column: &ReflectedColumn, default: &str) -> String {
    let normalized = normalize_default(default);
    let is_number = normalized.parse::<f64>().is_ok() && !normalized.starts_with('\'');
    if column.column_type == ColumnType::Bool {
        match normalized.as_str() {
            "true" | "1" => return "default = true".into(),
            "false" | "0" => return "default = false".into(),
            _ => {}
        }
    }
    if is_number && !matches!(column.column_type, ColumnType::Text { .. }) {
        return format!("default = {normalized}");
    }
    let current = normalized == "current_timestamp";
    if current
        && matches!(
            column.column_type,
            ColumnType::Timestamp | ColumnType::Timestamptz
        )
    {
        return "default = current_timestamp".into();
    }
    // A plain quoted text (after PostgreSQL's cast): the text itself.
    let text = normalized
        .strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .filter(|t| !t.contains('\'') && !t.contains('\\'));
    if let (Some(text), ColumnType::Text { .. }) = (text, &column.column_type) {
        return format!("default = {}", quoted(text));
    }
    // An expression default is parenthesized, as SQLite (and MySQL 8) require; catalogs may
    // report it without (SQLite's `datetime('now')`).
    let bare_call = default.contains('(')
        && !default.starts_with('(')
        && !default.starts_with('\'')
        && !default
            .to_ascii_lowercase()
            .starts_with("current_timestamp");
    if bare_call {
        return format!("default_sql = {}", quoted(&format!("({default})")));
    }
    format!("default_sql = {}", quoted(default))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_rust_identifiers() {
        assert_eq!(rust_ident("Order Lines"), "order_lines");
        assert_eq!(rust_ident("type"), "type_");
        assert_eq!(rust_ident("table"), "table_");
        assert_eq!(rust_ident("2fa"), "_2fa");
        assert_eq!(type_ident("ticket_state"), "TicketState");
        assert_eq!(type_ident("won't fix"), "WonTFix");
    }

    #[test]
    fn the_kept_section_is_found() {
        let previous = format!("x\n{KEEP_START}\nimpl Foo {{}}\n{KEEP_END}\n");
        assert_eq!(kept_section(&previous).as_deref(), Some("impl Foo {}"));
        assert_eq!(kept_section("no markers"), None);
    }
}
