//! Reflection on PostgreSQL, from `pg_catalog`: `pg_class`, `pg_attribute`, `pg_constraint`,
//! `pg_index`, `pg_enum`, with the server's own `format_type`, `pg_get_expr` and
//! `pg_get_indexdef` spelling types and expressions.

use philtre::reflection::sql_text::{parse_standard_type, referential_action, strip_outer_parens};
use philtre::reflection::{
    AlterColumnStyle, ColumnType, Inspect, ReflectDialect, ReflectedCheck, ReflectedColumn,
    ReflectedEnum, ReflectedForeignKey, ReflectedGenerated, ReflectedIndex, ReflectedTable,
    ReflectedUnique, RelationKind, constraint_named, first_column,
};
use philtre::{Error, ErrorKind, QueryResult};
use tokio_postgres::types::ToSql;

use crate::Pg;
use crate::connection::PgConnection;
use crate::driver::Driver;

impl ReflectDialect for Pg {
    fn parse_type(sql_type: &str) -> ColumnType {
        let sql_type = sql_type.trim();
        // An array of a type philtre does not know is still an array (`xml[]`).
        if let Some(element) = sql_type.strip_suffix("[]") {
            return ColumnType::Array(Box::new(Pg::parse_type(element)));
        }
        parse_standard_type(sql_type).unwrap_or_else(|| ColumnType::Other(sql_type.to_owned()))
    }

    const ALTER_COLUMN: AlterColumnStyle = AlterColumnStyle::Clauses;
}

type Rows = Vec<Vec<Option<String>>>;

/// The advisory lock key of migration runs ("philtre" on a phone keypad).
const MIGRATION_LOCK_KEY: i64 = 7_445_873;

/// The schema a query is about: the one named, or the connection's `current_schema()`.
const SCHEMA: &str = "coalesce($1::text, current_schema())";

impl PgConnection {
    /// Runs a catalog query whose columns are all text, binding `params` as text.
    fn catalog(&mut self, sql: &str, params: &[Option<&str>]) -> QueryResult<Rows> {
        let Driver { client, io } = &mut self.driver;
        let binds: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = io.block_on_driver(client.query(sql, &binds))?;
        Ok(rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| row.get::<_, Option<String>>(i))
                    .collect()
            })
            .collect())
    }

    fn relations(&mut self, schema: Option<&str>, kinds: &str) -> QueryResult<Vec<String>> {
        let sql = format!(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = {SCHEMA} AND c.relkind::text = ANY (string_to_array($2, ',')) \
             AND NOT c.relispartition ORDER BY 1"
        );
        Ok(first_column(self.catalog(&sql, &[schema, Some(kinds)])?))
    }
}

fn text(cell: &Option<String>) -> String {
    cell.clone().unwrap_or_default()
}

fn flag(cell: &Option<String>) -> bool {
    cell.as_deref() == Some("true")
}

