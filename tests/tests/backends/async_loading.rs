//! Eager loading on async connections: the blocking loaders' code and SQL, awaited — selectin
//! nested and several at once, joined, subquery, a joined load with a selectin beside it,
//! per-parent limits, many-to-one sharing, many-to-many, an explicit load for rows already
//! read, and more parents than one statement can carry. Every body runs in `tokio::spawn`, so
//! every load's future is `Send`.

use std::sync::Arc;

use philtre::async_prelude::*;
use philtre::orm::{
    AsyncLoadWithDsl, LoadDsl, RelationDsl, With, children, load_related_async, many_to_many,
    parent,
};

use philtre::connection::Event;

use super::async_connections::async_schema_tests;

philtre::table! {
    owners (id) {
        id -> Integer,
        #[max_length = 50]
        name -> Text,
    }
    pets (id) {
        id -> Integer,
        owner_id -> Integer references owners(id),
        #[max_length = 50]
        name -> Text,
        vaccinated -> Bool,
    }
    visits (id) {
        id -> Integer,
        pet_id -> Integer references pets(id),
        #[max_length = 50]
        reason -> Text,
    }
    clubs (id) {
        id -> Integer,
        #[max_length = 50]
        name -> Text,
    }
    club_members (owner_id, club_id) {
        owner_id -> Integer references owners(id),
        club_id -> Integer references clubs(id),
    }
    numbers (n) {
        n -> Integer,
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = owners)]
struct Owner {
    id: i32,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = pets)]
struct Pet {
    id: i32,
    name: String,
    vaccinated: bool,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = visits)]
