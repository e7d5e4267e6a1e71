use philtre::prelude::*;
use philtre_tests::harness::Dialect;
use philtre_tests::*;

philtre::table! {
    counters (id) {
        id -> Integer,
        #[default = 5]
        n -> Integer,
    }
}

#[derive(Insertable)]
#[philtre(table = counters)]
struct NewCounter {
    n: Option<i32>,
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn insert_derived_struct_option_means_default(conn) {
    let n = insert_into(users::table)
        .values(&NewUser { name: "Ann", email: None, score: None })
        .execute(conn)?;
    assert_eq!(n, 1);
    insert_into(users::table)
        .values(NewUser { name: "Bob", email: Some("b@x"), score: Some(7) })
        .execute(conn)?;
    let rows: Vec<(String, Option<String>, i32)> =
        users::table.select((users::name, users::email, users::score)).order(users::id).load(conn)?;
    assert_eq!(rows, [("Ann".into(), None, 0), ("Bob".into(), Some("b@x".into()), 7)]);
    Ok(())
}

fn insert_tuple_of_assignments_and_single_assignment(conn) {
    insert_into(users::table).values((users::name.eq("Ann"), users::score.eq(2))).execute(conn)?;
    insert_into(users::table).values(users::name.eq("Bob")).execute(conn)?;
    let rows: Vec<(String, Option<String>, i32)> =
        users::table.select((users::name, users::email, users::score)).order(users::id).load(conn)?;
    assert_eq!(rows, [("Ann".into(), None, 2), ("Bob".into(), None, 0)]);
    Ok(())
}

fn insert_many_rows_in_one_statement(conn) {
    let rows = vec![
        NewUser { name: "A", email: Some("a@x"), score: Some(1) },
        NewUser { name: "B", email: Some("b@x"), score: Some(2) },
        NewUser { name: "C", email: Some("c@x"), score: Some(3) },
    ];
    assert_eq!(insert_into(users::table).values(&rows).execute(conn)?, 3);
    let without_email: Vec<NewUser> = rows[..1].iter().map(|r| NewUser { email: None, ..r.clone() }).collect();
    assert_eq!(insert_into(users::table).values(&without_email).execute(conn)?, 1);
    let n = insert_into(users::table).values(vec![(users::name.eq("T1"),), (users::name.eq("T2"),)]).execute(conn)?;
    assert_eq!(n, 2);
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 6);
    Ok(())
}

fn rows_with_different_defaults(conn) {
    let rows = [
        NewUser { name: "A", email: None, score: Some(1) },
        NewUser { name: "B", email: Some("b@x"), score: None },
        NewUser { name: "C", email: Some("c@x"), score: None },
        NewUser { name: "D", email: None, score: Some(4) },
    ];
    // SQLite has no DEFAULT inside VALUES: the rows go in as groups of alike rows, in order,
    // in one transaction. The other databases take one statement.
    assert_eq!(insert_into(users::table).values(&rows[..]).execute(conn)?, 4);
    let back: Vec<(String, Option<String>, i32)> =
        users::table.select((users::name, users::email, users::score)).order(users::id).load(conn)?;
    assert_eq!(
        back,
        [
            ("A".into(), None, 1),
            ("B".into(), Some("b@x".into()), 0),
            ("C".into(), Some("c@x".into()), 0),
            ("D".into(), None, 4)
        ]
    );
    // A failure in a later group undoes the earlier groups too.
    let clash = [
        NewUser { name: "E", email: None, score: Some(1) },
        NewUser { name: "F", email: Some("b@x"), score: None },
    ];
    let err = insert_into(users::table).values(&clash[..]).execute(conn).expect_err("duplicate email");
    assert_eq!(err.kind(), ErrorKind::UniqueViolation);
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 4);
    let empty: Vec<NewUser> = Vec::new();
    let err = insert_into(users::table).values(&empty).execute(conn).expect_err("no rows");
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    Ok(())
}

fn default_values_and_all_none_struct(conn) {
    conn.batch_execute(&format!("CREATE TABLE counters (id {}, n INTEGER NOT NULL DEFAULT 5)", DIALECT.auto_key()))?;
    insert_into(counters::table).default_values().execute(conn)?;
    insert_into(counters::table).values(&NewCounter { n: None }).execute(conn)?;
    insert_into(counters::table).values(&NewCounter { n: Some(9) }).execute(conn)?;
    let ns: Vec<i32> = counters::table.select(counters::n).order(counters::id).load(conn)?;
    assert_eq!(ns, [5, 5, 9]);
    Ok(())
}

