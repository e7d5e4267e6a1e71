use philtre::prelude::*;
use philtre_sqlite::Sqlite;
use philtre_tests::*;

type R = QueryResult<()>;

#[test]
fn load_all_columns_by_default() -> R {
    let mut conn = seeded();
    let rows: Vec<(i32, String, Option<String>, i32)> =
        users::table.order(users::id).load(&mut conn)?;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0], (1, "Ann".to_owned(), None, 3));
    assert_eq!(rows[1].2.as_deref(), Some("bob@x"));
    Ok(())
}

#[test]
fn select_single_expression_tuple_and_struct() -> R {
    let mut conn = seeded();
    let names: Vec<String> = users::table
        .select(users::name)
        .order(users::name.desc())
        .load(&mut conn)?;
    assert_eq!(names, ["Cy", "Bob", "Ann"]);
    let pairs: Vec<(i32, String)> = users::table
        .select((users::id, users::name))
        .order(users::id)
        .load(&mut conn)?;
    assert_eq!(pairs[2], (3, "Cy".to_owned()));
    let users: Vec<User> = users::table
        .select(User::as_select())
        .order(users::id)
        .load(&mut conn)?;
    assert_eq!(
        users[1],
        User {
            id: 2,
            name: "Bob".into(),
            email: Some("bob@x".into()),
            score: 1
        }
    );
    Ok(())
}

#[test]
fn selectable_reads_by_name_not_position() -> R {
    // Fields in another order than the table's columns still get their own column.
    #[derive(Debug, Selectable)]
    #[philtre(table = users)]
    struct Reordered {
        score: i32,
        name: String,
    }
    let mut conn = seeded();
    let r: Reordered = users::table
        .find(1)
        .select(Reordered::as_select())
        .first(&mut conn)?;
    assert_eq!((r.score, r.name.as_str()), (3, "Ann"));
    Ok(())
}

#[test]
fn filter_calls_are_anded_and_or_filter_ors() -> R {
    let mut conn = seeded();
    let ids: Vec<i32> = users::table
        .select(users::id)
        .filter(users::score.gt(1))
        .filter(users::email.is_not_null())
        .load(&mut conn)?;
    assert_eq!(ids, [3]);
    let ids: Vec<i32> = users::table
        .select(users::id)
        .filter(users::score.gt(2))
        .or_filter(users::name.eq("Bob"))
        .order(users::id)
        .load(&mut conn)?;
    assert_eq!(ids, [1, 2]);
    Ok(())
}

#[test]
fn comparison_operators() -> R {
    let mut conn = seeded();
    let c = &mut conn;
    assert_eq!(
        users::table
            .filter(users::score.eq(1))
            .count()
            .get_result::<i64>(c)?,
        1
    );
    assert_eq!(
        users::table
            .filter(users::score.ne(1))
            .count()
            .get_result::<i64>(c)?,
        2
    );
    assert_eq!(
        users::table
            .filter(users::score.gt(1))
            .count()
            .get_result::<i64>(c)?,
        2
    );
    assert_eq!(
        users::table
            .filter(users::score.ge(2))
            .count()
            .get_result::<i64>(c)?,
        2
    );
    assert_eq!(
        users::table
            .filter(users::score.lt(2))
            .count()
            .get_result::<i64>(c)?,
        1
    );
    assert_eq!(
        users::table
            .filter(users::score.le(2))
            .count()
            .get_result::<i64>(c)?,
        2
    );
    assert_eq!(
        users::table
            .filter(users::score.between(2, 3))
            .count()
            .get_result::<i64>(c)?,
        2
    );
    assert_eq!(
        users::table
            .filter(users::email.is_null())
            .count()
            .get_result::<i64>(c)?,
        1
    );
    assert_eq!(
        users::table
            .filter(not(users::name.eq("Ann")))
            .count()
            .get_result::<i64>(c)?,
        2
    );
    let both = users::score.gt(1).and(users::email.is_null());
    assert_eq!(users::table.filter(both).count().get_result::<i64>(c)?, 1);
    let either = users::score.gt(2).or(users::name.eq("Cy"));
    assert_eq!(users::table.filter(either).count().get_result::<i64>(c)?, 2);
    Ok(())
}

