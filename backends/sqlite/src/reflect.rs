//! Reflection on SQLite: `pragma_table_xinfo`, `pragma_foreign_key_list`, `pragma_index_list`
//! and, for what the pragmas do not tell (checks, generated expressions, deferrable keys,
//! expression and partial indexes), the `CREATE` statements SQLite keeps in `sqlite_schema`.

use philtre::backend::Backend;
use philtre::reflection::sql_text::{
    balanced, checks_in_create_table, create_table_items, first_identifier,
    generated_in_definition, index_definition, keyword_positions, parse_standard_type,
    referential_action, split_top_level,
};
use philtre::reflection::{
    AlterColumnStyle, ColumnType, Inspect, ReflectDialect, ReflectedCheck, ReflectedColumn,
    ReflectedForeignKey, ReflectedGenerated, ReflectedIndex, ReflectedTable, ReflectedUnique,
    RelationKind, first_column,
};
use philtre::schema::{ColumnDescription, TableDescription, TypeKind};
use philtre::{Error, ErrorKind, QueryResult};

use crate::error::from_rusqlite;
use crate::{Sqlite, SqliteConnection};

impl ReflectDialect for Sqlite {
    /// SQLite keeps a column's type as it was written; a name philtre's DDL does not write
    /// (nor SQLAlchemy's, nor the common ANSI ones) is [`ColumnType::Other`].
    fn parse_type(sql_type: &str) -> ColumnType {
        // An enum is written `TEXT CHECK (…)`: the type is the part before the constraint.
        let base = match keyword_positions(sql_type, "CHECK").first() {
            Some(&at) => &sql_type[..at],
            None => sql_type,
        };
        parse_standard_type(base).unwrap_or_else(|| affinity(base.trim()))
    }

    /// philtre writes JSON, UUID and zoned timestamps as `TEXT` here; a database made by hand
    /// may call the same text columns `JSON` or `UUID`.
    fn same_type(declared: &ColumnType, live: &ColumnType) -> bool {
        let stored = |t: &ColumnType| match t {
            ColumnType::Json | ColumnType::Jsonb | ColumnType::Uuid | ColumnType::Timestamptz => {
                ColumnType::Text { max_length: None }
            }
            other => other.clone(),
        };
        stored(declared) == stored(live)
    }

    const ALTER_COLUMN: AlterColumnStyle = AlterColumnStyle::Rebuild;

    /// A single primary key column of type `INTEGER` is the rowid, which SQLite fills in
    /// whether or not it was declared `#[auto_increment]`.
    fn reflects_auto_increment(table: &TableDescription, column: &ColumnDescription) -> bool {
        column.auto_increment
            || (table.primary_key == [column.name]
                && matches!(column.kind, TypeKind::Integer)
                && !table.temporary
                && !table.logical_key)
    }
}

/// A type name no database shares, read by SQLite's own affinity rules (`UNSIGNED BIG INT` is an
/// integer, `VARYING CHARACTER(10)` text); `ANY`, no type at all and the rest stay
/// [`ColumnType::Other`].
fn affinity(sql_type: &str) -> ColumnType {
    let upper = sql_type.to_ascii_uppercase();
    if upper.contains("INT") {
        ColumnType::BigInt
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|w| upper.contains(w)) {
        ColumnType::Text { max_length: None }
    } else if upper.contains("BLOB") {
        ColumnType::Binary { max_length: None }
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|w| upper.contains(w)) {
        ColumnType::Double
    } else {
        ColumnType::Other(sql_type.to_owned())
    }
}

type Rows = Vec<Vec<Option<String>>>;

