use philtre::prelude::*;
use philtre_tests::*;

type R = QueryResult<()>;

fn names(
    conn: &mut philtre_sqlite::SqliteConnection,
) -> QueryResult<Vec<(String, Option<String>, i32)>> {
    users::table
        .select((users::name, users::email, users::score))
        .order(users::id)
        .load(conn)
}

#[test]
fn insert_derived_struct_option_means_default() -> R {
    let mut conn = connection();
    let n = insert_into(users::table)
        .values(&NewUser {
            name: "Ann",
            email: None,
            score: None,
        })
        .execute(&mut conn)?;
    assert_eq!(n, 1);
    insert_into(users::table)
        .values(NewUser {
            name: "Bob",
            email: Some("b@x"),
            score: Some(7),
        })
        .execute(&mut conn)?;
    assert_eq!(
        names(&mut conn)?,
        [
            ("Ann".into(), None, 0),
            ("Bob".into(), Some("b@x".into()), 7)
        ]
    );
    Ok(())
}

#[test]
fn insert_tuple_of_assignments_and_single_assignment() -> R {
    let mut conn = connection();
    insert_into(users::table)
        .values((users::name.eq("Ann"), users::score.eq(2)))
        .execute(&mut conn)?;
    insert_into(users::table)
        .values(users::name.eq("Bob"))
        .execute(&mut conn)?;
    assert_eq!(
        names(&mut conn)?,
        [("Ann".into(), None, 2), ("Bob".into(), None, 0)]
    );
    Ok(())
}

#[test]
fn insert_many_rows_in_one_statement() -> R {
    let mut conn = connection();
    let rows = vec![
        NewUser {
            name: "A",
            email: Some("a@x"),
            score: Some(1),
        },
        NewUser {
            name: "B",
            email: Some("b@x"),
            score: Some(2),
        },
        NewUser {
            name: "C",
            email: Some("c@x"),
            score: Some(3),
        },
    ];
    let n = insert_into(users::table).values(&rows).execute(&mut conn)?;
    assert_eq!(n, 3);
    let n = insert_into(users::table)
        .values(
            &rows[..1]
                .iter()
                .map(|r| NewUser {
                    email: None,
                    ..r.clone()
                })
                .collect::<Vec<_>>(),
        )
        .execute(&mut conn)?;
    assert_eq!(n, 1);
    let n = insert_into(users::table)
        .values(vec![(users::name.eq("T1"),), (users::name.eq("T2"),)])
        .execute(&mut conn)?;
    assert_eq!(n, 2);
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 6);
    Ok(())
}

#[test]
fn rows_with_different_defaults_are_refused_on_sqlite_before_anything_runs() -> R {
    let mut conn = connection();
    let rows = [
        NewUser {
            name: "A",
            email: None,
            score: Some(1),
        },
        NewUser {
            name: "B",
            email: Some("b@x"),
            score: Some(2),
        },
    ];
    let err = insert_into(users::table)
        .values(&rows[..])
        .execute(&mut conn)
        .expect_err("mixed defaults");
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    assert!(err.message().contains("different columns"), "{err}");
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 0);
    let empty: Vec<NewUser> = Vec::new();
    let err = insert_into(users::table)
        .values(&empty)
        .execute(&mut conn)
        .expect_err("no rows");
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    Ok(())
}

#[test]
fn default_values_and_all_none_struct() -> R {
    let mut conn = connection();
    conn.batch_execute(
        "CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 5)",
    )?;
    philtre::table! {
        counters (id) {
            id -> Integer,
            n -> Integer,
        }
    }
    #[derive(Insertable)]
    #[philtre(table = counters)]
    struct NewCounter {
        n: Option<i32>,
    }
    insert_into(counters::table)
        .default_values()
        .execute(&mut conn)?;
    insert_into(counters::table)
        .values(&NewCounter { n: None })
        .execute(&mut conn)?;
    insert_into(counters::table)
        .values(&NewCounter { n: Some(9) })
        .execute(&mut conn)?;
    let ns: Vec<i32> = counters::table
        .select(counters::n)
        .order(counters::id)
        .load(&mut conn)?;
    assert_eq!(ns, [5, 5, 9]);
    Ok(())
}

