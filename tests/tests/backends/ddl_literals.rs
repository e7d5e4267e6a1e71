//! Column defaults and comments with quotes, backslashes and SQL in them: each is created by
//! `create_all` and read back from the database exactly as written.

use philtre::prelude::*;
use philtre::schema::SchemaDialect;
use philtre::schema::ddl::StringEscapes;
use philtre_tests::harness::Dialect;

/// The hostile texts: each is a column's default and, but for the emoji on MySQL (see
/// `mysql_refuses_a_comment_it_would_change`), its comment.
const TEXTS: [&str; 9] = [
    "it's \"quoted\"",
    "back\\slash",
    "line\\nbreak",
    "ends with \\",
    "\\'; DROP TABLE hostile; --",
    "%_?$1 :name @P1",
    "Grüße — 日本 🎉",
    "a\nb\tc",
    "''",
];

philtre::table! {
    #[comment = "it's \"quoted\" \\ and \\n"]
    hostile (id) {
        id -> Integer,
        #[default = "it's \"quoted\""] #[comment = "it's \"quoted\""] t0 -> Text,
        #[default = "back\\slash"] #[comment = "back\\slash"] t1 -> Text,
        #[default = "line\\nbreak"] #[comment = "line\\nbreak"] t2 -> Text,
        #[default = "ends with \\"] #[comment = "ends with \\"] t3 -> Text,
        #[default = "\\'; DROP TABLE hostile; --"] #[comment = "\\'; DROP TABLE hostile; --"] t4 -> Text,
        #[default = "%_?$1 :name @P1"] #[comment = "%_?$1 :name @P1"] t5 -> Text,
        #[default = "Grüße — 日本 🎉"] #[comment = "Grüße — 日本"] t6 -> Text,
        #[default = "a\nb\tc"] #[comment = "a\nb\tc"] t7 -> Text,
        #[default = "''"] #[comment = "''"] t8 -> Text,
    }
}

fn comment_texts() -> [String; 9] {
    let mut texts = TEXTS.map(String::from);
    texts[6] = "Grüße — 日本".to_owned();
    texts
}

philtre::table! {
    #[comment = "party 🎉"]
    emoji_comment (id) {
        id -> Integer,
    }
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

fn defaults_read_back<C: Connection>(conn: &mut C) -> QueryResult<()>
where
    C::Backend: SchemaDialect,
    i32: philtre::types::ToSql<Integer, C::Backend>,
    String: philtre::types::FromSql<Text, C::Backend>,
{
    insert_into(hostile::table)
        .values(hostile::id.eq(1))
        .execute(conn)?;
    let row: Row = hostile::table
        .select((
            hostile::t0,
            hostile::t1,
            hostile::t2,
            hostile::t3,
            hostile::t4,
            hostile::t5,
            hostile::t6,
            hostile::t7,
            hostile::t8,
        ))
        .first(conn)?;
    let got = [
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8,
    ];
    assert_eq!(got, TEXTS.map(String::from), "defaults as declared");
    Ok(())
}

/// The column comments, in column order, as the database keeps them, and the table's.
fn comments(
    conn: &mut dyn FnMut(&str) -> QueryResult<Vec<Vec<String>>>,
    dialect: Dialect,
) -> QueryResult<(Vec<String>, String)> {
    let (columns, table) = match dialect {
        Dialect::Postgres => (
            "SELECT col_description('hostile'::regclass, attnum) FROM pg_attribute \
             WHERE attrelid = 'hostile'::regclass AND attnum > 1 ORDER BY attnum",
            "SELECT obj_description('hostile'::regclass, 'pg_class')",
        ),
        Dialect::Mysql => (
            "SELECT column_comment FROM information_schema.columns WHERE table_schema = \
             DATABASE() AND table_name = 'hostile' AND column_name LIKE 't%' ORDER BY \
             ordinal_position",
            "SELECT table_comment FROM information_schema.tables WHERE table_schema = \
             DATABASE() AND table_name = 'hostile'",
        ),
        Dialect::Sqlite => return Ok((Vec::new(), String::new())),
    };
    let columns = conn(columns)?
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect();
    let table = conn(table)?.remove(0).remove(0);
    Ok((columns, table))
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn hostile_defaults_and_comments_are_kept_exactly(conn) {
    let schema = Schema::new().table(hostile::table);
    schema.create_all(conn)?;
    defaults_read_back(conn)?;
    let (columns, table) = comments(&mut |sql| raw_rows(conn, sql), DIALECT)?;
    if DIALECT != Dialect::Sqlite {
        assert_eq!(columns, comment_texts(), "column comments as declared");
        assert_eq!(table, "it's \"quoted\" \\ and \\n", "table comment as declared");
    }
    schema.drop_all(conn)?;
    Ok(())
}

fn a_nul_character_in_a_default_is_refused_before_the_server_sees_it(conn) {
    let err = <Db as SchemaDialect>::string_literal("a\0b", conn.string_escapes())
        .expect_err("no NUL in SQL text");
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    assert!(err.to_string().contains("NUL"), "{err}");
    Ok(())
}
}

#[test]
fn mysql_quotes_for_the_session_mode() -> QueryResult<()> {
    let Some(mut db) = philtre_tests::harness::open_mysql() else {
        return Ok(());
    };
    assert_eq!(
        db.string_escapes(),
        StringEscapes::Backslash,
        "the server's default mode"
    );
    db.batch_execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")?;
    assert_eq!(
        db.string_escapes(),
        StringEscapes::Standard,
        "read from the session's status"
    );
    let schema = Schema::new().table(hostile::table);
    schema.create_all(&mut *db)?;
    defaults_read_back(&mut *db)?;
    let (columns, table) = comments(
        &mut |sql| philtre_tests::harness::mysql::raw_rows(&mut db, sql),
        Dialect::Mysql,
    )?;
    assert_eq!(columns, comment_texts());
    assert_eq!(table, "it's \"quoted\" \\ and \\n");
    Ok(())
}

#[test]
fn mysql_refuses_a_comment_it_would_change() -> QueryResult<()> {
    let Some(mut db) = philtre_tests::harness::open_mysql() else {
        return Ok(());
    };
    let err = Schema::new()
        .table(emoji_comment::table)
        .create_all(&mut *db)
        .expect_err("MySQL would store the emoji as `?`");
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    assert!(err.to_string().contains("3-byte"), "{err}");
    Ok(())
}

#[test]
fn literals_as_each_server_reads_them() -> QueryResult<()> {
    use philtre_mysql::Mysql;
    use philtre_postgres::Pg;
    use philtre_sqlite::Sqlite;
    let text = "it's a \\ back";
    assert_eq!(
        Sqlite::string_literal(text, StringEscapes::Standard)?,
        "'it''s a \\ back'"
    );
    assert_eq!(
        Pg::string_literal(text, StringEscapes::Standard)?,
        "E'it''s a \\\\ back'"
    );
    assert_eq!(
        Pg::string_literal("plain", StringEscapes::Standard)?,
        "'plain'"
    );
    assert_eq!(
        Mysql::string_literal(text, StringEscapes::Backslash)?,
        "'it''s a \\\\ back'"
    );
    assert_eq!(
        Mysql::string_literal(text, StringEscapes::Standard)?,
        "'it''s a \\ back'"
    );
    Ok(())
}
