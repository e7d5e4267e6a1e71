//! Reflection on MySQL and MariaDB, from `information_schema`: `TABLES`, `COLUMNS`,
//! `TABLE_CONSTRAINTS`, `KEY_COLUMN_USAGE`, `REFERENTIAL_CONSTRAINTS`, `CHECK_CONSTRAINTS`,
//! `STATISTICS`.

use mysql::prelude::Queryable;
use philtre::reflection::sql_text::{parse_standard_type, referential_action, split_top_level};
use philtre::reflection::{
    AlterColumnStyle, ColumnType, Inspect, ReflectDialect, ReflectedCheck, ReflectedColumn,
    ReflectedForeignKey, ReflectedGenerated, ReflectedIndex, ReflectedTable, ReflectedUnique,
    RelationKind, constraint_named, first_column,
};
use philtre::schema::ReferentialAction;
use philtre::{Error, ErrorKind, QueryResult};

use crate::error::from_mysql;
use crate::{Mysql, MysqlConnection};

impl ReflectDialect for Mysql {
    /// MySQL's `COLUMN_TYPE` spellings: `int(11)`, `tinyint(1)` (a boolean), `enum('a','b')`,
    /// `bigint(20) unsigned`, and philtre's own DDL (`BOOLEAN`, `DATETIME(6)`).
    fn parse_type(sql_type: &str) -> ColumnType {
        let lower = sql_type.trim().to_ascii_lowercase();
        if lower == "tinyint(1)" || lower == "boolean" || lower == "bool" {
            return ColumnType::Bool;
        }
        if lower.starts_with("tinyint") {
            let unsigned = lower.ends_with(" unsigned");
            let small = ColumnType::SmallInt;
            return if unsigned {
                ColumnType::Unsigned(Box::new(small))
            } else {
                small
            };
        }
        if let Some(list) = lower
            .strip_prefix("enum(")
            .and_then(|l| l.strip_suffix(')'))
        {
            // The labels keep their case: read them from the original text.
            let original = &sql_type.trim()[5..sql_type.trim().len() - 1];
            debug_assert_eq!(original.len(), list.len());
            return ColumnType::Enum {
                name: None,
                labels: split_top_level(original)
                    .iter()
                    .map(|l| unquote_label(l))
                    .collect(),
            };
        }
        parse_standard_type(&lower).unwrap_or_else(|| ColumnType::Other(sql_type.trim().to_owned()))
    }

    /// `TRUE` is stored as `1`, and MariaDB writes `current_timestamp()` with parentheses.
    fn normalize_default(sql: &str) -> String {
        let normalized = philtre::reflection::sql_text::normalize_default(sql);
        match normalized.as_str() {
            "true" => "1".to_owned(),
            "false" => "0".to_owned(),
            _ => normalized,
        }
    }

    const RESTRICT_IS_NO_ACTION: bool = true;
    const ALTER_COLUMN: AlterColumnStyle = AlterColumnStyle::Modify;
}

/// A label of `enum('a','it''s')` without its quotes.
fn unquote_label(label: &str) -> String {
    let inner = label.trim().trim_start_matches('\'').trim_end_matches('\'');
    inner.replace("''", "'").replace("\\\\", "\\")
}

type Rows = Vec<Vec<Option<String>>>;

/// The schema a query is about: the one named, or the connection's `database()`.
const SCHEMA: &str = "coalesce(?, database())";

impl MysqlConnection {
    fn catalog(&mut self, sql: &str, params: Vec<Option<String>>) -> QueryResult<Rows> {
        let rows: Vec<mysql::Row> = self.conn.exec(sql, params).map_err(from_mysql)?;
        Ok(rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| match row.as_ref(i) {
                        None | Some(mysql::Value::NULL) => None,
                        Some(mysql::Value::Bytes(b)) => {
                            Some(String::from_utf8_lossy(b).into_owned())
                        }
                        Some(mysql::Value::Int(v)) => Some(v.to_string()),
                        Some(mysql::Value::UInt(v)) => Some(v.to_string()),
                        Some(other) => Some(other.as_sql(true)),
                    })
                    .collect()
            })
            .collect())
    }

    fn tables_of_type(&mut self, schema: Option<&str>, kind: &str) -> QueryResult<Vec<String>> {
        Ok(first_column(self.catalog(
            &format!(
                "SELECT table_name FROM information_schema.tables \
                     WHERE table_schema = {SCHEMA} AND table_type = ? ORDER BY 1"
            ),
            vec![schema.map(str::to_owned), Some(kind.to_owned())],
        )?))
    }
}