#[test]
fn insert_returning() -> R {
    let mut conn = connection();
    let (id, name): (i32, String) = insert_into(users::table)
        .values(&NewUser {
            name: "Ann",
            email: None,
            score: None,
        })
        .returning((users::id, users::name))
        .get_result(&mut conn)?;
    assert_eq!((id, name.as_str()), (1, "Ann"));
    let user: User = insert_into(users::table)
        .values(&NewUser {
            name: "Bob",
            email: None,
            score: Some(4),
        })
        .returning(User::as_select())
        .get_result(&mut conn)?;
    assert_eq!(
        user,
        User {
            id: 2,
            name: "Bob".into(),
            email: None,
            score: 4
        }
    );
    let ids: Vec<i32> = insert_into(users::table)
        .values(vec![(users::name.eq("C"),), (users::name.eq("D"),)])
        .returning(users::id)
        .load(&mut conn)?;
    assert_eq!(ids, [3, 4]);
    Ok(())
}

#[test]
fn update_with_tuple_changeset_and_expression() -> R {
    let mut conn = seeded();
    let n = update(users::table.filter(users::id.eq(1)))
        .set((users::name.eq("Anne"), users::email.eq(Some("anne@x"))))
        .execute(&mut conn)?;
    assert_eq!(n, 1);
    let n = update(users::table)
        .set(users::score.eq(users::score + 10))
        .execute(&mut conn)?;
    assert_eq!(n, 3);
    let n = update(users::table.find(2))
        .set(&UserChanges {
            name: Some("Robert".into()),
            score: None,
        })
        .execute(&mut conn)?;
    assert_eq!(n, 1);
    let n = update(users::table)
        .set(users::score.eq(0))
        .filter(users::score.gt(12))
        .execute(&mut conn)?;
    assert_eq!(n, 1);
    assert_eq!(
        names(&mut conn)?,
        [
            ("Anne".into(), Some("anne@x".into()), 0),
            ("Robert".into(), Some("bob@x".into()), 11),
            ("Cy".into(), Some("cy@x".into()), 12)
        ]
    );
    Ok(())
}

#[test]
fn update_returning_and_empty_changeset() -> R {
    let mut conn = seeded();
    let scores: Vec<(i32, i32)> = update(users::table)
        .set(users::score.eq(users::score * 2))
        .filter(users::score.ge(2))
        .returning((users::id, users::score))
        .load(&mut conn)?;
    let mut scores = scores;
    scores.sort();
    assert_eq!(scores, [(1, 6), (3, 4)]);
    let err = update(users::table)
        .set(&UserChanges::default())
        .execute(&mut conn)
        .expect_err("nothing to set");
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    assert!(err.message().contains("no column to change"));
    Ok(())
}

#[test]
fn delete_with_filter_find_and_returning() -> R {
    let mut conn = seeded();
    conn.batch_execute("DELETE FROM posts")?;
    assert_eq!(delete(users::table.find(3)).execute(&mut conn)?, 1);
    assert_eq!(delete(users::table.find(3)).execute(&mut conn)?, 0);
    let gone: Vec<String> = delete(users::table)
        .filter(users::score.lt(2))
        .returning(users::name)
        .load(&mut conn)?;
    assert_eq!(gone, ["Bob"]);
    assert_eq!(delete(users::table).execute(&mut conn)?, 1);
    assert_eq!(users::table.count().get_result::<i64>(&mut conn)?, 0);
    Ok(())
}

#[test]
fn identifiable_gives_the_key() -> R {
    let mut conn = seeded();
    let user: User = users::table
        .find(2)
        .select(User::as_select())
        .first(&mut conn)?;
    assert_eq!(*user.id(), 2);
    let again: User = users::table
        .find(*user.id())
        .select(User::as_select())
        .first(&mut conn)?;
    assert_eq!(again, user);
    Ok(())
}
