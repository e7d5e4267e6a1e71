//! `#[sqlite_on_conflict(..)]`: SQLite's `ON CONFLICT` clauses on a table's constraints. SQLite
//! resolves a conflict as declared; PostgreSQL and MySQL create the constraints without the
//! clauses, so the same statement fails there.

use philtre::prelude::*;
use philtre_tests::harness::Dialect;

philtre::table! {
    #[sqlite_on_conflict(primary_key = "replace", unique = "ignore", not_null = "fail")]
    #[unique(a, b)]
    settings (key) {
        #[max_length = 40]
        key -> Text,
        #[max_length = 40]
        #[unique]
        label -> Text,
        a -> Nullable<Integer>,
        b -> Nullable<Integer>,
    }
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn conflicts_resolve_as_declared_on_sqlite_only(conn) {
    Schema::new().table(settings::table).create_all(conn)?;
    let ddl = philtre::schema::ddl::create_table_sql::<Db>(
        settings::table.description(),
        false,
        &[],
        &philtre::schema::NamingConvention::default(),
        philtre::schema::ddl::StringEscapes::Standard,
    )?
    .join("; ");
    let clauses = ["PRIMARY KEY (\"key\") ON CONFLICT REPLACE", "UNIQUE ON CONFLICT IGNORE", "NOT NULL ON CONFLICT FAIL"];
    for clause in clauses {
        assert_eq!(ddl.contains(clause), DIALECT == Dialect::Sqlite, "{clause} in {ddl}");
    }
    assert_eq!(ddl.matches("ON CONFLICT").count(), if DIALECT == Dialect::Sqlite { 5 } else { 0 }, "{ddl}");

    insert_into(settings::table)
        .values((settings::key.eq("theme"), settings::label.eq("Theme"), settings::a.eq(1), settings::b.eq(2)))
        .execute(conn)?;
    // The same key again: SQLite replaces the row, the others refuse it.
    let same_key = insert_into(settings::table)
        .values((settings::key.eq("theme"), settings::label.eq("Colours")))
        .execute(conn);
    // The same label under another key: SQLite skips the row.
    let same_label = insert_into(settings::table)
        .values((settings::key.eq("look"), settings::label.eq("Colours")))
        .execute(conn);
    let rows: Vec<(String, String)> = settings::table.order(settings::key).select((settings::key, settings::label)).load(conn)?;
    if DIALECT == Dialect::Sqlite {
        assert_eq!(same_key?, 1);
        assert_eq!(same_label?, 0);
        assert_eq!(rows, [("theme".to_owned(), "Colours".to_owned())]);
    } else {
        // The refused row left "Colours" free here.
        assert_eq!(same_key.expect_err("a unique violation").kind(), ErrorKind::UniqueViolation);
        assert_eq!(same_label?, 1);
        assert_eq!(rows, [("look".to_owned(), "Colours".to_owned()), ("theme".to_owned(), "Theme".to_owned())]);
        let again = insert_into(settings::table)
            .values((settings::key.eq("other"), settings::label.eq("Theme")))
            .execute(conn);
        assert_eq!(again.expect_err("a unique violation").kind(), ErrorKind::UniqueViolation);
    }
    Ok(())
}
}