fn text(cell: &Option<String>) -> String {
    cell.clone().unwrap_or_default()
}

fn action(rule: &Option<String>) -> Option<ReferentialAction> {
    match referential_action(&text(rule)) {
        Some(ReferentialAction::Restrict) => None,
        other => other,
    }
}

impl Inspect for MysqlConnection {
    /// `GET_LOCK('philtre_migrations', seconds)`, a named lock of the session.
    fn migration_lock(&mut self, take: bool, wait: std::time::Duration) -> QueryResult<()> {
        if !take {
            self.query_text("SELECT RELEASE_LOCK('philtre_migrations')")?;
            return Ok(());
        }
        let seconds = wait.as_secs().max(1);
        let got = self.query_text(&format!("SELECT GET_LOCK('philtre_migrations', {seconds})"))?;
        if got
            .first()
            .and_then(|r| r.first())
            .cloned()
            .flatten()
            .as_deref()
            == Some("1")
        {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::LockNotAvailable,
                format!("another process has been running migrations for over {seconds} s"),
            ))
        }
    }

    fn query_text(&mut self, sql: &str) -> QueryResult<Vec<Vec<Option<String>>>> {
        self.catalog(sql, Vec::new())
    }

    fn apply_schema_changes(&mut self, statements: &[String]) -> QueryResult<()> {
        use philtre::connection::Connection;
        for (done, statement) in statements.iter().enumerate() {
            if let Err(e) = self.batch_execute(statement) {
                return Err(Error::new(
                    e.kind(),
                    format!(
                        "{} (statement {} of {}; MySQL commits each DDL statement, so the {done} before it stay applied)",
                        e.message(),
                        done + 1,
                        statements.len()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn schema_names(&mut self) -> QueryResult<Vec<String>> {
        Ok(first_column(self.catalog(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT IN \
                 ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY 1",
            Vec::new(),
        )?))
    }

    fn table_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        self.tables_of_type(schema, "BASE TABLE")
    }

    fn view_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        self.tables_of_type(schema, "VIEW")
    }

    fn reflect_table(&mut self, schema: Option<&str>, name: &str) -> QueryResult<ReflectedTable> {
        let at = || vec![schema.map(str::to_owned), Some(name.to_owned())];
        let found = self.catalog(
            &format!(
                "SELECT t.table_type, t.table_comment, v.view_definition FROM information_schema.tables t \
                 LEFT JOIN information_schema.views v ON v.table_schema = t.table_schema AND v.table_name = t.table_name \
                 WHERE t.table_schema = {SCHEMA} AND t.table_name = ?"
            ),
            at(),
        )?;
        let Some(row) = found.into_iter().next() else {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!(
                    "no table or view `{name}` in MySQL database `{}`",
                    schema.unwrap_or("(current)")
                ),
            ));
        };
        let kind = if text(&row[0]) == "VIEW" {
            RelationKind::View
        } else {
            RelationKind::BaseTable
        };

        // CHECKs first: MariaDB's JSON is LONGTEXT with a `json_valid` check, part of the type.
        let raw_checks = self.catalog(
            &format!(
                "SELECT cc.constraint_name, cc.check_clause FROM information_schema.check_constraints cc \
                 JOIN information_schema.table_constraints tc ON tc.constraint_schema = cc.constraint_schema \
                 AND tc.constraint_name = cc.constraint_name AND tc.table_name = cc.table_name \
                 WHERE tc.table_schema = {SCHEMA} AND tc.table_name = ? AND tc.constraint_type = 'CHECK' ORDER BY 2"
            ),
            at(),
        )?;
        let mut json_columns = Vec::new();
        let mut checks = Vec::new();
        for r in &raw_checks {
            let clause = text(&r[1]);
            let json = clause
                .strip_prefix("json_valid(`")
                .and_then(|c| c.strip_suffix("`)"));
            match json {
                Some(column) => json_columns.push(column.to_owned()),
                None => checks.push(ReflectedCheck {
                    name: r[0].clone(),
                    sql: clause,
                }),
            }
        }

        let raw_columns = self.catalog(
            &format!(
                "SELECT column_name, column_type, is_nullable, column_default, extra, column_comment, \
                 generation_expression FROM information_schema.columns \
                 WHERE table_schema = {SCHEMA} AND table_name = ? ORDER BY ordinal_position"
            ),
            at(),
        )?;
        let mut columns = Vec::with_capacity(raw_columns.len());
        for r in &raw_columns {
            let column = text(&r[0]);
            let extra = text(&r[4]).to_ascii_lowercase();
            let generated = extra.contains("generated");
            let sql_type = text(&r[1]);
            let column_type = if json_columns.contains(&column) {
                ColumnType::Json
            } else {
                Mysql::parse_type(&sql_type)
            };
            columns.push(ReflectedColumn {
                column_type,
                sql_type,
                nullable: text(&r[2]) == "YES",
                // MariaDB reports a NULL default as the text `NULL`.
                default: r[3].clone().filter(|d| d != "NULL" && !generated),
                auto_increment: extra.contains("auto_increment"),
                comment: r[5].clone().filter(|c| !c.is_empty()),
                generated: generated.then(|| ReflectedGenerated {
                    sql: text(&r[6]),
                    stored: extra.contains("stored"),
                }),
                definition: None,
                name: column,
            });
        }

        let constraints = self.catalog(
            &format!(
                "SELECT tc.constraint_name, tc.constraint_type, k.column_name, k.referenced_table_schema, \
                 k.referenced_table_name, k.referenced_column_name, rc.update_rule, rc.delete_rule, k.table_schema \
                 FROM information_schema.table_constraints tc \
                 JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema \
                 AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name \
                 LEFT JOIN information_schema.referential_constraints rc ON rc.constraint_schema = tc.constraint_schema \
                 AND rc.constraint_name = tc.constraint_name AND rc.table_name = tc.table_name \
                 WHERE tc.table_schema = {SCHEMA} AND tc.table_name = ? \
                 AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY') \
                 ORDER BY tc.constraint_name, k.ordinal_position"
            ),
            at(),
        )?;
        let mut primary_key = Vec::new();
        let mut unique_constraints: Vec<ReflectedUnique> = Vec::new();
        let mut foreign_keys: Vec<ReflectedForeignKey> = Vec::new();
        for r in &constraints {
            let constraint = text(&r[0]);
            let column = text(&r[2]);
            match text(&r[1]).as_str() {
                "PRIMARY KEY" => primary_key.push(column),
                "UNIQUE" => {
                    constraint_named(&mut unique_constraints, &constraint, || ReflectedUnique {
                        name: Some(constraint.clone()),
                        columns: Vec::new(),
                    })
                    .columns
                    .push(column)
                }
                _ => {
                    let fk =
                        constraint_named(&mut foreign_keys, &constraint, || ReflectedForeignKey {
                            name: Some(constraint.clone()),
                            columns: Vec::new(),
                            foreign_schema: r[3].clone().filter(|s| *s != text(&r[8])),
                            foreign_table: text(&r[4]),
                            foreign_columns: Vec::new(),
                            on_delete: action(&r[7]),
                            on_update: action(&r[6]),
                            deferrable: None,
                        });
                    fk.columns.push(column);
                    fk.foreign_columns.push(text(&r[5]));
                }
            }
        }
        unique_constraints.sort_by(|a, b| a.columns.cmp(&b.columns));
        foreign_keys.sort_by(|a, b| a.columns.cmp(&b.columns));

        // Non-unique indexes (unique keys are the constraints above), leaving out the index
        // InnoDB makes for a foreign key, which carries the key's name.
        let raw_indexes = self.catalog(
            &format!(
                "SELECT index_name, column_name FROM information_schema.statistics \
                 WHERE table_schema = {SCHEMA} AND table_name = ? AND non_unique = 1 \
                 ORDER BY index_name, seq_in_index"
            ),
            at(),
        )?;
        let mut indexes: Vec<ReflectedIndex> = Vec::new();
        for r in &raw_indexes {
            let index = text(&r[0]);
            if foreign_keys
                .iter()
                .any(|fk| fk.name.as_ref() == Some(&index))
            {
                continue;
            }
            if indexes.last().is_none_or(|i| i.name != index) {
                indexes.push(ReflectedIndex {
                    name: index,
                    columns: Vec::new(),
                    expressions: Vec::new(),
                    unique: false,
                    where_sql: None,
                });
            }
            let entry = indexes.last_mut().expect("pushed above");
            entry.columns.push(text(&r[1]));
            entry.expressions.push(false);
        }

        Ok(ReflectedTable {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
            kind,
            columns,
            primary_key,
            primary_key_name: None,
            foreign_keys,
            unique_constraints,
            checks,
            indexes,
            comment: row[1]
                .clone()
                .filter(|c| !c.is_empty() && kind == RelationKind::BaseTable),
            view_definition: row[2].clone(),
            create_sql: Vec::new(),
            deferred_sql: Vec::new(),
        })
    }

    fn sequence_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        self.tables_of_type(schema, "SEQUENCE")
    }
}