struct Visit {
    reason: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[philtre(table = clubs)]
struct Club {
    name: String,
}

fn schema() -> Schema {
    Schema::new()
        .table(owners::table)
        .table(pets::table)
        .table(visits::table)
        .table(clubs::table)
        .table(club_members::table)
        .table(numbers::table)
}

const SEED: &str = "
INSERT INTO owners (id, name) VALUES (1, 'ann'), (2, 'bob'), (3, 'cy');
INSERT INTO pets (id, owner_id, name, vaccinated) VALUES
  (10, 1, 'rex', TRUE), (11, 1, 'tom', FALSE), (12, 1, 'kit', TRUE), (20, 2, 'bo', TRUE);
INSERT INTO visits (id, pet_id, reason) VALUES
  (100, 10, 'shots'), (101, 10, 'teeth'), (102, 20, 'paw');
INSERT INTO clubs (id, name) VALUES (1, 'dogs'), (2, 'cats');
INSERT INTO club_members (owner_id, club_id) VALUES (1, 1), (1, 2), (3, 2);
";

/// The names of `rows` (owned, so that no borrow is held across an `.await`).
fn names<T>(rows: &[T], name: impl Fn(&T) -> &str) -> Vec<String> {
    rows.iter().map(|row| name(row).to_owned()).collect()
}

async_schema_tests! {
    fn selectin_nested_and_several_at_once(conn) {
        conn.batch_execute(SEED).await?;
        let pets = children(pets::owner_id).order_by(pets::id);
        let visits = children(visits::pet_id).order_by(visits::id);
        let clubs = many_to_many(club_members::owner_id, club_members::club_id).order_by(clubs::id);
        let rows = owners::table
            .order(owners::id)
            .select(Owner::as_select())
            .load_with::<Owner>(
                (pets.selectin::<Pet>().then(visits.selectin::<Visit>()), clubs.selectin::<Club>()),
                conn,
            )
            .await?;
        assert_eq!(names(&rows, |o| &o.name), ["ann", "bob", "cy"]);
        assert_eq!(names(rows[0].related(pets), |p| &p.name), ["rex", "tom", "kit"]);
        assert_eq!(
            names(rows[0].related(pets)[0].related(visits), |v| &v.reason),
            ["shots", "teeth"]
        );
        assert!(rows[0].related(pets)[1].related(visits).is_empty());
        assert_eq!(names(rows[0].related(clubs), |c| &c.name), ["dogs", "cats"]);
        assert_eq!(rows[1].related(pets)[0].related(visits)[0].reason, "paw");
        assert!(rows[1].related(clubs).is_empty());
        assert!(rows[2].related(pets).is_empty());

        // A condition, an order and a per-parent limit inside the relationship.
        let latest_vaccinated = children(pets::owner_id)
            .filter(pets::vaccinated.eq(true))
            .order_by(pets::id.desc())
            .limit_per_parent(1);
        let rows = owners::table
            .order(owners::id)
            .select(Owner::as_select())
            .load_with::<Owner>(latest_vaccinated.selectin::<Pet>(), conn)
            .await?;
        let latest: Vec<Vec<String>> =
            rows.iter().map(|o| names(o.related(latest_vaccinated), |p| &p.name)).collect();
        assert_eq!(latest, [vec!["kit"], vec!["bo"], vec![]]);

        // No parents: nothing more is asked.
        let none = owners::table
            .filter(owners::id.gt(100))
            .select(Owner::as_select())
            .load_with::<Owner>(pets.selectin::<Pet>(), conn)
            .await?;
        assert!(none.is_empty());
        Ok(())
    }

    fn joined_and_subquery_give_what_selectin_gives(conn) {
        conn.batch_execute(SEED).await?;
        let pets = children(pets::owner_id).order_by(pets::id);
        let visits = children(visits::pet_id).order_by(visits::id);
        let clubs = many_to_many(club_members::owner_id, club_members::club_id).order_by(clubs::id);
        let owners = || owners::table.order(owners::id).select(Owner::as_select());
        let by_selectin = owners()
            .load_with::<Owner>(pets.selectin::<Pet>().then(visits.selectin::<Visit>()), conn)
            .await?;
        let by_join = owners()
            .load_with::<Owner>(pets.joined::<Pet>().then(visits.selectin::<Visit>()), conn)
            .await?;
        assert_eq!(by_join, by_selectin);
        let by_subquery = owners()
            .load_with::<Owner>(pets.subquery::<Pet>().then(visits.subquery::<Visit>()), conn)
            .await?;
        assert_eq!(by_subquery, by_selectin);
        assert_eq!(names(by_subquery[0].related(pets), |p| &p.name), ["rex", "tom", "kit"]);

        // A joined load with a selectin load of another relationship beside it.
        let both = owners()
            .load_with::<Owner>(pets.joined::<Pet>().and(clubs.selectin::<Club>()), conn)
            .await?;
        assert_eq!(both.len(), 3);
        assert_eq!(names(both[0].related(pets), |p| &p.name), ["rex", "tom", "kit"]);
        assert_eq!(names(both[2].related(clubs), |c| &c.name), ["cats"]);

        // Many-to-one: the owner is shared by its pets (one `Arc` per owner).
        let owner = parent(pets::owner_id);
        let pets_with_owner = pets::table
            .order(pets::id)
            .select(Pet::as_select())
            .load_with::<Pet>(owner.joined::<Owner>(), conn)
            .await?;
        assert_eq!(pets_with_owner.len(), 4);
        assert!(Arc::ptr_eq(pets_with_owner[0].related(owner), pets_with_owner[2].related(owner)));
        assert_eq!(pets_with_owner[3].related(owner).name, "bob");
        Ok(())
    }

    fn an_explicit_load_for_rows_already_read(conn) {
        conn.batch_execute(SEED).await?;
        let owners: Vec<Owner> =
            owners::table.order(owners::id).select(Owner::as_select()).load(conn).await?;
        let pets = children(pets::owner_id).order_by(pets::id);
        let loaded: Vec<Vec<Pet>> = load_related_async(
            pets.selectin::<Pet>(),
            owners.iter().map(|owner| owner.id),
            conn,
        )
        .await?
        .into_iter()
        .map(With::into_inner)
        .collect();
        let loaded: Vec<Vec<String>> = loaded.iter().map(|pets| names(pets, |p| &p.name)).collect();
        assert_eq!(loaded, [vec!["rex", "tom", "kit"], vec!["bo"], vec![]]);
        Ok(())
    }

    fn more_parents_than_one_statement_can_carry(conn) {
        conn.batch_execute(
            "INSERT INTO numbers (n) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
        )
        .await?;
        // 70,000 owners: more keys than SQLite (32,766) or MySQL (65,535) take in one
        // statement, so the keys go in several.
        conn.batch_execute(
            "INSERT INTO owners (id, name) SELECT 1 + a.n + 10 * b.n + 100 * c.n + 1000 * d.n + 10000 * e.n, 'x' \
             FROM numbers a, numbers b, numbers c, numbers d, numbers e WHERE e.n < 7",
        )
        .await?;
        conn.batch_execute(
            "INSERT INTO pets (id, owner_id, name, vaccinated) SELECT id, id, 'p', TRUE FROM owners WHERE id % 7 = 0",
        )
        .await?;
        let pets = children(pets::owner_id);
        let rows = owners::table
            .select(Owner::as_select())
            .load_with::<Owner>(pets.selectin::<Pet>(), conn)
            .await?;
        assert_eq!(rows.len(), 70_000);
        assert!(rows.iter().all(|o| o.related(pets).len() == usize::from(o.id % 7 == 0)));
        assert_eq!(rows.iter().filter(|o| o.related(pets).len() == 1).count(), 10_000);
        Ok(())
    }

    fn sibling_relationships_share_a_round_trip_where_the_backend_pipelines(conn) {
        conn.batch_execute(SEED).await?;
        let pets = children(pets::owner_id).order_by(pets::id);
        let visits = children(visits::pet_id).order_by(visits::id);
        let clubs = many_to_many(club_members::owner_id, club_members::club_id).order_by(clubs::id);
        let query = || owners::table.order(owners::id).select(Owner::as_select());
        let plan =
            (pets.selectin::<Pet>().then(visits.selectin::<Visit>()), clubs.selectin::<Club>());
        // Once to prepare the statements (a statement is prepared before it is sent, and a
        // prepare is a round trip of its own), then watched.
        query().load_with::<Owner>(plan.clone(), conn).await?;
        let events = record_statements(conn);
        let rows = query().load_with::<Owner>(plan, conn).await?;
        conn.instrumentation().set(None);
        assert_eq!(names(rows[0].related(pets), |p| &p.name), ["rex", "tom", "kit"]);
        assert_eq!(names(rows[0].related(clubs), |c| &c.name), ["dogs", "cats"]);
        assert_eq!(rows[1].related(pets)[0].related(visits)[0].reason, "paw");
        assert_eq!(names(rows[2].related(clubs), |c| &c.name), ["cats"]);

        let events = events.lock().expect("not poisoned").clone();
        assert_eq!(events.len(), 8, "four statements, each started and ended: {events:#?}");
        // The clubs' query goes out before the pets' answer is read where the backend
        // pipelines (PostgreSQL); elsewhere it waits for the pets and their visits.
        let clubs_start = position(&events, "start", "club_members");
        let pets_end = position(&events, "end", "FROM pets");
        let pipelines = conn.pipeline_lane().is_some();
        assert_eq!(clubs_start < pets_end, pipelines, "{events:#?}");
        assert_eq!(pipelines, std::any::type_name_of_val(&*conn).contains("AsyncPg"));
        Ok(())
    }

    fn a_load_dropped_mid_way_never_reaches_the_next_user(conn) {
        conn.batch_execute(SEED).await?;
        let pets = children(pets::owner_id).order_by(pets::id);
        let clubs = many_to_many(club_members::owner_id, club_members::club_id).order_by(clubs::id);
        let postgres = std::any::type_name_of_val(&*conn).contains("AsyncPg");
        // Polled until the clubs' query has gone out (on PostgreSQL, on a lane, with the pets'
        // query unanswered too), then dropped: a client went away. A fast backend may answer
        // the whole load between two polls; then it is tried again.
        let mut dropped_mid_way = false;
        for _ in 0..20 {
            let events = record_statements(conn);
            {
                let load = owners::table
                    .select(Owner::as_select())
                    .load_with::<Owner>((pets.selectin::<Pet>(), clubs.selectin::<Club>()), &mut *conn);
                let mut load = std::pin::pin!(load);
                loop {
                    if poll_once(load.as_mut()).await.is_some() {
                        break;
                    }
                    let sent = events
                        .lock()
                        .expect("not poisoned")
                        .iter()
                        .any(|e| e.starts_with("start") && e.contains("club_members"));
                    if sent {
                        dropped_mid_way = true;
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                }
            }
            conn.instrumentation().set(None);
            if dropped_mid_way {
                break;
            }
        }
        assert!(dropped_mid_way || !postgres, "a load on PostgreSQL waits for its answers");
        // Either the connection says it is broken (a pool discards it) or it answers rightly.
        let broken = conn.is_broken();
        if postgres {
            assert!(broken, "statements were left unanswered on the session");
        }
        if broken {
            let error = owners::table.select(owners::name).load::<String>(conn).await.expect_err("a broken connection refuses");
            assert_eq!(error.kind(), ErrorKind::Connection, "{error}");
        } else {
            let names: Vec<String> =
                owners::table.order(owners::id).select(owners::name).load(conn).await?;
            assert_eq!(names, ["ann", "bob", "cy"]);
        }
        Ok(())
    }
}

/// Records, in order, each statement's start and end on `conn` (set through
/// `AsyncConnection::instrumentation`, which on SQLite reaches the connection's thread with the
/// next statement).
fn record_statements<C: AsyncConnection>(conn: &mut C) -> Arc<std::sync::Mutex<Vec<String>>> {
    let events = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&events);
    conn.instrumentation()
        .set(Some(Arc::new(move |event: &Event<'_>| {
            let mark = match event {
                Event::StatementStart { sql, .. } => format!("start {sql}"),
                Event::StatementEnd { sql, .. } => format!("end {sql}"),
                _ => return,
            };
            // Without quotes, whichever the backend writes.
            seen.lock()
                .expect("not poisoned")
                .push(mark.replace(['"', '`'], ""));
        })));
    events
}