impl SqliteConnection {
    fn catalog(&self, sql: &str, params: &[&str]) -> QueryResult<Rows> {
        let mut statement = self.raw().prepare(sql).map_err(from_rusqlite)?;
        let width = statement.column_count();
        let mut rows = statement
            .query(rusqlite::params_from_iter(params.iter()))
            .map_err(from_rusqlite)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(from_rusqlite)? {
            let mut cells = Vec::with_capacity(width);
            for i in 0..width {
                use rusqlite::types::ValueRef;
                cells.push(match row.get_ref(i).map_err(from_rusqlite)? {
                    ValueRef::Null => None,
                    ValueRef::Integer(v) => Some(v.to_string()),
                    ValueRef::Real(v) => Some(v.to_string()),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Some(String::from_utf8_lossy(t).into_owned())
                    }
                });
            }
            out.push(cells);
        }
        Ok(out)
    }

    fn objects(&self, schema: Option<&str>, kind: &str) -> QueryResult<Vec<String>> {
        let sql = format!(
            "SELECT name FROM {}.sqlite_schema WHERE type = ?1 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            quoted(schema)
        );
        Ok(first_column(self.catalog(&sql, &[kind])?))
    }
}

fn quoted(schema: Option<&str>) -> String {
    let mut out = String::new();
    Sqlite::push_identifier(&mut out, schema.unwrap_or("main"));
    out
}

fn text(cell: &Option<String>) -> String {
    cell.clone().unwrap_or_default()
}

impl Inspect for SqliteConnection {
    fn query_text(&mut self, sql: &str) -> QueryResult<Vec<Vec<Option<String>>>> {
        self.catalog(sql, &[])
    }

    fn apply_schema_changes(&mut self, statements: &[String]) -> QueryResult<()> {
        self.apply_with_foreign_keys_off(statements)
    }

    fn schema_names(&mut self) -> QueryResult<Vec<String>> {
        Ok(first_column(self.catalog(
            "SELECT name FROM pragma_database_list WHERE name <> 'temp' ORDER BY seq",
            &[],
        )?))
    }

