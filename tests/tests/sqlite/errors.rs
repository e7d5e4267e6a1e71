use philtre::prelude::*;
use philtre_sqlite::SqliteConnection;
use philtre_tests::*;

fn kind<T: std::fmt::Debug>(r: QueryResult<T>) -> ErrorKind {
    r.expect_err("the statement must fail").kind()
}

#[test]
fn not_found() {
    let mut conn = seeded();
    assert_eq!(
        kind(
            users::table
                .find(42)
                .first::<(i32, String, Option<String>, i32)>(&mut conn)
        ),
        ErrorKind::NotFound
    );
}

#[test]
fn unique_violation() {
    let mut conn = seeded();
    let dup = insert_into(users::table)
        .values((users::name.eq("X"), users::email.eq(Some("bob@x"))))
        .execute(&mut conn);
    assert_eq!(kind(dup), ErrorKind::UniqueViolation);
    let dup_pk = insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("X")))
        .execute(&mut conn);
    assert_eq!(kind(dup_pk), ErrorKind::UniqueViolation);
}

#[test]
fn foreign_key_violation() {
    let mut conn = seeded();
    let orphan = insert_into(posts::table)
        .values((posts::user_id.eq(99), posts::title.eq("t")))
        .execute(&mut conn);
    assert_eq!(kind(orphan), ErrorKind::ForeignKeyViolation);
}

#[test]
fn not_null_violation() {
    let mut conn = seeded();
    let r = insert_into(posts::table)
        .values(posts::user_id.eq(1))
        .execute(&mut conn);
    assert_eq!(kind(r), ErrorKind::NotNullViolation);
}

#[test]
fn check_violation() {
    let mut conn = seeded();
    let r = update(users::table.find(1))
        .set(users::score.eq(-5))
        .execute(&mut conn);
    assert_eq!(kind(r), ErrorKind::CheckViolation);
}

#[test]
fn deserialization_names_the_column() {
    let mut conn = seeded();
    // Raw SQL that lies about its type: the column holds text, the query claims Integer.
    let r = users::table
        .find(1)
        .select(sql::<Integer>("name AS user_name"))
        .first::<i32>(&mut conn);
    let err = r.expect_err("text is not an integer");
    assert_eq!(err.kind(), ErrorKind::Deserialization);
    assert_eq!(err.column(), Some("user_name"));
    assert!(err.to_string().contains("user_name"), "{err}");
    // A NULL where the raw SQL promised a non-null type.
    let r = users::table
        .find(1)
        .select(sql::<Text>("email"))
        .first::<String>(&mut conn);
    let err = r.expect_err("NULL into String");
    assert_eq!(err.kind(), ErrorKind::Deserialization);
    assert!(err.to_string().contains("NULL"), "{err}");
}

#[test]
fn out_of_range_integer_is_a_deserialization_error() {
    let mut conn = seeded();
    let r = users::table
        .find(1)
        .select(sql::<SmallInt>("100000"))
        .first::<i16>(&mut conn);
    assert_eq!(kind(r), ErrorKind::Deserialization);
}

#[test]
fn connection_error() {
    let r = SqliteConnection::open("/nonexistent-dir/sub/db.sqlite");
    assert_eq!(
        r.map(|_| ()).expect_err("cannot open").kind(),
        ErrorKind::Connection
    );
}

#[test]
fn other_errors_carry_the_database_message() {
    let mut conn = seeded();
    let err = conn
        .batch_execute("SELEC nonsense")
        .expect_err("syntax error");
    assert_eq!(err.kind(), ErrorKind::Other);
    assert!(err.message().contains("syntax error"), "{err}");
    assert!(
        std::error::Error::source(&err).is_some(),
        "the driver error is kept"
    );
}
