//! Eight threads move money between accounts at once. Transactions that lose a race fail with
//! a retryable kind and are run again; at the end no money appeared or vanished, and the ledger
//! holds exactly the transfers that reported success.

use std::sync::Barrier;

use philtre::prelude::*;
use philtre_tests::harness::{open_mysql, open_postgres};

philtre::table! {
    accounts (id) {
        id -> Integer,
        balance -> BigInt,
    }
    ledger (id) {
        #[auto_increment]
        id -> Integer,
        from_id -> Integer references accounts(id),
        to_id -> Integer references accounts(id),
        amount -> BigInt,
    }
}

const THREADS: usize = 8;
const TRANSFERS_EACH: usize = 40;
const ACCOUNTS: i32 = 6;
const OPENING_BALANCE: i64 = 1_000;

/// What the threads did, summed.
#[derive(Debug, Default)]
struct Tally {
    committed: i64,
    declined: i64,
    retries: i64,
}

/// A small deterministic generator, so every run moves the same money.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

macro_rules! transfers {
    ($conn:ty) => {
        /// Runs every thread's transfers on its own connection and checks the books.
        fn run(mut check: $conn, connections: Vec<$conn>) -> QueryResult<Tally> {
            Schema::new()
                .table(accounts::table)
                .table(ledger::table)
                .create_all(&mut check)?;
            for id in 1..=ACCOUNTS {
                insert_into(accounts::table)
                    .values((accounts::id.eq(id), accounts::balance.eq(OPENING_BALANCE)))
                    .execute(&mut check)?;
            }
            let barrier = Barrier::new(connections.len());
            let tallies: Vec<QueryResult<Tally>> = std::thread::scope(|s| {
                let handles: Vec<_> = connections
                    .into_iter()
                    .enumerate()
                    .map(|(thread, mut conn)| {
                        let barrier = &barrier;
                        s.spawn(move || {
                            barrier.wait();
                            transfer_many(&mut conn, thread as u64)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("transfer thread"))
                    .collect()
            });
            let mut total = Tally::default();
            for tally in tallies {
                let tally = tally?;
                total.committed += tally.committed;
                total.declined += tally.declined;
                total.retries += tally.retries;
            }
            let balances: Vec<(i32, i64)> = accounts::table
                .select((accounts::id, accounts::balance))
                .order(accounts::id)
                .load(&mut check)?;
            let sum: i64 = balances.iter().map(|(_, b)| b).sum();
            assert_eq!(
                sum,
                i64::from(ACCOUNTS) * OPENING_BALANCE,
                "no money appeared or vanished"
            );
            assert!(balances.iter().all(|(_, b)| *b >= 0), "{balances:?}");
            let entries: Vec<(i32, i32, i64)> = ledger::table
                .select((ledger::from_id, ledger::to_id, ledger::amount))
                .load(&mut check)?;
            assert_eq!(
                entries.len() as i64,
                total.committed,
                "one ledger row per committed transfer"
            );
            for (id, balance) in &balances {
                let out: i64 = entries.iter().filter(|e| e.0 == *id).map(|e| e.2).sum();
                let came: i64 = entries.iter().filter(|e| e.1 == *id).map(|e| e.2).sum();
                assert_eq!(
                    *balance,
                    OPENING_BALANCE - out + came,
                    "account {id} matches the ledger"
                );
            }
            assert_eq!(
                total.committed + total.declined,
                (THREADS * TRANSFERS_EACH) as i64
            );
            Schema::new()
                .table(accounts::table)
                .table(ledger::table)
                .drop_all(&mut check)?;
            Ok(total)
        }

        fn transfer_many(conn: &mut $conn, seed: u64) -> QueryResult<Tally> {
            let mut rng = Lcg(seed + 1);
            let mut tally = Tally::default();
            for _ in 0..TRANSFERS_EACH {
                let from = rng.next(ACCOUNTS as u64) as i32 + 1;
                let to = (from + rng.next(ACCOUNTS as u64 - 1) as i32) % ACCOUNTS + 1;
                let amount = rng.next(300) as i64 + 1;
                loop {
                    let outcome = conn.transaction(|conn| {
                        let taken = update(
                            accounts::table
                                .filter(accounts::id.eq(from).and(accounts::balance.ge(amount))),
                        )
                        .set(accounts::balance.eq(accounts::balance - amount))
                        .execute(conn)?;
                        if taken == 0 {
                            return Ok(false);
                        }
                        update(accounts::table.find(to))
                            .set(accounts::balance.eq(accounts::balance + amount))
                            .execute(conn)?;
                        insert_into(ledger::table)
                            .values((
                                ledger::from_id.eq(from),
                                ledger::to_id.eq(to),
                                ledger::amount.eq(amount),
                            ))
                            .execute(conn)?;
                        Ok::<_, Error>(true)
                    });
                    match outcome {
                        Ok(true) => tally.committed += 1,
                        Ok(false) => tally.declined += 1,
                        Err(e) if e.is_retryable() => {
                            tally.retries += 1;
                            continue;
                        }
                        Err(e) => return Err(e),
                    }
                    break;
                }
            }
            Ok(tally)
        }
    };
}

mod sqlite {
    use super::*;
    use philtre_sqlite::SqliteConnection;
    transfers!(SqliteConnection);

    #[test]
    fn eight_threads_move_money_on_sqlite() -> QueryResult<()> {
        let dir = std::env::temp_dir().join(format!("philtre-transfers-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| Error::new(ErrorKind::Other, e.to_string()))?;
        let url = format!(
            "sqlite:///{}?journal_mode=wal&begin=immediate&lock_timeout=10s",
            dir.join("bank.db").display()
        );
        let check = SqliteConnection::open(&url)?;
        let connections = (0..THREADS)
            .map(|_| SqliteConnection::open(&url))
            .collect::<QueryResult<_>>()?;
        let start = std::time::Instant::now();
        let tally = run(check, connections)?;
        eprintln!("transfers on SQLite: {tally:?} in {:?}", start.elapsed());
        assert!(tally.committed > 0, "{tally:?}");
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}

mod postgres {
    use super::*;
    use philtre_postgres::PgConnection;
    transfers!(PgConnection);

    #[test]
    fn eight_threads_move_money_on_postgres() -> QueryResult<()> {
        let Some(db) = open_postgres() else {
            return Ok(());
        };
        // PostgreSQL looks for deadlocks after a second of waiting; sooner keeps the test short
        // (a superuser setting: without the right, the default applies).
        let connections = (0..THREADS)
            .map(|_| {
                let mut conn = db.second_connection();
                let _ = conn.batch_execute("SET deadlock_timeout = '20ms'");
                conn
            })
            .collect();
        let start = std::time::Instant::now();
        let tally = run(db.second_connection(), connections)?;
        eprintln!("transfers: {tally:?} in {:?}", start.elapsed());
        assert!(tally.committed > 0, "{tally:?}");
        Ok(())
    }
}

mod mysql {
    use super::*;
    use philtre_mysql::MysqlConnection;
    transfers!(MysqlConnection);

    #[test]
    fn eight_threads_move_money_on_mysql() -> QueryResult<()> {
        let Some(db) = open_mysql() else {
            return Ok(());
        };
        let connections = (0..THREADS).map(|_| db.second_connection()).collect();
        let start = std::time::Instant::now();
        let tally = run(db.second_connection(), connections)?;
        eprintln!("transfers: {tally:?} in {:?}", start.elapsed());
        assert!(tally.committed > 0, "{tally:?}");
        Ok(())
    }
}
