//! Recovery under faults: 8 threads × 500 transfers through one pool while another thread ends
//! random sessions of that pool every few milliseconds. Every transfer either committed fully
//! or returned an error; the balances match the ledger; no thread waits past the checkout
//! timeout; the pool serves again once the faults stop, and after every session is ended at
//! once (a server restart, as seen from the pool).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use philtre::prelude::*;
use philtre_engine::{AnyConnection, Engine};
use philtre_mysql::MysqlConnection;
use philtre_postgres::PgConnection;

use super::targets::{Target, mysql_target, postgres_target};

philtre::table! {
    accounts (id) {
        id -> Integer,
        balance -> BigInt,
    }
    ledger (id) {
        id -> Integer,
        from_account -> Integer,
        to_account -> Integer,
        amount -> BigInt,
    }
}

const THREADS: i32 = 8;
const TRANSFERS: i32 = 500;
const ACCOUNTS: i32 = 10;
const OPENING_BALANCE: i64 = 1_000_000;
const POOL_TIMEOUT: Duration = Duration::from_secs(10);

/// What one transfer came to.
enum Outcome {
    Committed,
    /// Failed before COMMIT was sent: nothing may be kept.
    Failed,
    /// The connection was lost at COMMIT: kept or not, the ledger says which.
    Unknown,
}

fn transfer(engine: &Engine, id: i32) -> (Outcome, Duration) {
    let from = id % ACCOUNTS;
    let to = (id / ACCOUNTS + from + 1) % ACCOUNTS;
    let amount = i64::from(id % 97 + 1);
    let start = Instant::now();
    let result = engine.begin(|conn| {
        update(accounts::table.find(from))
            .set(accounts::balance.eq(accounts::balance - amount))
            .execute(conn)?;
        update(accounts::table.find(to))
            .set(accounts::balance.eq(accounts::balance + amount))
            .execute(conn)?;
        insert_into(ledger::table)
            .values((
                ledger::id.eq(id),
                ledger::from_account.eq(from),
                ledger::to_account.eq(to),
                ledger::amount.eq(amount),
            ))
            .execute(conn)
    });
    let outcome = match result {
        Ok(_) => Outcome::Committed,
        Err(e)
            if e.message()
                .contains("whether the transaction was kept is unknown") =>
        {
            Outcome::Unknown
        }
        Err(e) => {
            assert!(
                matches!(
                    e.kind(),
                    ErrorKind::Connection
                        | ErrorKind::TransactionAborted
                        | ErrorKind::Deadlock
                        | ErrorKind::SerializationFailure
                        | ErrorKind::Other
                ),
                "unexpected failure: {e}"
            );
            Outcome::Failed
        }
    };
    (outcome, start.elapsed())
}

/// Ends sessions of the pool under test: one at random, or all of them.
struct Killer {
    admin: AnyConnection,
    name: String,
}

impl Killer {
    fn new(target: &Target) -> QueryResult<Self> {
        Ok(Killer {
            admin: AnyConnection::open(&target.url)?,
            name: target.name.clone(),
        })
    }

    /// Ends one session (or all) of the pool under test; returns how many it ended.
    fn kill(&mut self, all: bool) -> QueryResult<usize> {
        let limit = if all {
            ""
        } else {
            " ORDER BY random() LIMIT 1"
        };
        match &mut self.admin {
            AnyConnection::Postgres(pg) => {
                let sql = format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE application_name = '{}' AND pid <> pg_backend_pid(){limit}",
                    self.name
                );
                Ok(pg.simple_query(&sql)?.len().saturating_sub(1))
            }
            AnyConnection::Mysql(my) => {
                use philtre_mysql::mysql::prelude::Queryable;
                let limit = if all { "" } else { " ORDER BY RAND() LIMIT 1" };
                let own = my.connection_id();
                let ids: Vec<u64> = my
                    .raw()
                    .query(format!(
                        "SELECT id FROM information_schema.processlist \
                         WHERE db = '{}' AND id <> {own}{limit}",
                        self.name
                    ))
                    .map_err(|e| philtre::Error::new(ErrorKind::Other, e.to_string()))?;
                let mut ended = 0;
                for id in ids {
                    // A session that ended meanwhile is not an error here.
                    if my.batch_execute(&format!("KILL {id}")).is_ok() {
                        ended += 1;
                    }
                }
                Ok(ended)
            }
            AnyConnection::Sqlite(_) => Ok(0),
        }
    }
}