#[test]
fn in_lists_including_empty_ones() -> R {
    let mut conn = seeded();
    let ids: Vec<i32> = users::table
        .select(users::id)
        .filter(users::id.eq_any([1, 3]))
        .order(users::id)
        .load(&mut conn)?;
    assert_eq!(ids, [1, 3]);
    let ids: Vec<i32> = users::table
        .select(users::id)
        .filter(users::id.ne_all(vec![1, 3]))
        .load(&mut conn)?;
    assert_eq!(ids, [2]);
    let none: Vec<i32> = users::table
        .select(users::id)
        .filter(users::id.eq_any(Vec::<i32>::new()))
        .load(&mut conn)?;
    assert!(none.is_empty());
    let all: i64 = users::table
        .filter(users::id.ne_all(Vec::<i32>::new()))
        .count()
        .get_result(&mut conn)?;
    assert_eq!(all, 3);
    // Lists of different lengths share a query type but not SQL: each must run correctly.
    for n in 0..4 {
        let ids: Vec<i32> = (1..=n).collect();
        let c: i64 = users::table
            .filter(users::id.eq_any(&ids))
            .count()
            .get_result(&mut conn)?;
        assert_eq!(c, i64::from(n));
    }
    Ok(())
}

#[test]
fn like_and_not_like() -> R {
    let mut conn = seeded();
    let names: Vec<String> = users::table
        .select(users::name)
        .filter(users::name.like("%o%"))
        .load(&mut conn)?;
    assert_eq!(names, ["Bob"]);
    let names: Vec<String> = users::table
        .select(users::name)
        .filter(users::name.not_like("A%"))
        .order(users::name)
        .load(&mut conn)?;
    assert_eq!(names, ["Bob", "Cy"]);
    Ok(())
}

#[test]
fn arithmetic_and_concatenation() -> R {
    let mut conn = seeded();
    let v: i32 = users::table
        .find(1)
        .select(users::score * 10 + 1)
        .first(&mut conn)?;
    assert_eq!(v, 31);
    let v: i32 = users::table
        .find(3)
        .select((users::score - 1) / 1)
        .first(&mut conn)?;
    assert_eq!(v, 1);
    let s: String = users::table
        .find(2)
        .select(users::name.concat("!").concat(users::name))
        .first(&mut conn)?;
    assert_eq!(s, "Bob!Bob");
    let s: Option<String> = users::table
        .find(1)
        .select(users::email.concat("x"))
        .first(&mut conn)?;
    assert_eq!(s, None, "NULL || text is NULL");
    Ok(())
}

#[test]
fn order_limit_offset_distinct() -> R {
    let mut conn = seeded();
    let ids: Vec<i32> = posts::table
        .select(posts::id)
        .order((posts::user_id.desc(), posts::id.asc()))
        .load(&mut conn)?;
    assert_eq!(ids, [3, 1, 2]);
    let ids: Vec<i32> = posts::table
        .select(posts::id)
        .order(posts::user_id)
        .order(posts::title)
        .load(&mut conn)?;
    assert_eq!(ids, [2, 1, 3], "a second order() appends a key");
    let ids: Vec<i32> = users::table
        .select(users::id)
        .order(users::id)
        .limit(2)
        .offset(1)
        .load(&mut conn)?;
    assert_eq!(ids, [2, 3]);
    let ids: Vec<i32> = users::table
        .select(users::id)
        .order(users::id)
        .offset(2)
        .load(&mut conn)?;
    assert_eq!(ids, [3], "OFFSET without LIMIT");
    let authors: Vec<i32> = posts::table
        .select(posts::user_id)
        .distinct()
        .order(posts::user_id)
        .load(&mut conn)?;
    assert_eq!(authors, [1, 2]);
    Ok(())
}