fn update_with_tuple_changeset_and_expression(conn) {
    seed(conn)?;
    let n = update(users::table.filter(users::id.eq(1)))
        .set((users::name.eq("Anne"), users::email.eq(Some("anne@x"))))
        .execute(conn)?;
    assert_eq!(n, 1);
    let n = update(users::table).set(users::score.eq(users::score + 10)).execute(conn)?;
    assert_eq!(n, 3);
    let n = update(users::table.find(2))
        .set(&UserChanges { name: Some("Robert".into()), score: None })
        .execute(conn)?;
    assert_eq!(n, 1);
    let n = update(users::table).set(users::score.eq(0)).filter(users::score.gt(12)).execute(conn)?;
    assert_eq!(n, 1);
    let rows: Vec<(String, Option<String>, i32)> =
        users::table.select((users::name, users::email, users::score)).order(users::id).load(conn)?;
    assert_eq!(
        rows,
        [
            ("Anne".into(), Some("anne@x".into()), 0),
            ("Robert".into(), Some("bob@x".into()), 11),
            ("Cy".into(), Some("cy@x".into()), 12)
        ]
    );
    Ok(())
}

fn empty_changeset_is_refused(conn) {
    seed(conn)?;
    let err = update(users::table).set(&UserChanges::default()).execute(conn).expect_err("nothing to set");
    assert_eq!(err.kind(), ErrorKind::InvalidQuery);
    assert!(err.message().contains("no column to change"));
    Ok(())
}

fn delete_with_filter_and_find(conn) {
    seed(conn)?;
    conn.batch_execute("DELETE FROM posts")?;
    assert_eq!(delete(users::table.find(3)).execute(conn)?, 1);
    assert_eq!(delete(users::table.find(3)).execute(conn)?, 0);
    assert_eq!(delete(users::table).filter(users::score.lt(2)).execute(conn)?, 1);
    assert_eq!(delete(users::table).execute(conn)?, 1);
    assert_eq!(users::table.count().get_result::<i64>(conn)?, 0);
    Ok(())
}

fn an_update_counts_the_rows_it_matched_even_when_nothing_changed(conn) {
    seed(conn)?;
    // Cy already has score 2: the row matches, and every backend counts it.
    let same = update(users::table.filter(users::name.eq("Cy"))).set(users::score.eq(2)).execute(conn)?;
    assert_eq!(same, 1);
    let mixed = update(users::table.filter(users::score.ge(2))).set(users::score.eq(3)).execute(conn)?;
    assert_eq!(mixed, 2, "Ann (already 3) and Cy");
    let none = update(users::table.filter(users::id.eq(99))).set(users::score.eq(3)).execute(conn)?;
    assert_eq!(none, 0);
    // An upsert that leaves a conflicting row alone still counts nothing.
    let ignored = insert_into(users::table)
        .values((users::id.eq(1), users::name.eq("again")))
        .on_conflict_do_nothing()
        .execute(conn)?;
    assert_eq!(ignored, 0);
    Ok(())
}

fn identifiable_gives_the_key(conn) {
    seed(conn)?;
    let user: User = users::table.find(2).select(User::as_select()).first(conn)?;
    assert_eq!(*user.id(), 2);
    let again: User = users::table.find(*user.id()).select(User::as_select()).first(conn)?;
    assert_eq!(again, user);
    Ok(())
}
}

mod returning {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [sqlite, postgres];

    fn insert_returning(conn) {
        let (id, name): (i32, String) = insert_into(users::table)
            .values(&NewUser { name: "Ann", email: None, score: None })
            .returning((users::id, users::name))
            .get_result(conn)?;
        assert_eq!((id, name.as_str()), (1, "Ann"));
        let user: User = insert_into(users::table)
            .values(&NewUser { name: "Bob", email: None, score: Some(4) })
            .returning(User::as_select())
            .get_result(conn)?;
        assert_eq!(user, User { id: 2, name: "Bob".into(), email: None, score: 4 });
        let ids: Vec<i32> = insert_into(users::table)
            .values(vec![(users::name.eq("C"),), (users::name.eq("D"),)])
            .returning(users::id)
            .load(conn)?;
        assert_eq!(ids, [3, 4]);
        Ok(())
    }

    fn update_returning(conn) {
        seed(conn)?;
        let mut scores: Vec<(i32, i32)> = update(users::table)
            .set(users::score.eq(users::score * 2))
            .filter(users::score.ge(2))
            .returning((users::id, users::score))
            .load(conn)?;
        scores.sort();
        assert_eq!(scores, [(1, 6), (3, 4)]);
        Ok(())
    }

    fn returning_rows_with_different_defaults(conn) {
        let rows = [
            NewUser { name: "A", email: None, score: Some(1) },
            NewUser { name: "B", email: Some("b@x"), score: None },
        ];
        let result: QueryResult<Vec<i32>> =
            insert_into(users::table).values(&rows[..]).returning(users::id).load(conn);
        if DIALECT == Dialect::Sqlite {
            // One statement must return the rows; SQLite cannot write it.
            assert_eq!(result.map_err(|e| e.kind()).err(), Some(ErrorKind::InvalidQuery));
            assert_eq!(users::table.count().get_result::<i64>(conn)?, 0);
        } else {
            assert_eq!(result?, [1, 2]);
        }
        Ok(())
    }

    fn delete_returning(conn) {
        seed(conn)?;
        conn.batch_execute("DELETE FROM posts")?;
        let gone: Vec<String> = delete(users::table).filter(users::score.lt(2)).returning(users::name).load(conn)?;
        assert_eq!(gone, ["Bob"]);
        Ok(())
    }
    }
}