    fn table_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        self.objects(schema, "table")
    }

    fn view_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        self.objects(schema, "view")
    }

    fn reflect_table(&mut self, schema: Option<&str>, name: &str) -> QueryResult<ReflectedTable> {
        let main = schema.unwrap_or("main");
        let found = self.catalog(
            &format!(
                "SELECT type, sql FROM {}.sqlite_schema WHERE name = ?1 AND type IN ('table', 'view')",
                quoted(schema)
            ),
            &[name],
        )?;
        let Some(row) = found.first() else {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("no table or view `{name}` in SQLite database `{main}`"),
            ));
        };
        let kind = if row[0].as_deref() == Some("view") {
            RelationKind::View
        } else {
            RelationKind::BaseTable
        };
        let create = text(&row[1]);
        let items = create_table_items(&create);
        let definition_of = |column: &str| {
            items
                .iter()
                .find(|item| first_identifier(item).0 == column)
                .cloned()
        };

        let raw_columns = self.catalog(
            "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1, ?2) ORDER BY cid",
            &[name, main],
        )?;
        let mut key: Vec<(u32, String)> = raw_columns
            .iter()
            .filter_map(|r| {
                let position: u32 = text(&r[4]).parse().ok()?;
                (position > 0).then(|| (position, text(&r[0])))
            })
            .collect();
        key.sort();
        let primary_key: Vec<String> = key.into_iter().map(|(_, c)| c).collect();
        let mut columns = Vec::new();
        for r in &raw_columns {
            let column = text(&r[0]);
            let sql_type = text(&r[1]);
            let hidden = text(&r[5]);
            if hidden == "1" {
                continue; // a virtual table's hidden column
            }
            let generated = if hidden == "2" || hidden == "3" {
                definition_of(&column)
                    .and_then(|d| generated_in_definition(&d))
                    .map(|(sql, stored)| ReflectedGenerated { sql, stored })
            } else {
                None
            };
            let auto_increment = kind == RelationKind::BaseTable
                && primary_key == [column.clone()]
                && sql_type.eq_ignore_ascii_case("INTEGER");
            columns.push(ReflectedColumn {
                column_type: Sqlite::parse_type(&sql_type),
                sql_type,
                // The rowid is never NULL: a NULL written to it is replaced by a new key.
                nullable: text(&r[2]) == "0" && !auto_increment,
                default: r[3].clone(),
                auto_increment,
                comment: None,
                generated,
                definition: None,
                name: column,
            });
        }

        // Foreign keys: the pragma gives columns and actions; the statement, names and
        // DEFERRABLE.
        let raw_keys = self.catalog(
            "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?1, ?2) ORDER BY id, seq",
            &[name, main],
        )?;
        let mut foreign_keys: Vec<ReflectedForeignKey> = Vec::new();
        let mut last_id = None;
        for r in &raw_keys {
            if last_id.as_ref() != Some(&r[0]) {
                last_id = Some(r[0].clone());
                foreign_keys.push(ReflectedForeignKey {
                    name: None,
                    columns: Vec::new(),
                    foreign_schema: None,
                    foreign_table: text(&r[1]),
                    foreign_columns: Vec::new(),
                    on_delete: referential_action(&text(&r[5])),
                    on_update: referential_action(&text(&r[4])),
                    deferrable: None,
                });
            }
            let fk = foreign_keys.last_mut().expect("pushed above");
            fk.columns.push(text(&r[2]));
            fk.foreign_columns.push(text(&r[3]));
        }
        for fk in &mut foreign_keys {
            // `REFERENCES parent` without columns means the parent's primary key.
            if fk.foreign_columns.iter().any(String::is_empty) {
                let parent = self.catalog(
                    "SELECT name FROM pragma_table_info(?1, ?2) WHERE pk > 0 ORDER BY pk",
                    &[&fk.foreign_table, main],
                )?;
                fk.foreign_columns = parent.iter().map(|r| text(&r[0])).collect();
            }
            if let Some((constraint, clause)) = foreign_key_clause(&items, &fk.columns) {
                fk.name = constraint;
                // `DEFERRABLE`, not `NOT DEFERRABLE` (a column's `NOT NULL` may come before).
                let deferrable = keyword_positions(&clause, "DEFERRABLE").iter().any(|&at| {
                    !clause[..at]
                        .trim_end()
                        .to_ascii_uppercase()
                        .ends_with("NOT")
                });
                fk.deferrable =
                    deferrable.then(|| !keyword_positions(&clause, "DEFERRED").is_empty());
            }
        }

        // Indexes: `u` ones are UNIQUE constraints, `c` ones were created by CREATE INDEX.
        let raw_indexes = self.catalog(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1, ?2) ORDER BY name",
            &[name, main],
        )?;
        let mut unique_constraints = Vec::new();
        let mut indexes = Vec::new();
        for r in &raw_indexes {
            let index = text(&r[0]);
            let entries = self.catalog(
                "SELECT name FROM pragma_index_xinfo(?1, ?2) WHERE key = 1 ORDER BY seqno",
                &[&index, main],
            )?;
            let names: Vec<Option<String>> = entries.into_iter().map(|mut e| e.remove(0)).collect();
            match text(&r[2]).as_str() {
                "u" => unique_constraints.push(ReflectedUnique {
                    name: None,
                    columns: names.into_iter().map(|n| n.unwrap_or_default()).collect(),
                }),
                "c" => {
                    let sql = self.catalog(
                        &format!(
                            "SELECT sql FROM {}.sqlite_schema WHERE type = 'index' AND name = ?1",
                            quoted(schema)
                        ),
                        &[&index],
                    )?;
                    let (written, where_sql) = sql
                        .first()
                        .and_then(|r| r[0].as_deref())
                        .and_then(index_definition)
                        .unwrap_or_default();
                    let expressions: Vec<bool> = names.iter().map(Option::is_none).collect();
                    let columns = names
                        .iter()
                        .enumerate()
                        .map(|(i, n)| match n {
                            Some(n) => n.clone(),
                            None => written.get(i).cloned().unwrap_or_default(),
                        })
                        .collect();
                    indexes.push(ReflectedIndex {
                        name: index,
                        columns,
                        expressions,
                        unique: text(&r[1]) == "1",
                        where_sql: where_sql.filter(|_| text(&r[3]) == "1"),
                    });
                }
                _ => {}
            }
        }
        unique_constraints.sort_by(|a, b| a.columns.cmp(&b.columns));

        let mut checks: Vec<ReflectedCheck> = checks_in_create_table(&create)
            .into_iter()
            .map(|(name, sql)| ReflectedCheck { name, sql })
            .collect();
        checks.sort_by(|a, b| a.sql.cmp(&b.sql));
        foreign_keys.sort_by(|a, b| a.columns.cmp(&b.columns));

        Ok(ReflectedTable {
            schema: schema.filter(|s| *s != "main").map(str::to_owned),
            name: name.to_owned(),
            kind,
            columns,
            primary_key,
            primary_key_name: None,
            foreign_keys,
            unique_constraints,
            checks,
            indexes,
            comment: None,
            view_definition: (kind == RelationKind::View).then_some(create),
            create_sql: Vec::new(),
            deferred_sql: Vec::new(),
        })
    }
}

