//! DDL conformance with SQLAlchemy 1.3: SQLAlchemy's `CREATE TABLE` statements run in one
//! database, `Schema::create_all` of the same declared tables in another, and what each
//! database reports about the tables (columns, types, nullability, defaults, keys) must agree.

use std::io::Write;

use philtre::prelude::*;
use philtre_tests::harness::{Dialect, RawRows};

pub(crate) mod cf {
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

/// The tables of SQLAlchemy's DDL statements beyond `CREATE TABLE` of the base schema, declared
/// as a philtre user would.
mod st {
    philtre::table! {
        #[check(age: "age >= 0")]
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
        #[index(user_id)]
        #[index(score, where = "published = true", name = "ix_posts_published_score")]
        #[index(title, postgresql_using = "btree", mysql_length = 20, name = "ix_posts_title")]
        posts (id) {
            #[auto_increment]
            id -> Integer,
            user_id -> Integer references users(id),
            #[max_length = 200]
            title -> Text,
            body -> Nullable<Text>,
            #[default = false]
            published -> Bool,
            #[default = 0]
            score -> Integer,
        }
        #[unique_index(post_id, user_id, name = "ux_comments_post_user")]
        comments (id) {
            #[auto_increment]
            id -> Integer,
            post_id -> Integer references posts(id) on delete cascade,
            user_id -> Integer references users(id),
            text -> Text,
        }
        orders (id) {
            id -> Integer,
            #[precision(12, 2)]
            #[default = 0]
            total -> Numeric,
        }
        /// On MySQL SQLAlchemy makes an integer primary key AUTO_INCREMENT (it has no sequences
        /// to take it from).
        #[sql_name = "orders"]
        orders_mysql (id) {
            #[auto_increment]
            id -> Integer,
            #[precision(12, 2)]
            #[default = 0]
            total -> Numeric,
        }
        lines (id) {
            #[auto_increment]
            id -> Integer,
            qty -> Integer,
            #[precision(10, 2)]
            price -> Numeric,
            #[generated = "qty * price"]
            #[precision(12, 2)]
            amount -> Nullable<Numeric>,
        }
        events (id) {
            #[auto_increment]
            id -> Integer,
            #[max_length = 20]
            kind -> Text,
        }
        #[temporary]
        scratch (id) {
            id -> Integer,
            #[max_length = 10]
            v -> Nullable<Text>,
        }
        #[index(data, postgresql_using = "gin")]
        pg_docs (id) {
            #[auto_increment]
            id -> Integer,
            data -> Nullable<Jsonb>,
            labels -> Nullable<Array<Text>>,
            uid -> Nullable<Uuid>,
            ip -> Nullable<Inet>,
        }
    }
}

/// What the database reports about `table` — columns, constraints, indexes, comments — and its
/// sequences, as comparable text (the test's own schema name taken out).
fn snapshot_queries(dialect: Dialect, table: &str) -> Vec<String> {
    match dialect {
        Dialect::Sqlite => vec![
            format!("SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo('{table}') ORDER BY cid"),
            format!(
                "SELECT il.name, il.\"unique\", il.partial, group_concat(ii.name) FROM pragma_index_list('{table}') il
                 LEFT JOIN pragma_index_info(il.name) ii WHERE il.origin = 'c' GROUP BY il.name ORDER BY 1"
            ),
        ],
        Dialect::Postgres => vec![
            format!(
                "SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable,
                        column_default, is_generated, generation_expression, col_description(('\"' || table_schema || '\".\"{table}\"')::regclass, ordinal_position::int)
                 FROM information_schema.columns
                 WHERE table_schema IN (current_schema(), pg_my_temp_schema()::regnamespace::text) AND table_name = '{table}'
                 ORDER BY ordinal_position"
            ),
            format!("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '{table}'::regclass ORDER BY 1"),
            format!(
                "SELECT indexrelid::regclass::text, replace(pg_get_indexdef(indexrelid), current_schema() || '.', '')
                 FROM pg_index WHERE indrelid = '{table}'::regclass ORDER BY 1"
            ),
            format!("SELECT obj_description('{table}'::regclass, 'pg_class')"),
            "SELECT sequence_name, start_value, increment FROM information_schema.sequences WHERE sequence_schema = current_schema() ORDER BY 1".into(),
        ],
        Dialect::Mysql => vec![
            format!("SHOW FULL COLUMNS FROM `{table}`"),
            format!(
                "SELECT constraint_name, constraint_type FROM information_schema.table_constraints
                 WHERE table_schema = database() AND table_name = '{table}' ORDER BY 1"
            ),
            format!(
                "SELECT constraint_name, check_clause FROM information_schema.check_constraints
                 WHERE constraint_schema = database() AND table_name = '{table}' ORDER BY 1"
            ),
            format!(
                "SELECT index_name, non_unique, group_concat(column_name ORDER BY seq_in_index), index_type, group_concat(coalesce(sub_part, '-'))
                 FROM information_schema.statistics WHERE table_schema = database() AND table_name = '{table}'
                 GROUP BY index_name, non_unique, index_type ORDER BY 1"
            ),
            format!("SELECT table_comment FROM information_schema.tables WHERE table_schema = database() AND table_name = '{table}'"),
            "SELECT table_name FROM information_schema.tables WHERE table_schema = database() AND table_type = 'SEQUENCE' ORDER BY 1".into(),
        ],
    }
}

/// The SQL philtre renders for a statement of the corpus, on backend `DB`.
type Ours = philtre::QueryResult<Vec<String>>;

pub(crate) fn ddl_statement_cases<DB: philtre::schema::SchemaDialect>(
    dialect: Dialect,
) -> Vec<(&'static str, &'static str, Ours)> {
    use philtre::schema::ddl;
    use philtre::schema::{NamingConvention, Sequence};
    static INVOICE_NO: Sequence = Sequence::new("invoice_no_seq");
    let escapes = DB::DEFAULT_STRING_ESCAPES;
    let create = |table: &philtre::schema::TableDescription| -> Ours {
        ddl::create_table_sql::<DB>(table, false, &[], &NamingConvention::default(), escapes)
    };
    let index = |table: &'static philtre::schema::TableDescription, name: &str| -> Ours {
        let index = table
            .indexes
            .iter()
            .find(|i| i.name == name)
            .expect("declared");
        Ok(vec![ddl::create_index_sql::<DB>(table, index, false)?])
    };
    let users = st::users::table.description();
    let posts = st::posts::table.description();
    let comments = st::comments::table.description();
    let orders = if dialect == Dialect::Mysql {
        st::orders_mysql::table.description()
    } else {
        st::orders::table.description()
    };
    let fk_user = philtre::schema::ForeignKeyDescription {
        columns: &["user_id"],
        foreign_table: "users",
        foreign_schema: None,
        foreign_columns: &["id"],
        on_delete: None,
        on_update: None,
        deferrable: None,
    };
    let named = |fk: &str, ck: &str| NamingConvention {
        foreign_key: fk.into(),
        check: Some(ck.into()),
        ..NamingConvention::default()
    };
    vec![
        ("ddl_create_sequence_pk", "orders", create(orders)),
        (
            "ddl_create_computed",
            "lines",
            create(st::lines::table.description()),
        ),
        (
            "ddl_create_dialect_options",
            "events",
            create(st::events::table.description()),
        ),
        (
            "ddl_create_temporary_table",
            "scratch",
            create(st::scratch::table.description()),
        ),
        (
            "ddl_create_pg_types",
            "pg_docs",
            create(&philtre::schema::TableDescription {
                indexes: &[],
                ..*st::pg_docs::table.description()
            }),
        ),
        (
            "ddl_create_index_pg_gin",
            "pg_docs",
            index(st::pg_docs::table.description(), "ix_pg_docs_data"),
        ),
        (
            "ddl_set_table_comment",
            "users",
            ddl::comment_on_table_sql::<DB>(users, "registered accounts", escapes).map(|s| vec![s]),
        ),
        (
            "ddl_set_column_comment",
            "users",
            ddl::comment_on_column_sql::<DB>(
                users,
                users.column("email").expect("email"),
                "login e-mail",
                escapes,
            )
            .map(|s| vec![s]),
        ),
        (
            "ddl_create_index",
            "posts",
            index(posts, "ix_posts_user_id"),
        ),
        (
            "ddl_create_partial_index",
            "posts",
            index(posts, "ix_posts_published_score"),
        ),
        (
            "ddl_create_index_dialect_options",
            "posts",
            index(posts, "ix_posts_title"),
        ),
        (
            "ddl_create_unique_index_multi",
            "comments",
            index(comments, "ux_comments_post_user"),
        ),
        (
            "ddl_drop_index",
            "posts",
            Ok(vec![ddl::drop_index_sql::<DB>(
                posts,
                &posts.indexes[0],
                false,
            )]),
        ),
        (
            "ddl_add_constraint_fk",
            "comments",
            ddl::add_foreign_key_sql::<DB>(comments, &fk_user, &named("fk_comments_user", ""))
                .map(|s| vec![s]),
        ),
        (
            "ddl_add_constraint_check",
            "users",
            ddl::add_check_sql::<DB>(users, &users.checks[0], &named("", "ck_{table}_{name}"))
                .map(|s| vec![s]),
        ),
        (
            "ddl_drop_sequence",
            "users",
            INVOICE_NO.drop_sql::<DB>(false).map(|s| vec![s]),
        ),
        (
            "ddl_drop_table",
            "posts",
            Ok(vec![ddl::drop_table_sql::<DB>(comments, false)]),
        ),
    ]
}

