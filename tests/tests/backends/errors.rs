use philtre::prelude::*;
use philtre_tests::*;

fn kind<T: std::fmt::Debug>(r: QueryResult<T>) -> ErrorKind {
    r.expect_err("the statement must fail").kind()
}

#[test]
fn connection_errors() {
    let sqlite = philtre_sqlite::SqliteConnection::open("/nonexistent-dir/sub/db.sqlite");
    assert_eq!(kind(sqlite), ErrorKind::Connection);
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    let pg = philtre_postgres::PgConnection::open("postgres://nobody@127.0.0.1:1/none");
    assert_eq!(kind(pg), ErrorKind::Connection);
    let my = philtre_mysql::MysqlConnection::open("mysql://nobody@127.0.0.1:1/none");
    assert_eq!(kind(my), ErrorKind::Connection);
    let bad_url = philtre_mysql::MysqlConnection::open("not a url");
    assert_eq!(kind(bad_url), ErrorKind::Connection);
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn not_found(conn) {
    seed(conn)?;
    assert_eq!(kind(users::table.find(42).first::<(i32, String, Option<String>, i32)>(conn)), ErrorKind::NotFound);
    Ok(())
}

fn unique_violation(conn) {
    seed(conn)?;
    let dup = insert_into(users::table).values((users::name.eq("X"), users::email.eq(Some("bob@x")))).execute(conn);
    assert_eq!(kind(dup), ErrorKind::UniqueViolation);
    let dup_pk = insert_into(users::table).values((users::id.eq(1), users::name.eq("X"))).execute(conn);
    assert_eq!(kind(dup_pk), ErrorKind::UniqueViolation);
    Ok(())
}

fn foreign_key_violation(conn) {
    seed(conn)?;
    let orphan = insert_into(posts::table).values((posts::user_id.eq(99), posts::title.eq("t"))).execute(conn);
    assert_eq!(kind(orphan), ErrorKind::ForeignKeyViolation);
    let referenced = delete(users::table.find(1)).execute(conn);
    assert_eq!(kind(referenced), ErrorKind::ForeignKeyViolation);
    Ok(())
}

fn not_null_violation(conn) {
    seed(conn)?;
    // An INSERT that leaves `title` out does not compile (the ui case `insert_leaves_out_a_required_column`);
    // the database's own refusal still comes back as its kind.
    let r = conn.batch_execute("INSERT INTO posts (id, user_id) VALUES (9, 1)");
    assert_eq!(kind(r), ErrorKind::NotNullViolation);
    let r = update(posts::table.find(1)).set(posts::title.eq(philtre::expression::sql::<Text>("NULL"))).execute(conn);
    assert_eq!(kind(r), ErrorKind::NotNullViolation);
    Ok(())
}

fn check_violation(conn) {
    seed(conn)?;
    let r = update(users::table.find(1)).set(users::score.eq(-5)).execute(conn);
    assert_eq!(kind(r), ErrorKind::CheckViolation);
    Ok(())
}

fn deserialization_names_the_column(conn) {
    seed(conn)?;
    // Raw SQL that lies about its type: the column holds text, the query claims Integer.
    let r = users::table.find(1).select(sql::<Integer>("name AS user_name")).first::<i32>(conn);
    let err = r.expect_err("text is not an integer");
    assert_eq!(err.kind(), ErrorKind::Deserialization);
    assert_eq!(err.column(), Some("user_name"));
    assert!(err.to_string().contains("user_name"), "{err}");
    // A NULL where the raw SQL promised a non-null type.
    let r = users::table.find(1).select(sql::<Text>("email")).first::<String>(conn);
    let err = r.expect_err("NULL into String");
    assert_eq!(err.kind(), ErrorKind::Deserialization);
    assert!(err.to_string().contains("NULL"), "{err}");
    Ok(())
}

fn out_of_range_integer_is_a_deserialization_error(conn) {
    seed(conn)?;
    let r = users::table.find(1).select(sql::<SmallInt>("100000")).first::<i16>(conn);
    assert_eq!(kind(r), ErrorKind::Deserialization);
    Ok(())
}

fn other_errors_carry_the_database_message(conn) {
    let err = conn.batch_execute("SELEC nonsense").expect_err("syntax error");
    assert_eq!(err.kind(), ErrorKind::Other);
    assert!(err.message().to_lowercase().contains("syntax"), "{err}");
    assert!(std::error::Error::source(&err).is_some(), "the driver error is kept");
    Ok(())
}

fn empty_batch_insert_is_an_invalid_query_not_an_sql_error(conn) {
    seed(conn)?;
    // SQLite prepares before binding; the row count must still be what the error names.
    let rows: Vec<NewUser<'_>> = Vec::new();
    let err = insert_into(users::table).values(rows).execute(conn).expect_err("no rows");
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    assert!(err.to_string().contains("at least one row"), "{err}");
    // Nothing was written, and the connection still works.
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 3);
    Ok(())
}

fn an_error_in_a_later_statement_of_a_batch_is_reported(conn) {
    let err = conn
        .batch_execute(
            "INSERT INTO users (id, name) VALUES (1, 'Ann'); INSERT INTO users (id, name) VALUES (1, 'Dup')",
        )
        .expect_err("the second statement fails");
    assert_eq!(err.kind(), ErrorKind::UniqueViolation);
    Ok(())
}

fn an_error_while_rows_stream_is_reported_by_execute(conn) {
    // The error comes after the result's first packet (a division by zero while rows are
    // produced); a driver that stops reading there would report success.
    let sql = match DIALECT {
        philtre_tests::harness::Dialect::Mysql => "SELECT 1 UNION ALL SELECT EXP(1000)",
        _ => "SELECT 1 UNION ALL SELECT 1 / (SELECT COUNT(*) - COUNT(*) FROM users)",
    };
    let outcome = conn.batch_execute(sql);
    if DIALECT == philtre_tests::harness::Dialect::Sqlite {
        // SQLite's division by zero is NULL, not an error.
        return outcome;
    }
    assert!(outcome.is_err(), "{sql}");
    Ok(())
}

fn an_error_never_quotes_a_whole_huge_statement(conn) {
    let huge = format!("SELECT {} FROM no_such_table", vec!["1"; 50_000].join(" + "));
    let err = conn.batch_execute(&huge).expect_err("no such table");
    let text = err.to_string();
    assert!(text.len() < 2_500, "{} bytes", text.len());
    Ok(())
}
}
