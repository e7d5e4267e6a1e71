//! DDL conformance with SQLAlchemy 1.3: SQLAlchemy's `CREATE TABLE` statements run in one
//! database, `Schema::create_all` of the same declared tables in another, and what each
//! database reports about the tables (columns, types, nullability, defaults, keys) must agree.

use std::io::Write;

use philtre::prelude::*;
use philtre_tests::harness::{Dialect, RawRows};

mod cf {
    philtre::table! {
        users (id) {
            #[auto_increment]
            id -> Integer,
            #[max_length = 50]
            name -> Text,
            #[unique]
            #[max_length = 120]
            email -> Text,
            age -> Nullable<Integer>,
            #[default = current_timestamp]
            created_at -> Timestamp,
        }
        posts (id) {
            #[auto_increment]
            id -> Integer,
            user_id -> Integer references users(id),
            #[max_length = 200]
            title -> Text,
            body -> Nullable<Text>,
            #[default = false]
            published -> Bool,
            score -> Integer,
        }
        tags (id) {
            #[auto_increment]
            id -> Integer,
            #[unique]
            #[max_length = 50]
            name -> Text,
            parent_id -> Nullable<Integer> references tags(id),
        }
        post_tags (post_id, tag_id) {
            post_id -> Integer references posts(id) on delete cascade,
            tag_id -> Integer references tags(id) on delete cascade,
        }
    }
}

const TABLES: [&str; 4] = ["users", "posts", "tags", "post_tags"];
const STATEMENTS: [&str; 4] = [
    "ddl_create_users",
    "ddl_create_posts",
    "ddl_create_tags",
    "ddl_create_post_tags",
];

fn schema() -> Schema {
    Schema::new()
        .table(cf::users::table)
        .table(cf::posts::table)
        .table(cf::tags::table)
        .table(cf::post_tags::table)
}

fn literal(id: &str, dialect: Dialect) -> String {
    philtre_tests::harness::sqlalchemy_literal(id, dialect)
}

/// What the database reports about a table's columns and constraints, in comparable form.
fn catalog_queries(dialect: Dialect, table: &str) -> Vec<String> {
    match dialect {
        Dialect::Sqlite => vec![
            format!("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}') ORDER BY cid"),
            format!("SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list('{table}') ORDER BY \"from\""),
            format!(
                "SELECT group_concat(ii.name) FROM pragma_index_list('{table}') il, pragma_index_info(il.name) ii
                 WHERE il.\"unique\" = 1 AND il.origin = 'u' GROUP BY il.name ORDER BY 1"
            ),
        ],
        Dialect::Postgres => vec![
            format!(
                "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
                 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}'
                 ORDER BY ordinal_position"
            ),
            format!(
                "SELECT kcu.column_name, ccu.table_name, ccu.column_name, rc.delete_rule
                 FROM information_schema.referential_constraints rc
                 JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
                 JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.constraint_name AND ccu.constraint_schema = rc.constraint_schema
                 WHERE kcu.table_schema = current_schema() AND kcu.table_name = '{table}' ORDER BY 1"
            ),
            format!(
                "SELECT tc.constraint_type, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position)
                 FROM information_schema.table_constraints tc
                 JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.constraint_schema = tc.constraint_schema
                 WHERE tc.table_schema = current_schema() AND tc.table_name = '{table}' AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
                 GROUP BY tc.constraint_name, tc.constraint_type ORDER BY 1, 2"
            ),
        ],
        Dialect::Mysql => vec![
            format!(
                "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default, extra
                 FROM information_schema.columns WHERE table_schema = database() AND table_name = '{table}'
                 ORDER BY ordinal_position"
            ),
            format!(
                "SELECT kcu.column_name, kcu.referenced_table_name, kcu.referenced_column_name, rc.delete_rule
                 FROM information_schema.key_column_usage kcu
                 JOIN information_schema.referential_constraints rc ON rc.constraint_name = kcu.constraint_name AND rc.constraint_schema = kcu.table_schema
                 WHERE kcu.table_schema = database() AND kcu.table_name = '{table}' AND kcu.referenced_table_name IS NOT NULL ORDER BY 1"
            ),
            format!(
                "SELECT tc.constraint_type, group_concat(kcu.column_name ORDER BY kcu.ordinal_position)
                 FROM information_schema.table_constraints tc
                 JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema AND kcu.table_name = tc.table_name
                 WHERE tc.table_schema = database() AND tc.table_name = '{table}' AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
                 GROUP BY tc.constraint_name, tc.constraint_type ORDER BY 1, 2"
            ),
        ],
    }
}

/// Spellings that mean the same: SQLite type names by affinity, `now()` and
/// `CURRENT_TIMESTAMP`, `false` and `0`, serial defaults, MySQL's default quoting.
fn normalize(dialect: Dialect, rows: RawRows) -> RawRows {
    rows.into_iter()
        .map(|row| {
            row.into_iter()
                .enumerate()
                .map(|(i, cell)| {
                    let lower = cell.to_lowercase();
                    let lower = lower
                        .trim_matches(|c| c == '\'' || c == '(' || c == ')')
                        .to_owned();
                    if dialect == Dialect::Sqlite && i == 1 && !lower.contains('(') {
                        // Declared type → SQLite affinity (https://sqlite.org/datatype3.html).
                        return if lower.contains("int") {
                            "integer".into()
                        } else if lower.contains("char")
                            || lower.contains("text")
                            || lower.contains("clob")
                        {
                            "text".into()
                        } else if lower.contains("real")
                            || lower.contains("floa")
                            || lower.contains("doub")
                        {
                            "real".into()
                        } else {
                            "numeric".into()
                        };
                    }
                    match lower.as_str() {
                        "now"
                        | "current_timestamp"
                        | "current_timestamp()"
                        | "current_timestamp(6" => "now".into(),
                        "false" => "0".into(),
                        "true" => "1".into(),
                        s if s.starts_with("nextval") => "serial".into(),
                        _ => lower,
                    }
                })
                .collect()
        })
        .collect()
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn create_all_makes_the_tables_sqlalchemy_makes(conn) {
    conn.batch_execute("DROP TABLE post_tags; DROP TABLE posts; DROP TABLE users;")?;
    schema().create_all(conn)?;
    let mut theirs_db = open().expect("a second test database");
    let theirs: &mut Conn = &mut theirs_db;
    theirs.batch_execute("DROP TABLE post_tags; DROP TABLE posts; DROP TABLE users;")?;
    for id in STATEMENTS {
        theirs.batch_execute(&literal(id, DIALECT))?;
    }
    let mut mismatches = Vec::new();
    for (table, id) in TABLES.iter().zip(STATEMENTS) {
        for query in catalog_queries(DIALECT, table) {
            let ours = normalize(DIALECT, raw_rows(conn, &query)?);
            let sqlalchemy = normalize(DIALECT, raw_rows(theirs, &query)?);
            if ours != sqlalchemy {
                mismatches.push(format!("{id}: ours {ours:?} != SQLAlchemy's {sqlalchemy:?}"));
            }
        }
    }
    let _ = writeln!(std::io::stderr(), "DDL conformance ({DIALECT:?}): {} CREATE TABLE statements compared", STATEMENTS.len());
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    Ok(())
}
}