/// The clause of `CREATE TABLE` that declares the foreign key on `columns`, and its
/// constraint name: a table constraint `[CONSTRAINT n] FOREIGN KEY (…) REFERENCES …`, or a
/// column's own `REFERENCES`.
fn foreign_key_clause(items: &[String], columns: &[String]) -> Option<(Option<String>, String)> {
    for item in items {
        if keyword_positions(item, "REFERENCES").is_empty() {
            continue;
        }
        let (first, rest) = first_identifier(item);
        let constraint_name = first
            .eq_ignore_ascii_case("CONSTRAINT")
            .then(|| first_identifier(rest).0);
        let table_constraint = match keyword_positions(item, "FOREIGN").first() {
            Some(&at) if constraint_name.is_some() || at == 0 => Some(at),
            _ => None,
        };
        let own_columns: Vec<String> = match table_constraint {
            Some(at) => item[at..]
                .find('(')
                .and_then(|open| balanced(&item[at..], open))
                .map(|(list, _)| {
                    split_top_level(list)
                        .iter()
                        .map(|c| first_identifier(c).0)
                        .collect()
                })
                .unwrap_or_default(),
            None => vec![first],
        };
        if own_columns == columns {
            return Some((
                constraint_name.filter(|_| table_constraint.is_some()),
                item.clone(),
            ));
        }
    }
    None
}

impl SqliteConnection {
    /// See [`Inspect::apply_schema_changes`].
    fn apply_with_foreign_keys_off(&mut self, statements: &[String]) -> QueryResult<()> {
        use philtre::connection::Connection;
        let enforced = self
            .catalog("PRAGMA foreign_keys", &[])?
            .first()
            .and_then(|r| r[0].clone())
            == Some("1".to_owned());
        if enforced && (self.transaction_depth().get() > 0 || !self.raw().is_autocommit()) {
            // Inside a transaction foreign keys cannot be switched off, and dropping a table
            // that is rebuilt would cascade to the rows referencing it.
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                "schema changes on SQLite run outside a transaction: inside one, foreign keys \
                 cannot be switched off, and rebuilding a referenced table would delete the rows \
                 that reference it",
            ));
        }
        if enforced {
            // A no-op inside a transaction, so it comes first.
            self.batch_execute("PRAGMA foreign_keys = OFF")?;
        }
        let outcome = self.transaction(|conn: &mut SqliteConnection| {
            for statement in statements {
                conn.batch_execute(statement)?;
            }
            let broken = conn.catalog("PRAGMA foreign_key_check", &[])?;
            if let Some(row) = broken.first() {
                return Err(Error::new(
                    ErrorKind::ForeignKeyViolation,
                    format!(
                        "after the schema change, a row of `{}` references a missing row of `{}` ({} such rows); nothing was changed",
                        text(&row[0]),
                        text(&row[2]),
                        broken.len()
                    ),
                ));
            }
            Ok(())
        });
        if enforced {
            let restored = self.batch_execute("PRAGMA foreign_keys = ON");
            outcome?;
            return restored;
        }
        outcome
    }
}