/// Where the first event that starts with `mark` and contains `text` is.
fn position(events: &[String], mark: &str, text: &str) -> usize {
    events
        .iter()
        .position(|e| e.starts_with(mark) && e.contains(text))
        .unwrap_or_else(|| panic!("no {mark} with {text}: {events:#?}"))
}

/// Polls `future` once; its output if it was ready.
async fn poll_once<F: Future + Unpin>(mut future: F) -> Option<F::Output> {
    std::future::poll_fn(|cx| {
        std::task::Poll::Ready(match std::pin::Pin::new(&mut future).poll(cx) {
            std::task::Poll::Ready(out) => Some(out),
            std::task::Poll::Pending => None,
        })
    })
    .await
}

#[test]
fn a_pooled_postgres_connection_pipelines_too() {
    let Some(mut db) = philtre_tests::harness::open_postgres() else {
        return;
    };
    schema().create_all(&mut *db).expect("creates");
    philtre::connection::Connection::batch_execute(&mut *db, SEED).expect("seeds");
    let (url, name) = db
        .server()
        .map(|(u, s)| (u.to_owned(), s.to_owned()))
        .expect("server");
    let separator = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{separator}options=-c%20search_path%3D{name}");
    super::async_connections::run(async move {
        let engine: philtre_engine::AsyncEngine<philtre_postgres::AsyncPgConnection> =
            philtre_engine::EngineBuilder::new(&url).build_async()?;
        let mut conn = engine.connect().await?;
        assert!(
            conn.pipeline_lane().is_some(),
            "a pooled PostgreSQL connection has lanes"
        );
        let pets = children(pets::owner_id).order_by(pets::id);
        let clubs = many_to_many(club_members::owner_id, club_members::club_id).order_by(clubs::id);
        let rows = owners::table
            .order(owners::id)
            .select(Owner::as_select())
            .load_with::<Owner>(
                (pets.selectin::<Pet>(), clubs.selectin::<Club>()),
                &mut conn,
            )
            .await?;
        assert_eq!(
            names(rows[0].related(pets), |p| &p.name),
            ["rex", "tom", "kit"]
        );
        assert_eq!(names(rows[2].related(clubs), |c| &c.name), ["cats"]);
        assert!(!conn.is_broken());
        Ok(())
    });
    drop(db);
}
