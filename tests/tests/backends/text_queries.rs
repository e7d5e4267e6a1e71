//! `text(..)`: whole statements in SQL with `:name` parameters and typed result columns.

use philtre::prelude::*;
use philtre::query::text;
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn a_text_query_reads_typed_rows_with_named_parameters(conn) {
    seed(conn)?;
    // A name used twice gets its value twice; a literal colon in quotes stays text.
    let rows: Vec<(i32, String, Option<String>)> = text(
        "SELECT id, name, email FROM users WHERE score >= :min OR name = :name OR email = :name \
         ORDER BY id",
    )
    .bind("min", 2)
    .bind("name", "Bob")
    .columns::<(Integer, Text, Nullable<Text>)>()
    .load(conn)?;
    assert_eq!(
        rows,
        [
            (1, "Ann".to_owned(), None),
            (2, "Bob".to_owned(), Some("bob@x".to_owned())),
            (3, "Cy".to_owned(), Some("cy@x".to_owned())),
        ]
    );
    // MySQL has no `||` for text.
    let concat = if DIALECT == philtre_tests::harness::Dialect::Mysql {
        "SELECT CONCAT('10:30', :suffix)"
    } else {
        "SELECT '10:30' || :suffix"
    };
    let clock: String = text(concat).bind("suffix", "!").columns::<Text>().get_result(conn)?;
    assert_eq!(clock, "10:30!");
    // Into a Queryable struct, by position.
    let users: Vec<User> = text("SELECT id, name, email, score FROM users WHERE id = :id")
        .bind("id", 3)
        .columns::<(Integer, Text, Nullable<Text>, Integer)>()
        .load(conn)?;
    assert_eq!(users[0].name, "Cy");
    Ok(())
}

fn a_text_statement_executes_and_reports_rows(conn) {
    seed(conn)?;
    let changed = text("UPDATE users SET score = score + :bonus WHERE score < :limit")
        .bind("bonus", 10)
        .bind("limit", 3)
        .execute(conn)?;
    assert_eq!(changed, 2);
    let total: Option<i64> = users::table.select(sum(users::score)).get_result(conn)?;
    assert_eq!(total, Some(26));
    Ok(())
}

fn text_parameter_mistakes_are_errors_before_the_database(conn) {
    seed(conn)?;
    let missing = text("DELETE FROM users WHERE id = :id").execute(conn).expect_err("no value");
    assert_eq!(missing.kind(), philtre::ErrorKind::InvalidQuery);
    assert!(missing.to_string().contains(":id"), "{missing}");
    let unused = text("DELETE FROM users WHERE id = :id")
        .bind("id", 1)
        .bind("idd", 2)
        .execute(conn)
        .expect_err("a typo");
    assert_eq!(unused.kind(), philtre::ErrorKind::InvalidQuery);
    assert!(unused.to_string().contains(":idd"), "{unused}");
    let twice = text("DELETE FROM users WHERE id = :id")
        .bind("id", 1)
        .bind("id", 2)
        .execute(conn)
        .expect_err("bound twice");
    assert_eq!(twice.kind(), philtre::ErrorKind::InvalidQuery);
    // Nothing was deleted by any of them.
    let left: i64 = users::table.select(count_star()).get_result(conn)?;
    assert_eq!(left, 3);
    Ok(())
}
}

mod postgres_casts {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [postgres];

    fn postgres_casts_are_not_parameters(conn) {
        let (n, s): (i32, String) = text("SELECT :n::int + 1, :s::text")
            .bind("n", 41)
            .bind("s", "x")
            .columns::<(Integer, Text)>()
            .get_result(conn)?;
        assert_eq!((n, s.as_str()), (42, "x"));
        Ok(())
    }
    }
}