mod statements {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [sqlite, postgres, mysql];

    fn ddl_statements_do_what_sqlalchemys_do(conn) {
        use philtre::schema::Sequence;
        static INVOICE_NO: Sequence = Sequence::new("invoice_no_seq");
        let base = crate::backends::conformance::ddl(DIALECT);
        conn.batch_execute(&base)?;
        let mut theirs_db = open().expect("a second test database");
        let theirs: &mut Conn = &mut theirs_db;
        theirs.batch_execute(&base)?;
        if DIALECT != Dialect::Sqlite {
            // What `ddl_drop_sequence` drops.
            for db in [&mut *conn, &mut *theirs] {
                db.batch_execute(&INVOICE_NO.create_sql::<Db>(false)?)?;
            }
        }
        let (mut compared, mut refused, mut differs) = (Vec::new(), Vec::new(), Vec::new());
        let mut mismatches = Vec::new();
        for (id, table, ours) in ddl_statement_cases::<Db>(DIALECT) {
            // PostgreSQL-only types: SQLAlchemy renders nothing elsewhere.
            if DIALECT != Dialect::Postgres && table == "pg_docs" {
                continue;
            }
            let their_sql = literal(id, DIALECT);
            let their_result = theirs.batch_execute(&their_sql);
            match (their_result, ours) {
                (Ok(()), Ok(statements)) => {
                    for sql in &statements {
                        conn.batch_execute(sql)?;
                    }
                    let mut queries = snapshot_queries(DIALECT, table);
                    if table == "scratch" {
                        // SQLAlchemy's scratch table has no primary key; a `table!` always has one.
                        // Compare the columns' names and types.
                        queries = vec![match DIALECT {
                            Dialect::Sqlite => "SELECT name, type FROM pragma_table_xinfo('scratch') ORDER BY cid".into(),
                            Dialect::Postgres => "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = pg_my_temp_schema()::regnamespace::text AND table_name = 'scratch' ORDER BY ordinal_position".into(),
                            // Field and Type of each row are kept below.
                            Dialect::Mysql => "SHOW COLUMNS FROM scratch".into(),
                        }];
                    }
                    let mysql_comment = id == "ddl_set_column_comment" && DIALECT == Dialect::Mysql;
                    if mysql_comment {
                        // SQLAlchemy's `CHANGE email email VARCHAR(120) COMMENT …` also drops the
                        // column's NOT NULL; philtre keeps it. Compare the comments only.
                        queries = vec!["SELECT column_name, column_comment FROM information_schema.columns WHERE table_schema = database() AND table_name = 'users' ORDER BY 1".into()];
                    }
                    let rows = |db: &mut Conn| -> QueryResult<Vec<RawRows>> {
                        queries
                            .iter()
                            .map(|q| {
                                let mut rows = raw_rows(db, q)?;
                                if table == "scratch" {
                                    rows.iter_mut().for_each(|r| r.truncate(2));
                                }
                                Ok(rows)
                            })
                            .collect()
                    };
                    let (ours, sqlalchemy) = (rows(conn)?, rows(theirs)?);
                    if ours != sqlalchemy {
                        mismatches.push(format!("{id}: ours {ours:?} != SQLAlchemy's {sqlalchemy:?}\n  ours: {statements:?}"));
                    }
                    if table == "scratch" {
                        // The primary key aside, both are the same; make them the same for what follows.
                        theirs.batch_execute("DROP TABLE scratch")?;
                        conn.batch_execute("DROP TABLE scratch")?;
                    }
                    if mysql_comment {
                        theirs.batch_execute("ALTER TABLE users MODIFY email VARCHAR(120) NOT NULL COMMENT 'login e-mail'")?;
                    }
                    compared.push(id);
                }
                // SQLAlchemy renders what the database then refuses (a `caveat:` of the corpus):
                // philtre refuses it before sending, with its own error, or the database refuses
                // philtre's statement too.
                (Err(_), Err(e)) => {
                    assert_eq!(e.kind(), ErrorKind::InvalidQuery, "{id}: {e}");
                    refused.push(id);
                }
                (Err(their_error), Ok(statements)) => {
                    match statements.iter().try_for_each(|sql| conn.batch_execute(sql)) {
                        Err(_) => refused.push(id),
                        Ok(()) => mismatches.push(format!("{id}: SQLAlchemy's statement failed ({their_error}) but ours ran: {statements:?}")),
                    }
                }
                (Ok(()), Err(e)) if DIALECT == Dialect::Mysql && id == "ddl_create_partial_index" => {
                    // SQLAlchemy drops the WHERE on MySQL and makes a full index; philtre refuses
                    // (a different index than the one declared, silently).
                    assert_eq!(e.kind(), ErrorKind::InvalidQuery, "{e}");
                    theirs.batch_execute("DROP INDEX ix_posts_published_score ON posts")?;
                    differs.push(id);
                }
                (Ok(()), Err(e)) => mismatches.push(format!("{id}: ours refused ({e}) what the database took from SQLAlchemy")),
            }
        }
        // The schema: created and dropped by each, seen in the catalog in between.
        let name = format!("analytics_{}_{}", std::process::id(), DIALECT.sqlalchemy_name());
        let their_sql = literal("ddl_create_schema", DIALECT).replace("analytics", &name);
        let ours = philtre::schema::ddl::create_schema_sql::<Db>(&name, false);
        match DIALECT {
            Dialect::Sqlite => {
                assert!(theirs.batch_execute(&their_sql).is_err());
                assert_eq!(ours.err().map(|e| e.kind()), Some(ErrorKind::InvalidQuery));
                refused.push("ddl_create_schema");
            }
            _ => {
                let listed = |db: &mut Conn| raw_rows(db, &format!("SELECT schema_name FROM information_schema.schemata WHERE schema_name = '{name}'"));
                let drop = philtre::schema::ddl::drop_schema_sql::<Db>(&name, false)?;
                theirs.batch_execute(&their_sql)?;
                let sqlalchemy = listed(theirs)?;
                theirs.batch_execute(&drop)?;
                conn.batch_execute(&ours?)?;
                let made = listed(conn)?;
                conn.batch_execute(&drop)?;
                assert_eq!(made, sqlalchemy, "ddl_create_schema");
                assert_eq!(made.len(), 1);
                compared.push("ddl_create_schema");
            }
        }
        let _ = writeln!(
            std::io::stderr(),
            "DDL statement conformance ({DIALECT:?}): {} compared by catalog, {} refused as SQLAlchemy's fails ({}), {} differ on purpose ({})",
            compared.len(), refused.len(), refused.join(", "), differs.len(), differs.join(", ")
        );
        assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
        Ok(())
    }
    }
}
