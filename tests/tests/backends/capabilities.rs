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
