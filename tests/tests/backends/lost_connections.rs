//! A session the server ends — between statements, during one, just before COMMIT — gives an
//! error of kind `Connection`, every later call says so at once, and nothing uncommitted is kept.

use std::time::{Duration, Instant};

use philtre::prelude::*;
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;
use philtre_tests::harness::{open_mysql, open_postgres};
use philtre_tests::*;

/// What the fault tests need of a server connection: its id, and a way to end it from another.
trait Victim: Connection + Send {
    fn session_id(&mut self) -> QueryResult<i64>;
    fn kill_sql(id: i64) -> String;
}

impl Victim for PgConnection {
    fn session_id(&mut self) -> QueryResult<i64> {
        let pid: i32 = self.run_async(async |c| {
            c.query_one("SELECT pg_backend_pid()", &[])
                .await?
                .try_get(0)
        })?;
        Ok(i64::from(pid))
    }
    fn kill_sql(id: i64) -> String {
        format!("SELECT pg_terminate_backend({id})")
    }
}

impl Victim for MysqlConnection {
    fn session_id(&mut self) -> QueryResult<i64> {
        Ok(i64::from(self.connection_id()))
    }
    fn kill_sql(id: i64) -> String {
        format!("KILL {id}")
    }
}

fn kind<T>(r: QueryResult<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

/// After the server ended the session: the next call fails with `Connection`, the connection
/// says it is broken, and every later call fails the same way without waiting.
fn fails_as_lost<C: Victim>(victim: &mut C) {
    let next = victim.batch_execute("SELECT count(*) FROM users");
    assert_eq!(kind(next), Some(ErrorKind::Connection));
    assert!(victim.is_broken(), "known broken after the failure");
    for _ in 0..3 {
        let start = Instant::now();
        assert_eq!(kind(victim.ping()), Some(ErrorKind::Connection));
        assert_eq!(
            kind(victim.batch_execute("SELECT 1")),
            Some(ErrorKind::Connection)
        );
        assert!(
            start.elapsed() < Duration::from_millis(100),
            "fails at once"
        );
    }
}

fn killed_between_statements<C: Victim>(
    mut victim: C,
    killer: &mut impl Connection,
) -> QueryResult<()> {
    assert!(!victim.is_broken());
    victim.ping()?;
    let id = victim.session_id()?;
    killer.batch_execute(&C::kill_sql(id))?;
    std::thread::sleep(Duration::from_millis(100));
    fails_as_lost(&mut victim);
    Ok(())
}

fn killed_during_a_statement<C: Victim>(
    mut victim: C,
    killer: &mut impl Connection,
    sleep: &str,
) -> QueryResult<()> {
    let id = victim.session_id()?;
    let start = Instant::now();
    let outcome = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(300));
            killer.batch_execute(&C::kill_sql(id))
        });
        victim.batch_execute(sleep)
    });
    assert_eq!(kind(outcome), Some(ErrorKind::Connection));
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "returned when the session ended"
    );
    fails_as_lost(&mut victim);
    Ok(())
}

fn killed_just_before_commit<C: Victim>(
    mut victim: C,
    killer: &mut impl Connection,
) -> QueryResult<()> {
    let id = victim.session_id()?;
    let outcome = victim.transaction(|conn| {
        conn.batch_execute("INSERT INTO users (name) VALUES ('doomed')")?;
        // The server ends the session after the work and before the COMMIT.
        killer.batch_execute(&C::kill_sql(id))?;
        std::thread::sleep(Duration::from_millis(100));
        Ok::<_, Error>(())
    });
    let err = outcome.expect_err("the COMMIT cannot have succeeded");
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(victim.is_broken());
    Ok(())
}

/// The three session-ending faults, as tests for one server backend.
macro_rules! session_faults {
    ($backend:ident, $open:ident, $sleep:literal) => {
        mod $backend {
            use super::*;

            #[test]
            fn session_ended_between_statements() -> QueryResult<()> {
                let Some(mut db) = $open() else { return Ok(()) };
                killed_between_statements(db.second_connection(), &mut *db)
            }

            #[test]
            fn session_ended_during_a_long_statement() -> QueryResult<()> {
                let Some(mut db) = $open() else { return Ok(()) };
                killed_during_a_statement(db.second_connection(), &mut *db, $sleep)
            }

            #[test]
            fn session_ended_before_commit_keeps_nothing() -> QueryResult<()> {
                let Some(mut db) = $open() else { return Ok(()) };
                killed_just_before_commit(db.second_connection(), &mut *db)?;
                let kept = users::table.count().get_result::<i64>(&mut *db)?;
                assert_eq!(kept, 0, "nothing committed");
                Ok(())
            }
        }
    };
}

session_faults!(on_postgres, open_postgres, "SELECT pg_sleep(10)");
session_faults!(on_mysql, open_mysql, "SELECT SLEEP(10)");

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn a_healthy_connection_is_not_broken_and_answers_a_ping(conn) {
    assert!(!conn.is_broken());
    conn.ping()?;
    conn.ping()?;
    assert!(!conn.is_broken());
    Ok(())
}
}
