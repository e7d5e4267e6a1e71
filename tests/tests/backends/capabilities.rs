//! Features only some databases have. Where a backend lacks one, the query does not compile
//! (see ui-tests); here each runs on the backends that have it.

use philtre::backend::SupportsRowLocking;
use philtre::prelude::*;
use philtre::types::{BigInt, FromSql, ToSql};
use philtre_tests::*;

/// Written once for every backend that can lock rows: PostgreSQL and MySQL accept it, SQLite
/// does not compile it.
fn lock_names_above<C>(conn: &mut C, min: i32) -> QueryResult<Vec<String>>
where
    C: Connection,
    C::Backend: SupportsRowLocking,
    i32: ToSql<Integer, C::Backend>,
    i64: ToSql<BigInt, C::Backend>,
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