fn run_under_faults(target: &Target) -> QueryResult<()> {
    let kind = target.kind;
    // Sessions are found by the pool's own name: the application name on PostgreSQL, the
    // database on MySQL.
    let engine = Engine::builder(&target.url)
        .pool_size(4)
        .max_overflow(4)
        .pool_timeout(POOL_TIMEOUT)
        .connect_options(
            philtre::connection::ConnectOptions::new()
                .connect_timeout(Duration::from_secs(5))
                .read_timeout(Duration::from_secs(10)),
        )
        .build()?;
    {
        let mut conn = engine.connect()?;
        match &mut *conn {
            AnyConnection::Postgres(pg) => {
                philtre::schema::Schema::new()
                    .table(accounts::table)
                    .table(ledger::table)
                    .create_all(pg)?;
            }
            AnyConnection::Mysql(my) => {
                philtre::schema::Schema::new()
                    .table(accounts::table)
                    .table(ledger::table)
                    .create_all(my)?;
            }
            AnyConnection::Sqlite(_) => unreachable!("server targets only"),
        }
        let rows: Vec<_> = (0..ACCOUNTS)
            .map(|id| (accounts::id.eq(id), accounts::balance.eq(OPENING_BALANCE)))
            .collect();
        insert_into(accounts::table)
            .values(rows)
            .execute(&mut *conn)?;
    }

    let done = Arc::new(AtomicBool::new(false));
    let kills = Arc::new(AtomicUsize::new(0));
    let killer = {
        let (done, kills) = (Arc::clone(&done), Arc::clone(&kills));
        let mut killer = Killer::new(target)?;
        std::thread::spawn(move || {
            let mut step = 0u64;
            while !done.load(Ordering::SeqCst) {
                if let Ok(n) = killer.kill(false) {
                    kills.fetch_add(n, Ordering::SeqCst);
                }
                step += 1;
                std::thread::sleep(Duration::from_millis(3 + step % 6));
            }
        })
    };

    let started = Instant::now();
    let workers: Vec<_> = (0..THREADS)
        .map(|thread| {
            let engine = engine.clone();
            std::thread::spawn(move || {
                (0..TRANSFERS)
                    .map(|i| {
                        let id = thread * TRANSFERS + i;
                        let (outcome, took) = transfer(&engine, id);
                        (id, outcome, took)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut results = Vec::new();
    for worker in workers {
        results.extend(worker.join().expect("a worker thread panicked"));
    }
    done.store(true, Ordering::SeqCst);
    killer.join().expect("the killer thread panicked");
    let elapsed = started.elapsed();

    let committed: HashSet<i32> = results
        .iter()
        .filter(|(_, o, _)| matches!(o, Outcome::Committed))
        .map(|(id, _, _)| *id)
        .collect();
    let failed: HashSet<i32> = results
        .iter()
        .filter(|(_, o, _)| matches!(o, Outcome::Failed))
        .map(|(id, _, _)| *id)
        .collect();
    let unknown = results.len() - committed.len() - failed.len();
    let slowest = results
        .iter()
        .map(|(_, _, took)| *took)
        .max()
        .unwrap_or_default();
    eprintln!(
        "{kind}: {} transfers in {elapsed:?}: {} committed, {} failed, {unknown} unknown at \
         COMMIT; {} sessions ended; slowest {slowest:?}",
        results.len(),
        committed.len(),
        failed.len(),
        kills.load(Ordering::SeqCst),
    );
    assert_eq!(results.len(), (THREADS * TRANSFERS) as usize);
    assert!(
        kills.load(Ordering::SeqCst) > 10,
        "{kind}: the faults happened"
    );
    assert!(!failed.is_empty(), "{kind}: some transfers met a fault");
    // Each ended session invalidates the pool's older connections (SQLAlchemy's rule), so
    // under a kill every few milliseconds most transfers meet a fresh connect; on a loaded
    // 2-core machine about a fifth still commit. The point is that some do, and that none is
    // misreported.
    assert!(
        committed.len() >= results.len() / 20,
        "{kind}: work still gets through"
    );
    assert!(
        slowest < POOL_TIMEOUT + Duration::from_secs(5),
        "{kind}: a transfer waited {slowest:?}"
    );

    // The pool recovers by itself: new transfers go through (a transfer that meets a
    // connection which died in the last moments of the faults may fail once).
    for id in 0..50 {
        let id = 100_000 + id;
        let retried = (0..3).any(|_| matches!(transfer(&engine, id).0, Outcome::Committed));
        assert!(
            retried,
            "{kind}: transfer {id} failed three times after the faults stopped"
        );
    }

    // The ledger and the balances agree with each other and with what each caller was told.
    let mut conn = engine.connect()?;
    let ledger_rows: Vec<(i32, i32, i32, i64)> = ledger::table
        .select((
            ledger::id,
            ledger::from_account,
            ledger::to_account,
            ledger::amount,
        ))
        .load(&mut *conn)?;
    let kept: HashSet<i32> = ledger_rows.iter().map(|row| row.0).collect();
    let missing: Vec<_> = committed.iter().filter(|id| !kept.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "{kind}: committed but not kept: {missing:?}"
    );
    let phantom: Vec<_> = failed.iter().filter(|id| kept.contains(id)).collect();
    assert!(
        phantom.is_empty(),
        "{kind}: reported failed but kept: {phantom:?}"
    );
    let mut expected = vec![OPENING_BALANCE; ACCOUNTS as usize];
    for (_, from, to, amount) in &ledger_rows {
        expected[*from as usize] -= amount;
        expected[*to as usize] += amount;
    }
    let balances: Vec<i64> = accounts::table
        .select(accounts::balance)
        .order(accounts::id)
        .load(&mut *conn)?;
    assert_eq!(
        balances, expected,
        "{kind}: balances differ from the ledger"
    );
    drop(conn);
    assert_eq!(engine.status().checked_out, 0);

    // A server restart, as the pool sees it: every session ends at once.
    let mut killer = Killer::new(target)?;
    let ended = killer.kill(true)?;
    assert!(ended >= 1, "{kind}: the pool had sessions open");
    std::thread::sleep(Duration::from_millis(100));
    let recovered = (0..3).any(|attempt| {
        let id = 200_000 + attempt;
        matches!(transfer(&engine, id).0, Outcome::Committed)
    });
    assert!(
        recovered,
        "{kind}: the pool serves again after every session ended"
    );
    Ok(())
}

#[test]
fn a_pool_keeps_every_promise_while_sessions_are_killed_postgres() -> QueryResult<()> {
    let Some(target) = postgres_target() else {
        return Ok(());
    };
    run_under_faults(&target)
}

#[test]
fn a_pool_keeps_every_promise_while_sessions_are_killed_mysql() -> QueryResult<()> {
    let Some(target) = mysql_target() else {
        return Ok(());
    };
    run_under_faults(&target)
}

fn _static_types_stay_in_use(_: PgConnection, _: MysqlConnection) {}