#[test]
fn find_count_and_counting_expressions() -> R {
    let mut conn = seeded();
    let bob: User = users::table
        .find(2)
        .select(User::as_select())
        .get_result(&mut conn)?;
    assert_eq!(bob.name, "Bob");
    let n: i64 = users::table.count().get_result(&mut conn)?;
    assert_eq!(n, 3);
    let n: i64 = users::table
        .select(count(users::email))
        .get_result(&mut conn)?;
    assert_eq!(n, 2, "COUNT(expr) skips NULL");
    let n: i64 = users::table
        .select(count_star())
        .filter(users::score.gt(1))
        .get_result(&mut conn)?;
    assert_eq!(n, 2);
    insert_into(post_tags::table)
        .values((post_tags::post_id.eq(1), post_tags::tag.eq("rust")))
        .execute(&mut conn)?;
    let tag: (i32, String) = post_tags::table.find((1, "rust")).get_result(&mut conn)?;
    assert_eq!(tag, (1, "rust".to_owned()));
    Ok(())
}

#[test]
fn first_get_result_optional() -> R {
    let mut conn = seeded();
    let first: String = users::table
        .select(users::name)
        .order(users::name.desc())
        .first(&mut conn)?;
    assert_eq!(first, "Cy");
    let missing = users::table
        .find(99)
        .select(users::name)
        .first::<String>(&mut conn);
    assert_eq!(
        missing.as_ref().map_err(Error::kind).err(),
        Some(ErrorKind::NotFound)
    );
    let none: Option<String> = users::table
        .find(99)
        .select(users::name)
        .first(&mut conn)
        .optional()?;
    assert_eq!(none, None);
    let some: Option<String> = users::table
        .find(1)
        .select(users::name)
        .get_result(&mut conn)
        .optional()?;
    assert_eq!(some.as_deref(), Some("Ann"));
    let all: Vec<String> = users::table
        .select(users::name)
        .order(users::id)
        .get_results(&mut conn)?;
    assert_eq!(all.len(), 3);
    Ok(())
}

#[test]
fn cursor_streams_rows_one_at_a_time() -> R {
    let mut conn = connection();
    let rows: Vec<NewUser> = (0..1000)
        .map(|_| NewUser {
            name: "x",
            email: None,
            score: Some(1),
        })
        .collect();
    insert_into(users::table).values(&rows).execute(&mut conn)?;
    let mut cursor = users::table
        .select(users::id)
        .order(users::id)
        .cursor::<i32>(&mut conn)?;
    let mut seen = 0;
    let mut last = 0;
    for id in cursor.iter() {
        let id = id?;
        assert!(id > last);
        last = id;
        seen += 1;
        if seen == 10 {
            break;
        }
    }
    assert_eq!(seen, 10, "stopping early is possible");
    assert_eq!(
        cursor.iter().count(),
        1000,
        "iterating again runs the query again"
    );
    Ok(())
}

#[test]
fn raw_sql_fragment_with_binds() -> R {
    let mut conn = seeded();
    let names: Vec<String> = users::table
        .select(users::name)
        .filter(sql::<Bool>("length(name) = ").bind::<Integer, _>(3))
        .order(users::name)
        .load(&mut conn)?;
    assert_eq!(names, ["Ann", "Bob"]);
    let upper: String = users::table
        .find(3)
        .select(sql::<Text>("upper(name)"))
        .first(&mut conn)?;
    assert_eq!(upper, "CY");
    Ok(())
}

#[test]
fn debug_query_shows_sql_and_binds() {
    let q = users::table.filter(users::name.eq("O'Brien")).limit(5);
    let shown = debug_query::<Sqlite, _>(&q);
    assert_eq!(
        shown.sql(),
        r#"SELECT "users"."id", "users"."name", "users"."email", "users"."score" FROM "users" WHERE "users"."name" = ? LIMIT ?"#
    );
    assert_eq!(shown.binds(), [r#""O'Brien""#, "5"]);
    assert!(shown.to_string().contains("-- binds: [\"O'Brien\", 5]"));
}

#[test]
fn values_are_bound_never_spliced() -> R {
    let mut conn = seeded();
    let evil = "x'); DROP TABLE users; --";
    let n: i64 = users::table
        .filter(users::name.eq(evil))
        .count()
        .get_result(&mut conn)?;
    assert_eq!(n, 0);
    assert!(
        !debug_query::<Sqlite, _>(&users::table.filter(users::name.eq(evil)))
            .sql()
            .contains("DROP")
    );
    let still: i64 = users::table.count().get_result(&mut conn)?;
    assert_eq!(still, 3);
    Ok(())
}