impl Inspect for PgConnection {
    /// A session advisory lock, tried every 100 ms until `wait` is over.
    fn migration_lock(&mut self, take: bool, wait: std::time::Duration) -> QueryResult<()> {
        if !take {
            self.query_text(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))?;
            return Ok(());
        }
        let deadline = std::time::Instant::now() + wait;
        loop {
            let got = self.query_text(&format!(
                "SELECT pg_try_advisory_lock({MIGRATION_LOCK_KEY})"
            ))?;
            if got
                .first()
                .and_then(|r| r.first())
                .cloned()
                .flatten()
                .as_deref()
                == Some("t")
            {
                return Ok(());
            }
            if std::time::Instant::now() >= deadline {
                return Err(Error::new(
                    ErrorKind::LockNotAvailable,
                    format!("another process has been running migrations for over {wait:?}"),
                ));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// Through the simple query protocol, which returns every value as text.
    fn query_text(&mut self, sql: &str) -> QueryResult<Vec<Vec<Option<String>>>> {
        let Driver { client, io } = &mut self.driver;
        let messages = io.block_on_driver(client.simple_query(sql))?;
        Ok(messages
            .iter()
            .filter_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                    (0..row.len())
                        .map(|i| row.get(i).map(str::to_owned))
                        .collect(),
                ),
                _ => None,
            })
            .collect())
    }

    fn apply_schema_changes(&mut self, statements: &[String]) -> QueryResult<()> {
        use philtre::connection::Connection;
        self.transaction(|conn: &mut PgConnection| {
            for statement in statements {
                conn.batch_execute(statement)?;
            }
            Ok(())
        })
    }

    fn schema_names(&mut self) -> QueryResult<Vec<String>> {
        Ok(first_column(self.catalog(
            "SELECT nspname::text FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' \
                 AND nspname <> 'information_schema' ORDER BY 1",
            &[],
        )?))
    }

    fn table_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        self.relations(schema, "r,p")
    }

    fn view_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        self.relations(schema, "v,m")
    }

    fn reflect_table(&mut self, schema: Option<&str>, name: &str) -> QueryResult<ReflectedTable> {
        let found = self.catalog(
            &format!(
                "SELECT c.oid::text, c.relkind::text, obj_description(c.oid, 'pg_class'), \
                 CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END, n.nspname::text \
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = {SCHEMA} AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm')"
            ),
            &[schema, Some(name)],
        )?;
        let Some(row) = found.into_iter().next() else {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!(
                    "no table or view `{name}` in PostgreSQL schema `{}`",
                    schema.unwrap_or("(current)")
                ),
            ));
        };
        let oid = text(&row[0]);
        let oid = Some(oid.as_str());
        let own_schema = text(&row[4]);
        let kind = match row[1].as_deref() {
            Some("v" | "m") => RelationKind::View,
            _ => RelationKind::BaseTable,
        };

        let raw_columns = self.catalog(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), (NOT a.attnotnull)::text, \
             pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text, \
             col_description(a.attrelid, a.attnum), t.typtype::text, t.typname::text, t.oid::text \
             FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE a.attrelid = $1::text::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            &[oid],
        )?;
        let mut columns = Vec::with_capacity(raw_columns.len());
        for r in &raw_columns {
            let sql_type = text(&r[1]);
            let expression = r[3].clone();
            let identity = !text(&r[4]).is_empty();
            let generated = text(&r[5]) == "s";
            let serial = expression
                .as_deref()
                .is_some_and(|e| e.starts_with("nextval("));
            let column_type = if text(&r[7]) == "e" {
                let labels = self.catalog(
                    "SELECT enumlabel::text FROM pg_enum WHERE enumtypid = $1::text::oid ORDER BY enumsortorder",
                    &[r[9].as_deref()],
                )?;
                ColumnType::Enum {
                    name: Some(text(&r[8])),
                    labels: labels.iter().map(|l| text(&l[0])).collect(),
                }
            } else {
                Pg::parse_type(&sql_type)
            };
            columns.push(ReflectedColumn {
                name: text(&r[0]),
                sql_type,
                column_type,
                nullable: flag(&r[2]),
                default: expression.clone().filter(|_| !generated && !serial),
                auto_increment: identity || serial,
                comment: r[6].clone(),
                generated: generated.then(|| ReflectedGenerated {
                    sql: expression.unwrap_or_default(),
                    stored: true,
                }),
                definition: None,
            });
        }

        // Constraints: one row per (constraint, column), in key order.
        let constraints = self.catalog(
            "SELECT con.conname::text, con.contype::text, a.attname::text, fa.attname::text, \
             fc.relname::text, fn.nspname::text, con.confupdtype::text, con.confdeltype::text, \
             con.condeferrable::text, con.condeferred::text \
             FROM pg_constraint con \
             CROSS JOIN LATERAL unnest(con.conkey, coalesce(con.confkey, con.conkey)) WITH ORDINALITY AS k(attnum, fattnum, ord) \
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum \
             LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum \
             LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
             LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
             WHERE con.conrelid = $1::text::oid AND con.contype IN ('p', 'u', 'f') \
             ORDER BY con.conname, k.ord",
            &[oid],
        )?;
        let mut primary_key = Vec::new();
        let mut primary_key_name = None;
        let mut unique_constraints: Vec<ReflectedUnique> = Vec::new();
        let mut foreign_keys: Vec<ReflectedForeignKey> = Vec::new();
        for r in &constraints {
            let constraint = text(&r[0]);
            let column = text(&r[2]);
            match text(&r[1]).as_str() {
                "p" => {
                    primary_key_name = Some(constraint);
                    primary_key.push(column);
                }
                "u" => constraint_named(&mut unique_constraints, &constraint, || ReflectedUnique {
                    name: Some(constraint.clone()),
                    columns: Vec::new(),
                })
                .columns
                .push(column),
                _ => {
                    let fk =
                        constraint_named(&mut foreign_keys, &constraint, || ReflectedForeignKey {
                            name: Some(constraint.clone()),
                            columns: Vec::new(),
                            foreign_schema: r[5].clone().filter(|s| *s != own_schema),
                            foreign_table: text(&r[4]),
                            foreign_columns: Vec::new(),
                            on_delete: referential_action(&text(&r[7])),
                            on_update: referential_action(&text(&r[6])),
                            deferrable: flag(&r[8]).then(|| flag(&r[9])),
                        });
                    fk.columns.push(column);
                    fk.foreign_columns.push(text(&r[3]));
                }
            }
        }
        unique_constraints.sort_by(|a, b| a.columns.cmp(&b.columns));
        foreign_keys.sort_by(|a, b| a.columns.cmp(&b.columns));

        let mut checks: Vec<ReflectedCheck> = self
            .catalog(
                "SELECT conname::text, pg_get_constraintdef(oid, true) FROM pg_constraint \
                 WHERE conrelid = $1::text::oid AND contype = 'c' ORDER BY 2",
                &[oid],
            )?
            .iter()
            .map(|r| {
                let definition = text(&r[1]);
                let condition = definition
                    .strip_prefix("CHECK ")
                    .map(|c| c.trim_end_matches(" NOT VALID"))
                    .unwrap_or(&definition);
                ReflectedCheck {
                    name: r[0].clone(),
                    sql: strip_outer_parens(condition).to_owned(),
                }
            })
            .collect();
        checks.sort_by(|a, b| a.sql.cmp(&b.sql));

        // Indexes that are not a constraint's own.
        let raw_indexes = self.catalog(
            "SELECT ic.relname::text, i.indisunique::text, pg_get_expr(i.indpred, i.indrelid), \
             pg_get_indexdef(i.indexrelid, k, true), (i.indkey[k - 1] = 0)::text \
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
             CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k \
             WHERE i.indrelid = $1::text::oid AND NOT i.indisprimary \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid) \
             ORDER BY 1, k",
            &[oid],
        )?;
        let mut indexes: Vec<ReflectedIndex> = Vec::new();
        for r in &raw_indexes {
            let index = text(&r[0]);
            if indexes.last().is_none_or(|i| i.name != index) {
                indexes.push(ReflectedIndex {
                    name: index,
                    columns: Vec::new(),
                    expressions: Vec::new(),
                    unique: flag(&r[1]),
                    where_sql: r[2].as_deref().map(|w| strip_outer_parens(w).to_owned()),
                });
            }
            let entry = indexes.last_mut().expect("pushed above");
            let expression = flag(&r[4]);
            let written = text(&r[3]);
            entry.columns.push(if expression {
                strip_outer_parens(&written).to_owned()
            } else {
                philtre::reflection::sql_text::unquote_identifier(&written)
            });
            entry.expressions.push(expression);
        }

        Ok(ReflectedTable {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
            kind,
            columns,
            primary_key,
            primary_key_name,
            foreign_keys,
            unique_constraints,
            checks,
            indexes,
            comment: row[2].clone(),
            view_definition: row[3].clone(),
            create_sql: Vec::new(),
            deferred_sql: Vec::new(),
        })
    }

    fn enum_types(&mut self, schema: Option<&str>) -> QueryResult<Vec<ReflectedEnum>> {
        let rows = self.catalog(
            &format!(
                "SELECT t.typname::text, e.enumlabel::text FROM pg_type t \
                 JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid \
                 WHERE n.nspname = {SCHEMA} ORDER BY t.typname, e.enumsortorder"
            ),
            &[schema],
        )?;
        let mut enums: Vec<ReflectedEnum> = Vec::new();
        for r in &rows {
            let name = text(&r[0]);
            if enums.last().is_none_or(|e| e.name != name) {
                enums.push(ReflectedEnum {
                    schema: schema.map(str::to_owned),
                    name,
                    labels: Vec::new(),
                });
            }
            enums
                .last_mut()
                .expect("pushed above")
                .labels
                .push(text(&r[1]));
        }
        Ok(enums)
    }

    /// Sequences made by `CREATE SEQUENCE`; those a `SERIAL` or identity column owns are
    /// part of their column.
    fn sequence_names(&mut self, schema: Option<&str>) -> QueryResult<Vec<String>> {
        Ok(first_column(self.catalog(
                &format!(
                    "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE n.nspname = {SCHEMA} AND c.relkind = 'S' AND NOT EXISTS \
                     (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) ORDER BY 1"
                ),
                &[schema],
            )?))
    }
}
