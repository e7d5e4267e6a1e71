//! Features only some databases have. Where a backend lacks one, the query does not compile
//! (see ui-tests); here each runs on the backends that have it.

use philtre::backend::SupportsRowLocking;
use philtre::prelude::*;
use philtre::types::{FromSql, ToSql};
use philtre_tests::*;

/// Written once for every backend that can lock rows: PostgreSQL and MySQL accept it, SQLite
/// does not compile it.
fn lock_names_above<C>(conn: &mut C, min: i32) -> QueryResult<Vec<String>>
where
    C: Connection,
    C::Backend: SupportsRowLocking,
    i32: ToSql<Integer, C::Backend>,
    String: FromSql<Text, C::Backend>,
{
    users::table
        .select(users::name)
        .filter(users::score.gt(min))
        .order(users::id)
        .for_update()
        .load(conn)
}

philtre_tests::backend_tests! {
backends: [postgres];

fn ilike_is_case_insensitive(conn) {
    seed(conn)?;
    let names: Vec<String> = users::table.select(users::name).filter(users::name.ilike("b%")).load(conn)?;
    assert_eq!(names, ["Bob"]);
    Ok(())
}

fn distinct_on_keeps_the_first_row_of_each_group(conn) {
    seed(conn)?;
    let firsts: Vec<(i32, String)> = posts::table
        .select((posts::user_id, posts::title))
        .distinct_on(posts::user_id)
        .order((posts::user_id, posts::title))
        .load(conn)?;
    assert_eq!(firsts, [(1, "Again".to_owned()), (2, "Bobs".to_owned())]);
    Ok(())
}

fn shared_locks_take_modifiers(conn) {
    seed(conn)?;
    conn.transaction(|conn| {
        let n: Vec<i32> = users::table.select(users::id).for_share().skip_locked().load(conn)?;
        assert_eq!(n.len(), 3);
        let n: Vec<i32> = users::table.select(users::id).for_share().no_wait().load(conn)?;
        assert_eq!(n.len(), 3);
        Ok::<_, Error>(())
    })
}
}

mod lock_of {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [postgres];

    fn for_update_of_locks_one_table_of_a_join(conn) {
        seed(conn)?;
        let query = posts::table
            .inner_join(users::table)
            .select((posts::id, users::name))
            .filter(users::id.eq(1))
            .order(posts::id)
            .for_update()
            .of(users::table)
            .no_wait();
        assert!(
            debug_query::<Db, _>(&query).sql().ends_with(" FOR UPDATE OF \"users\" NOWAIT"),
            "{}",
            debug_query::<Db, _>(&query).sql()
        );
        conn.transaction(|conn| {
            let rows: Vec<(i32, String)> = query.load(conn)?;
            assert_eq!(rows, [(1, "Ann".into()), (2, "Ann".into())]);
            // The rows locked are the user's, not the posts'.
            let locked: i64 = users::table
                .select(philtre::expression::sql::<BigInt>(
                    "(SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' AND pid = pg_backend_pid())",
                ))
                .first(conn)?;
            assert_eq!(locked, 1, "FOR UPDATE takes the transaction id");
            let shared: Vec<i32> = posts::table.select(posts::id).filter(posts::user_id.eq(1)).order(posts::id).for_share().of(posts::table).load(conn)?;
            assert_eq!(shared, [1, 2]);
            Ok::<_, Error>(())
        })
    }
    }
}

mod quantified {
    use super::*;
    use philtre::query::{all_of, any_of};

    philtre_tests::backend_tests! {
    backends: [postgres, mysql];

    fn comparisons_with_all_or_any_of_a_subquery(conn) {
        seed(conn)?;
        // Users scoring above every score of users 2 and 3: Ann (3 > 1, 2).
        let top: Vec<String> = users::table
            .filter(users::score.gt(all_of(users::table.filter(users::id.ne(1)).select(users::score))))
            .select(users::name)
            .load(conn)?;
        assert_eq!(top, ["Ann"]);
        // Users scoring below some other score: Bob and Cy.
        let below: Vec<String> = users::table
            .filter(users::score.lt(any_of(users::table.select(users::score))))
            .select(users::name)
            .order(users::id)
            .load(conn)?;
        assert_eq!(below, ["Bob", "Cy"]);
        // ALL of nothing is true; ANY of nothing is false.
        let nothing = users::table.filter(users::id.gt(100)).select(users::score);
        assert_eq!(users::table.filter(users::score.gt(all_of(nothing))).count().get_result::<i64>(conn)?, 3);
        assert_eq!(users::table.filter(users::score.gt(any_of(nothing))).count().get_result::<i64>(conn)?, 0);
        // Correlated: posts whose id is above every other post of their author.
        let other = philtre::alias!(posts as other);
        let latest: Vec<i32> = posts::table
            .filter(posts::id.ge(all_of(
                other.correlate(posts::table)
                    .filter(other.column(posts::user_id).eq(posts::user_id))
                    .select(other.column(posts::id)),
            )))
            .select(posts::id)
            .order(posts::id)
            .load(conn)?;
        assert_eq!(latest, [2, 3]);
        Ok(())
    }
    }
}

mod locking {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [postgres, mysql];

    fn row_locks_in_a_transaction(conn) {
        seed(conn)?;
        conn.transaction(|conn| {
            assert_eq!(lock_names_above(conn, 1)?, ["Ann", "Cy"]);
            let ids: Vec<i32> = users::table.select(users::id).order(users::id).limit(1).for_update().skip_locked().load(conn)?;
            assert_eq!(ids, [1]);
            let ids: Vec<i32> = users::table.select(users::id).filter(users::id.eq(2)).for_update().no_wait().load(conn)?;
            assert_eq!(ids, [2]);
            let ids: Vec<i32> = users::table.select(users::id).for_share().load(conn)?;
            assert_eq!(ids.len(), 3);
            Ok::<_, Error>(())
        })
    }
    }
}

