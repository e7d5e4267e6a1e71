//! Matching text on every backend: `contains` / `starts_with` / `ends_with` and their
//! case-insensitive twins, whose values' `%`, `_` and `/` match themselves, and `LIKE … ESCAPE`.

use philtre::prelude::*;
use philtre_tests::*;

const TITLES: &str = "INSERT INTO users (id, name, email, score) VALUES (1, 'Ann', NULL, 3);
INSERT INTO posts (id, user_id, title, body) VALUES
  (1, 1, '50% off', 'x'), (2, 1, '50 percent off', NULL), (3, 1, 'a_b', 'more'), (4, 1, 'axb', 'less'),
  (5, 1, 'path/to', NULL), (6, 1, 'pathXto', NULL), (7, 1, 'Mixed CASE', NULL), (8, 1, 'off 50%', NULL);";

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn wildcards_in_the_value_match_themselves(conn) {
    conn.batch_execute(TITLES)?;
    let contains: Vec<i32> = posts::table
        .filter(posts::title.contains("50%"))
        .order(posts::id)
        .select(posts::id)
        .load(conn)?;
    assert_eq!(contains, [1, 8], "`%` in the value is a percent sign, not any text");
    let underscore: Vec<i32> = posts::table
        .filter(posts::title.contains("a_b"))
        .select(posts::id)
        .load(conn)?;
    assert_eq!(underscore, [3], "`_` is an underscore, not any character");
    let slash: Vec<i32> = posts::table
        .filter(posts::title.starts_with("path/"))
        .select(posts::id)
        .load(conn)?;
    assert_eq!(slash, [5], "the escape character itself is escaped");
    let ends: Vec<i32> = posts::table
        .filter(posts::title.ends_with(" off"))
        .order(posts::id)
        .select(posts::id)
        .load(conn)?;
    assert_eq!(ends, [1, 2]);
    let starts: Vec<i32> = posts::table
        .filter(posts::title.starts_with("50"))
        .order(posts::id)
        .select(posts::id)
        .load(conn)?;
    assert_eq!(starts, [1, 2]);
    Ok(())
}

fn case_insensitive_matches_fold_both_sides(conn) {
    conn.batch_execute(TITLES)?;
    let any_case: Vec<i32> = posts::table
        .filter(posts::title.icontains("mixed case"))
        .select(posts::id)
        .load(conn)?;
    assert_eq!(any_case, [7]);
    let starts: Vec<i32> = posts::table
        .filter(posts::title.istarts_with("MIXED"))
        .select(posts::id)
        .load(conn)?;
    assert_eq!(starts, [7]);
    let ends: Vec<i32> = posts::table
        .filter(posts::title.iends_with("50%"))
        .select(posts::id)
        .load(conn)?;
    assert_eq!(ends, [8], "still escaped");
    Ok(())
}

fn like_with_an_escape_character_and_nullable_columns(conn) {
    conn.batch_execute(TITLES)?;
    let escaped: Vec<i32> = posts::table
        .filter(posts::title.like("a!_b").escape('!'))
        .select(posts::id)
        .load(conn)?;
    assert_eq!(escaped, [3]);
    let not_escaped: Vec<i32> = posts::table
        .filter(posts::title.like("a_b"))
        .order(posts::id)
        .select(posts::id)
        .load(conn)?;
    assert_eq!(not_escaped, [3, 4], "without ESCAPE `_` is any character");
    let others: Vec<i32> = posts::table
        .filter(posts::title.not_like("%!%%").escape('!'))
        .order(posts::id)
        .select(posts::id)
        .load(conn)?;
    assert_eq!(others, [2, 3, 4, 5, 6, 7]);
    // A nullable column gives a nullable answer: NULL where the body is NULL.
    let matched: Vec<(i32, Option<bool>)> = posts::table
        .order(posts::id)
        .select((posts::id, posts::body.contains("or")))
        .limit(4)
        .load(conn)?;
    assert_eq!(matched, [(1, Some(false)), (2, None), (3, Some(true)), (4, Some(false))]);
    Ok(())
}
}

/// `COLLATE`: each database's own collation names.
mod collate {
    use philtre::prelude::*;
    use philtre_tests::harness::Dialect;
    use philtre_tests::*;

    philtre_tests::backend_tests! {
    backends: [sqlite, postgres, mysql];

    fn comparisons_and_order_follow_the_collation(conn) {
        conn.batch_execute("INSERT INTO users (id, name, email, score) VALUES (1, 'b', NULL, 0), (2, 'B', NULL, 0), (3, 'a', NULL, 0)")?;
        // A byte-wise collation: upper case before lower case, and `b` is not `B`.
        let binary = match DIALECT {
            Dialect::Sqlite => "BINARY",
            Dialect::Postgres => "C",
            Dialect::Mysql => "utf8mb4_bin",
        };
        let ordered: Vec<String> = users::table
            .order(users::name.collate(binary))
            .select(users::name)
            .load(conn)?;
        assert_eq!(ordered, ["B", "a", "b"]);
        let exact: Vec<i32> = users::table
            .filter(users::name.collate(binary).eq("b"))
            .select(users::id)
            .load(conn)?;
        assert_eq!(exact, [1]);
        Ok(())
    }
    }

    #[test]
    fn the_name_is_quoted_as_an_identifier() {
        let query = users::table
            .select(users::id)
            .order(users::name.collate("C"));
        assert_eq!(
            debug_query::<philtre_postgres::Pg, _>(&query).to_string(),
            r#"SELECT "users"."id" FROM "users" ORDER BY "users"."name" COLLATE "C" -- binds: []"#
        );
        let odd = users::table
            .select(users::id)
            .order(users::name.collate("x\" DESC --"));
        assert!(
            debug_query::<philtre_postgres::Pg, _>(&odd)
                .to_string()
                .contains(r#"COLLATE "x"" DESC --""#)
        );
    }
}
