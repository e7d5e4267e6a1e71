//! A transaction reports `Ok` only for work the database kept.
//!
//! After a failed statement inside a transaction, PostgreSQL aborts the whole transaction (every
//! later statement fails, and COMMIT turns into ROLLBACK); SQLite and MySQL undo only the failed
//! statement and go on. Some errors end the whole transaction on those two as well: a deadlock
//! on MySQL, `INSERT OR ROLLBACK` (or a full disk) on SQLite.

use std::sync::Barrier;

use philtre::prelude::*;
use philtre_tests::harness::{Dialect, open_mysql, open_sqlite};
use philtre_tests::*;

fn kind<T>(r: QueryResult<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn a_failure_the_closure_tolerates_is_never_reported_as_committed(conn) {
    let outcome = conn.transaction(|conn| {
        insert_into(users::table)
            .values((users::name.eq("Ann"), users::email.eq("a@x")))
            .execute(conn)?;
        // A duplicate email the program chose to tolerate.
        let duplicate = insert_into(users::table)
            .values((users::name.eq("Bob"), users::email.eq("a@x")))
            .execute(conn);
        assert_eq!(kind(duplicate), Some(ErrorKind::UniqueViolation));
        Ok::<_, Error>(())
    });
    let kept: Vec<String> = users::table.select(users::name).load(conn)?;
    match DIALECT {
        Dialect::Postgres => {
            let err = outcome.expect_err("PostgreSQL rolled the transaction back");
            assert_eq!(err.kind(), ErrorKind::TransactionAborted);
            assert!(err.to_string().contains("nested transaction"), "says what to do: {err}");
            assert!(kept.is_empty(), "nothing was committed: {kept:?}");
        }
        Dialect::Sqlite | Dialect::Mysql => {
            outcome?;
            assert_eq!(kept, ["Ann"], "only the failed statement was undone");
        }
    }
    assert_eq!(conn.transaction_depth().get(), 0);
    insert_into(users::table).values(users::name.eq("Cy")).execute(conn)?;
    Ok(())
}

fn a_tolerated_failure_inside_a_savepoint_undoes_only_the_savepoint(conn) {
    conn.transaction(|conn| {
        insert_into(users::table).values((users::name.eq("Ann"), users::email.eq("a@x"))).execute(conn)?;
        let inner = conn.transaction(|conn| {
            insert_into(users::table).values(users::name.eq("Bob")).execute(conn)?;
            let duplicate = insert_into(users::table)
                .values((users::name.eq("Dup"), users::email.eq("a@x")))
                .execute(conn);
            assert_eq!(kind(duplicate), Some(ErrorKind::UniqueViolation));
            Ok::<_, Error>(())
        });
        if DIALECT == Dialect::Postgres {
            // The savepoint was aborted and rolled back; the transaction around it goes on.
            assert_eq!(kind(inner), Some(ErrorKind::TransactionAborted));
        } else {
            inner?;
        }
        insert_into(users::table).values(users::name.eq("Cy")).execute(conn)
    })?;
    let kept: Vec<String> = users::table.select(users::name).order(users::id).load(conn)?;
    match DIALECT {
        Dialect::Postgres => assert_eq!(kept, ["Ann", "Cy"]),
        _ => assert_eq!(kept, ["Ann", "Bob", "Cy"]),
    }
    Ok(())
}

fn after_a_failed_statement_postgres_refuses_the_rest_of_the_transaction(conn) {
    let outcome: QueryResult<()> = conn.transaction(|conn| {
        let _ = conn.batch_execute("SELECT no_such_column FROM users");
        let next = users::table.count().get_result::<i64>(conn);
        match DIALECT {
            Dialect::Postgres => assert_eq!(kind(next), Some(ErrorKind::TransactionAborted)),
            _ => assert_eq!(next.ok(), Some(0), "the transaction goes on"),
        }
        Ok(())
    });
    assert_eq!(
        kind(outcome),
        (DIALECT == Dialect::Postgres).then_some(ErrorKind::TransactionAborted)
    );
    Ok(())
}
}

#[test]
fn sqlite_rolling_back_on_its_own_is_reported() -> QueryResult<()> {
    let Some(mut db) = open_sqlite() else {
        return Ok(());
    };
    let outcome = db.transaction(|conn| {
        insert_into(users::table)
            .values((users::id.eq(1), users::name.eq("Ann")))
            .execute(conn)?;
        // OR ROLLBACK: on a conflict SQLite rolls back the whole transaction.
        let conflict =
            conn.batch_execute("INSERT OR ROLLBACK INTO users (id, name) VALUES (1, 'Dup')");
        assert_eq!(kind(conflict), Some(ErrorKind::UniqueViolation));
        // Without a transaction this would be committed on its own; it is refused instead.
        let after = insert_into(users::table)
            .values(users::name.eq("Bob"))
            .execute(conn);
        assert_eq!(kind(after), Some(ErrorKind::TransactionAborted));
        Ok::<_, Error>(())
    });
    assert_eq!(kind(outcome), Some(ErrorKind::TransactionAborted));
    assert_eq!(users::table.count().get_result::<i64>(&mut *db)?, 0);
    Ok(())
}

#[test]
fn mysql_deadlock_victim_cannot_go_on_or_commit() -> QueryResult<()> {
    let Some(mut db) = open_mysql() else {
        return Ok(());
    };
    db.batch_execute("INSERT INTO users (id, name) VALUES (1, 'Ann'), (2, 'Bob')")?;
    let barrier = Barrier::new(2);
    let run = |mut conn: philtre_mysql::MysqlConnection, first: i32, second: i32| {
        let mut deadlocked = false;
        let outcome = conn.transaction(|conn| {
            update(users::table.find(first))
                .set(users::score.eq(1))
                .execute(conn)?;
            barrier.wait();
            let second = update(users::table.find(second))
                .set(users::score.eq(2))
                .execute(conn);
            if kind(second) == Some(ErrorKind::Deadlock) {
                deadlocked = true;
                // InnoDB rolled back the whole transaction: this INSERT must not run on its
                // own, outside any transaction.
                let after = insert_into(users::table)
                    .values(users::name.eq("after the deadlock"))
                    .execute(conn);
                assert_eq!(kind(after), Some(ErrorKind::TransactionAborted));
            }
            Ok::<_, Error>(())
        });
        (deadlocked, kind(outcome))
    };
    let (a, b) = (db.second_connection(), db.second_connection());
    let outcomes = std::thread::scope(|s| {
        let ta = s.spawn(|| run(a, 1, 2));
        let tb = s.spawn(|| run(b, 2, 1));
        [ta.join().expect("thread a"), tb.join().expect("thread b")]
    });
    let victims: Vec<_> = outcomes
        .iter()
        .filter(|(deadlocked, _)| *deadlocked)
        .collect();
    assert_eq!(victims.len(), 1, "{outcomes:?}");
    assert_eq!(
        victims[0].1,
        Some(ErrorKind::TransactionAborted),
        "the victim's commit"
    );
    let names: Vec<String> = users::table
        .select(users::name)
        .order(users::id)
        .load(&mut *db)?;
    assert_eq!(names, ["Ann", "Bob"], "nothing of the victim was kept");
    Ok(())
}