mod upsert {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [sqlite, postgres, mysql];

    fn do_nothing_on_any_conflict(conn) {
        seed(conn)?;
        let dup = NewUser { name: "Other Bob", email: Some("bob@x"), score: None };
        let n = insert_into(users::table).values(&dup).on_conflict_do_nothing().execute(conn)?;
        assert_eq!(n, 0, "the conflicting row is not inserted");
        let fresh = NewUser { name: "Dee", email: Some("dee@x"), score: None };
        let n = insert_into(users::table).values(&fresh).on_conflict_do_nothing().execute(conn)?;
        assert_eq!(n, 1);
        let names: Vec<String> = users::table.select(users::name).order(users::id).load(conn)?;
        assert_eq!(names, ["Ann", "Bob", "Cy", "Dee"]);
        Ok(())
    }
    }

    mod with_target {
        use super::*;

        philtre_tests::backend_tests! {
        backends: [sqlite, postgres];

        fn on_conflict_do_update_with_excluded_values(conn) {
            seed(conn)?;
            let rows = vec![
                NewUser { name: "Robert", email: Some("bob@x"), score: Some(5) },
                NewUser { name: "Dee", email: Some("dee@x"), score: Some(4) },
            ];
            insert_into(users::table)
                .values(&rows)
                .on_conflict(users::email)
                .do_update()
                .set((users::name.eq(excluded(users::name)), users::score.eq(users::score + excluded(users::score))))
                .execute(conn)?;
            let all: Vec<(String, i32)> = users::table.select((users::name, users::score)).order(users::id).load(conn)?;
            assert_eq!(all, [("Ann".into(), 3), ("Robert".into(), 6), ("Cy".into(), 2), ("Dee".into(), 4)]);
            let n = insert_into(users::table)
                .values(&NewUser { name: "X", email: Some("cy@x"), score: None })
                .on_conflict(users::email)
                .do_nothing()
                .execute(conn)?;
            assert_eq!(n, 0);
            Ok(())
        }

        fn do_update_where_changes_only_the_rows_it_allows(conn) {
            seed(conn)?;
            // Keep the higher score: Bob's 1 becomes 5, Cy's 2 stays (the offer is lower).
            let offers = vec![
                NewUser { name: "Bob", email: Some("bob@x"), score: Some(5) },
                NewUser { name: "Cy", email: Some("cy@x"), score: Some(1) },
            ];
            let n = insert_into(users::table)
                .values(&offers)
                .on_conflict(users::email)
                .do_update()
                .set(users::score.eq(excluded(users::score)))
                .filter(users::score.lt(excluded(users::score)))
                .execute(conn)?;
            assert_eq!(n, 1, "only Bob's row was updated");
            let scores: Vec<i32> = users::table.select(users::score).order(users::id).load(conn)?;
            assert_eq!(scores, [3, 5, 2]);
            Ok(())
        }

        fn a_partial_unique_index_is_a_conflict_target(conn) {
            seed(conn)?;
            // Names are unique among users with a score of 2 or more.
            conn.batch_execute("CREATE UNIQUE INDEX users_ranked_name ON users (name) WHERE score >= 2")?;
            let n = insert_into(users::table)
                .values(&NewUser { name: "Ann", email: Some("ann2@x"), score: Some(4) })
                .on_conflict(users::name)
                .index_where(users::score.ge(2))
                .do_update()
                .set(users::score.eq(excluded(users::score)))
                .execute(conn)?;
            assert_eq!(n, 1);
            let ann: Vec<(String, i32)> = users::table.filter(users::name.eq("Ann")).select((users::name, users::score)).load(conn)?;
            assert_eq!(ann, [("Ann".into(), 4)], "updated in place, not inserted");
            Ok(())
        }
        }
    }

    mod on_constraint {
        use super::*;

        philtre_tests::backend_tests! {
        backends: [postgres];

        fn a_conflict_target_named_by_its_constraint(conn) {
            seed(conn)?;
            let constraint: String = users::table
                .select(philtre::expression::sql::<Text>(
                    "(SELECT conname::text FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'u')",
                ))
                .first(conn)?;
            let n = insert_into(users::table)
                .values(&NewUser { name: "Robert", email: Some("bob@x"), score: Some(9) })
                .on_conflict_on_constraint(constraint.clone())
                .do_update()
                .set(users::name.eq(excluded(users::name)))
                .execute(conn)?;
            assert_eq!(n, 1);
            let bob: String = users::table.find(2).select(users::name).first(conn)?;
            assert_eq!(bob, "Robert");
            let n = insert_into(users::table)
                .values(&NewUser { name: "Bobby", email: Some("bob@x"), score: None })
                .on_conflict_on_constraint(constraint)
                .do_nothing()
                .execute(conn)?;
            assert_eq!(n, 0);
            Ok(())
        }
        }
    }

    mod duplicate_key {
        use super::*;

        philtre_tests::backend_tests! {
        backends: [mysql];

        fn on_duplicate_key_update_with_excluded_values(conn) {
            seed(conn)?;
            insert_into(users::table)
                .values(&NewUser { name: "Robert", email: Some("bob@x"), score: Some(5) })
                .on_duplicate_key_update((users::name.eq(excluded(users::name)), users::score.eq(users::score + excluded(users::score))))
                .execute(conn)?;
            let bob: (String, i32) = users::table.find(2).select((users::name, users::score)).first(conn)?;
            assert_eq!(bob, ("Robert".into(), 6));
            assert_eq!(users::table.count().get_result::<i64>(conn)?, 3);
            Ok(())
        }
        }
    }
}
