//! Errors only concurrency can cause: serialization failures, deadlocks, lost connections,
//! on the databases that can produce them (SQLite serializes writers and has none of these).

use std::sync::Barrier;

use philtre::prelude::*;
use philtre_tests::harness::{open_mysql, open_postgres};
use philtre_tests::*;

fn kind<T>(r: QueryResult<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

#[test]
fn postgres_serialization_failure() -> QueryResult<()> {
    let Some(mut a) = open_postgres() else {
        return Ok(());
    };
    let mut b = a.second_connection();
    // Write skew: each transaction reads what the other writes. Under SERIALIZABLE, the one
    // that commits second must fail.
    let result = a.transaction_with(IsolationLevel::Serializable, |a| {
        let n: i64 = users::table.count().get_result(a)?;
        b.transaction_with(IsolationLevel::Serializable, |b| {
            let m: i64 = users::table.count().get_result(b)?;
            insert_into(users::table)
                .values(users::name.eq(format!("b saw {m}")))
                .execute(b)
        })?;
        insert_into(users::table)
            .values(users::name.eq(format!("a saw {n}")))
            .execute(a)
    });
    assert_eq!(kind(result), Some(ErrorKind::SerializationFailure));
    let names: Vec<String> = users::table.select(users::name).load(&mut *a)?;
    assert_eq!(names, ["b saw 0"], "the failed transaction was rolled back");
    Ok(())
}

#[test]
fn mysql_lock_wait_is_reported_as_retryable() -> QueryResult<()> {
    let Some(mut a) = open_mysql() else {
        return Ok(());
    };
    let mut b = a.second_connection();
    b.batch_execute("SET SESSION innodb_lock_wait_timeout = 1")?;
    a.batch_execute("INSERT INTO users (id, name) VALUES (1, 'Ann')")?;
    let result = a.transaction_with(IsolationLevel::Serializable, |a| {
        let _ = users::table
            .find(1)
            .select(users::name)
            .for_update()
            .first::<String>(a)?;
        // b cannot take the row a holds: it gives up after the lock wait timeout.
        let blocked = update(users::table.find(1))
            .set(users::score.eq(5))
            .execute(&mut b);
        assert_eq!(kind(blocked), Some(ErrorKind::LockNotAvailable));
        Ok::<_, Error>(())
    });
    result?;
    Ok(())
}

fn deadlock<C: Connection + Send>(mut a: C, mut b: C) -> Vec<Option<ErrorKind>>
where
    philtre::query::UpdateStatement<
        users::table,
        philtre::query::Where<
            philtre::expression::Eq<users::id, philtre::expression::Bound<Integer, i32>>,
        >,
        philtre::query::Assignment<users::score, philtre::expression::Bound<Integer, i32>>,
    >: philtre::expression::QueryFragment<C::Backend>,
{
    let barrier = Barrier::new(2);
    let run = |conn: &mut C, first: i32, second: i32| -> Option<ErrorKind> {
        let r: QueryResult<()> = conn.transaction(|conn| {
            update(users::table.filter(users::id.eq(first)))
                .set(users::score.eq(1))
                .execute(conn)?;
            barrier.wait();
            update(users::table.filter(users::id.eq(second)))
                .set(users::score.eq(2))
                .execute(conn)?;
            Ok(())
        });
        kind(r)
    };
    std::thread::scope(|s| {
        let ta = s.spawn(|| run(&mut a, 1, 2));
        let tb = s.spawn(|| run(&mut b, 2, 1));
        vec![ta.join().expect("thread a"), tb.join().expect("thread b")]
    })
}

#[test]
fn postgres_deadlock() -> QueryResult<()> {
    let Some(mut a) = open_postgres() else {
        return Ok(());
    };
    a.batch_execute("INSERT INTO users (id, name) VALUES (1, 'Ann'), (2, 'Bob')")?;
    let b = a.second_connection();
    let c = a.second_connection();
    let kinds = deadlock(c, b);
    assert!(kinds.contains(&Some(ErrorKind::Deadlock)), "{kinds:?}");
    assert!(
        kinds.contains(&None),
        "the other transaction went through: {kinds:?}"
    );
    Ok(())
}

#[test]
fn mysql_deadlock() -> QueryResult<()> {
    let Some(mut a) = open_mysql() else {
        return Ok(());
    };
    a.batch_execute("INSERT INTO users (id, name) VALUES (1, 'Ann'), (2, 'Bob')")?;
    let kinds = deadlock(a.second_connection(), a.second_connection());
    assert!(kinds.contains(&Some(ErrorKind::Deadlock)), "{kinds:?}");
    assert!(
        kinds.contains(&None),
        "the other transaction went through: {kinds:?}"
    );
    Ok(())
}

#[test]
fn postgres_connection_lost() -> QueryResult<()> {
    let Some(db) = open_postgres() else {
        return Ok(());
    };
    let mut victim = db.second_connection();
    let killed = victim.batch_execute("SELECT pg_terminate_backend(pg_backend_pid())");
    let next = users::table.count().get_result::<i64>(&mut victim);
    assert!(
        kind(killed) == Some(ErrorKind::Connection) || kind(next) == Some(ErrorKind::Connection),
        "a terminated session reports a connection error"
    );
    Ok(())
}

#[test]
fn mysql_connection_lost() -> QueryResult<()> {
    let Some(mut db) = open_mysql() else {
        return Ok(());
    };
    let mut victim = db.second_connection();
    let id = victim.raw().connection_id();
    db.batch_execute(&format!("KILL {id}"))?;
    let next = users::table.count().get_result::<i64>(&mut victim);
    assert_eq!(kind(next), Some(ErrorKind::Connection));
    Ok(())
}

#[test]
fn isolation_level_only_on_the_outermost_transaction() -> QueryResult<()> {
    let Some(mut db) = open_postgres() else {
        return Ok(());
    };
    let inner = db.transaction(|conn| {
        conn.transaction_with(IsolationLevel::Serializable, |_| Ok::<_, Error>(()))
    });
    assert_eq!(kind(inner), Some(ErrorKind::InvalidQuery));
    db.transaction_with(IsolationLevel::RepeatableRead, |conn| {
        insert_into(users::table)
            .values(users::name.eq("x"))
            .execute(conn)
    })?;
    assert_eq!(users::table.count().get_result::<i64>(&mut *db)?, 1);
    Ok(())
}
