use philtre::prelude::*;
use philtre_tests::harness::Dialect;
use philtre_tests::*;

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn load_all_columns_by_default(conn) {
    seed(conn)?;
    let rows: Vec<(i32, String, Option<String>, i32)> =
        users::table.order(users::id).load(conn)?;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0], (1, "Ann".to_owned(), None, 3));
    assert_eq!(rows[1].2.as_deref(), Some("bob@x"));
    Ok(())
}

fn select_single_expression_tuple_and_struct(conn) {
    seed(conn)?;
    let names: Vec<String> = users::table
        .select(users::name)
        .order(users::name.desc())
        .load(conn)?;
    assert_eq!(names, ["Cy", "Bob", "Ann"]);
    let pairs: Vec<(i32, String)> = users::table
        .select((users::id, users::name))
        .order(users::id)
        .load(conn)?;
    assert_eq!(pairs[2], (3, "Cy".to_owned()));
    let users: Vec<User> = users::table
        .select(User::as_select())
        .order(users::id)
        .load(conn)?;
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

fn selectable_reads_by_name_not_position(conn) {
    // Fields in another order than the table's columns still get their own column.
    #[derive(Debug, Selectable)]
    #[philtre(table = users)]
    struct Reordered {
        score: i32,
        name: String,
    }
    seed(conn)?;
    let r: Reordered = users::table
        .find(1)
        .select(Reordered::as_select())
        .first(conn)?;
    assert_eq!((r.score, r.name.as_str()), (3, "Ann"));
    Ok(())
}

fn filter_calls_are_anded_and_or_filter_ors(conn) {
    seed(conn)?;
    let ids: Vec<i32> = users::table
        .select(users::id)
        .filter(users::score.gt(1))
        .filter(users::email.is_not_null())
        .load(conn)?;
    assert_eq!(ids, [3]);
    let ids: Vec<i32> = users::table
        .select(users::id)
        .filter(users::score.gt(2))
        .or_filter(users::name.eq("Bob"))
        .order(users::id)
        .load(conn)?;
    assert_eq!(ids, [1, 2]);
    Ok(())
}

fn comparison_operators(conn) {
    seed(conn)?;
    let c = conn;
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

fn in_lists_including_empty_ones(conn) {
    seed(conn)?;
    let ids: Vec<i32> = users::table
        .select(users::id)
        .filter(users::id.eq_any([1, 3]))
        .order(users::id)
        .load(conn)?;
    assert_eq!(ids, [1, 3]);
    let ids: Vec<i32> = users::table
        .select(users::id)
        .filter(users::id.ne_all(vec![1, 3]))
        .load(conn)?;
    assert_eq!(ids, [2]);
    let none: Vec<i32> = users::table
        .select(users::id)
        .filter(users::id.eq_any(Vec::<i32>::new()))
        .load(conn)?;
    assert!(none.is_empty());
    let all: i64 = users::table
        .filter(users::id.ne_all(Vec::<i32>::new()))
        .count()
        .get_result(conn)?;
    assert_eq!(all, 3);
    // Lists of different lengths share a query type but not SQL: each must run correctly.
    for n in 0..4 {
        let ids: Vec<i32> = (1..=n).collect();
        let c: i64 = users::table
            .filter(users::id.eq_any(&ids))
            .count()
            .get_result(conn)?;
        assert_eq!(c, i64::from(n));
    }
    Ok(())
}

fn like_and_not_like(conn) {
    seed(conn)?;
    let names: Vec<String> = users::table
        .select(users::name)
        .filter(users::name.like("%o%"))
        .load(conn)?;
    assert_eq!(names, ["Bob"]);
    let names: Vec<String> = users::table
        .select(users::name)
        .filter(users::name.not_like("A%"))
        .order(users::name)
        .load(conn)?;
    assert_eq!(names, ["Bob", "Cy"]);
    Ok(())
}

fn arithmetic_and_concatenation(conn) {
    seed(conn)?;
    let v: i32 = users::table
        .find(1)
        .select(users::score * 10 + 1)
        .first(conn)?;
    assert_eq!(v, 31);
    let v: i32 = users::table
        .find(3)
        .select((users::score - 1) / 1)
        .first(conn)?;
    assert_eq!(v, 1);
    let s: String = users::table
        .find(2)
        .select(users::name.concat("!").concat(users::name))
        .first(conn)?;
    assert_eq!(s, "Bob!Bob");
    let s: Option<String> = users::table
        .find(1)
        .select(users::email.concat("x"))
        .first(conn)?;
    assert_eq!(s, None, "NULL || text is NULL");
    Ok(())
}

fn order_limit_offset_distinct(conn) {
    seed(conn)?;
    let ids: Vec<i32> = posts::table
        .select(posts::id)
        .order((posts::user_id.desc(), posts::id.asc()))
        .load(conn)?;
    assert_eq!(ids, [3, 1, 2]);
    let ids: Vec<i32> = posts::table
        .select(posts::id)
        .order(posts::user_id)
        .order(posts::title)
        .load(conn)?;
    assert_eq!(ids, [2, 1, 3], "a second order() appends a key");
    let ids: Vec<i32> = users::table
        .select(users::id)
        .order(users::id)
        .limit(2)
        .offset(1)
        .load(conn)?;
    assert_eq!(ids, [2, 3]);
    let ids: Vec<i32> = users::table
        .select(users::id)
        .order(users::id)
        .offset(2)
        .load(conn)?;
    assert_eq!(ids, [3], "OFFSET without LIMIT");
    let authors: Vec<i32> = posts::table
        .select(posts::user_id)
        .distinct()
        .order(posts::user_id)
        .load(conn)?;
    assert_eq!(authors, [1, 2]);
    // DISTINCT ordered by a selected computed key, and `SELECT DISTINCT *` by a column: the
    // compile-time rule accepts both, and PostgreSQL runs them.
    let lowered: Vec<String> = users::table
        .select(philtre::expression::lower(users::name))
        .distinct()
        .order(philtre::expression::lower(users::name).desc())
        .load(conn)?;
    assert_eq!(lowered, ["cy", "bob", "ann"]);
    let users_by_score: Vec<(i32, String, Option<String>, i32)> = users::table
        .distinct()
        .order(users::score)
        .load(conn)?;
    let ids: Vec<i32> = users_by_score.iter().map(|row| row.0).collect();
    assert_eq!(ids, [2, 3, 1]);
    Ok(())
}

fn find_count_and_counting_expressions(conn) {
    seed(conn)?;
    let bob: User = users::table
        .find(2)
        .select(User::as_select())
        .get_result(conn)?;
    assert_eq!(bob.name, "Bob");
    let n: i64 = users::table.count().get_result(conn)?;
    assert_eq!(n, 3);
    let n: i64 = users::table
        .select(count(users::email))
        .get_result(conn)?;
    assert_eq!(n, 2, "COUNT(expr) skips NULL");
    let n: i64 = users::table
        .select(count_star())
        .filter(users::score.gt(1))
        .get_result(conn)?;
    assert_eq!(n, 2);
    insert_into(post_tags::table)
        .values((post_tags::post_id.eq(1), post_tags::tag.eq("rust")))
        .execute(conn)?;
    let tag: (i32, String) = post_tags::table.find((1, "rust")).get_result(conn)?;
    assert_eq!(tag, (1, "rust".to_owned()));
    Ok(())
}

fn first_get_result_optional(conn) {
    seed(conn)?;
    let first: String = users::table
        .select(users::name)
        .order(users::name.desc())
        .first(conn)?;
    assert_eq!(first, "Cy");
    let missing = users::table
        .find(99)
        .select(users::name)
        .first::<String>(conn);
    assert_eq!(
        missing.as_ref().map_err(Error::kind).err(),
        Some(ErrorKind::NotFound)
    );
    let none: Option<String> = users::table
        .find(99)
        .select(users::name)
        .first(conn)
        .optional()?;
    assert_eq!(none, None);
    let some: Option<String> = users::table
        .find(1)
        .select(users::name)
        .get_result(conn)
        .optional()?;
    assert_eq!(some.as_deref(), Some("Ann"));
    let all: Vec<String> = users::table
        .select(users::name)
        .order(users::id)
        .get_results(conn)?;
    assert_eq!(all.len(), 3);
    Ok(())
}

fn cursor_streams_rows_one_at_a_time(conn) {
    let rows: Vec<NewUser> = (0..1000)
        .map(|_| NewUser {
            name: "x",
            email: None,
            score: Some(1),
        })
        .collect();
    insert_into(users::table).values(&rows).execute(conn)?;
    let mut cursor = users::table
        .select(users::id)
        .order(users::id)
        .cursor::<i32>(conn)?;
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
    drop(cursor);
    let mut cursor = users::table.select(users::id).cursor::<i32>(conn)?;
    assert_eq!(cursor.iter().count(), 1000, "a cursor read to the end yields every row");
    Ok(())
}

fn raw_sql_fragment_with_binds(conn) {
    seed(conn)?;
    let names: Vec<String> = users::table
        .select(users::name)
        .filter(sql::<Bool>("length(name) = ").bind::<Integer, _>(3))
        .order(users::name)
        .load(conn)?;
    assert_eq!(names, ["Ann", "Bob"]);
    let upper: String = users::table
        .find(3)
        .select(sql::<Text>("upper(name)"))
        .first(conn)?;
    assert_eq!(upper, "CY");
    Ok(())
}

fn debug_query_shows_sql_and_binds(conn) {
    let q = users::table.filter(users::name.eq("O'Brien")).limit(5);
    let shown = debug_query::<Db, _>(&q);
    let expected = match DIALECT {
        Dialect::Sqlite => r#"SELECT "users"."id", "users"."name", "users"."email", "users"."score" FROM "users" WHERE "users"."name" = ? LIMIT ?"#,
        Dialect::Postgres => r#"SELECT "users"."id", "users"."name", "users"."email", "users"."score" FROM "users" WHERE "users"."name" = $1 LIMIT $2"#,
        Dialect::Mysql => "SELECT `users`.`id`, `users`.`name`, `users`.`email`, `users`.`score` FROM `users` WHERE `users`.`name` = ? LIMIT ?",
    };
    assert_eq!(shown.sql(), expected);
    assert_eq!(shown.binds().len(), 2);
    assert!(shown.binds()[0].contains("O") && shown.binds()[0].contains("Brien"), "{shown}");
    assert!(shown.binds()[1].contains('5'), "{shown}");
    // The query runs, and finds nobody of that name.
    let found: Vec<(i32, String, Option<String>, i32)> = q.load(conn)?;
    assert!(found.is_empty());
    Ok(())
}

fn values_are_bound_never_spliced(conn) {
    seed(conn)?;
    let evil = "x'); DROP TABLE users; --";
    let n: i64 = users::table
        .filter(users::name.eq(evil))
        .count()
        .get_result(conn)?;
    assert_eq!(n, 0);
    assert!(
        !debug_query::<Db, _>(&users::table.filter(users::name.eq(evil)))
            .sql()
            .contains("DROP")
    );
    let still: i64 = users::table.count().get_result(conn)?;
    assert_eq!(still, 3);
    Ok(())
}
}
