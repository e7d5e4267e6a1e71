//! The session over async connections: the same unit of work as the blocking one (the same
//! code writes the statements), awaited — generated keys flowing to children, only changed
//! columns written, optimistic locking, a failed flush undone, a dropped session rolled back,
//! a session inside a spawned task on a pooled connection.

use philtre::async_prelude::*;
use philtre::orm::{AsyncSession, ObjectState, Registry};

use super::async_connections::{async_schema_tests, run};

philtre::table! {
    writers (id) {
        #[auto_increment]
        id -> Integer,
        #[max_length = 40]
        name -> Text,
    }
    essays (id) {
        #[auto_increment]
        id -> Integer,
        writer_id -> Integer references writers(id),
        #[max_length = 40]
        title -> Text,
        #[version]
        version -> Integer,
    }
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = writers)]
struct Writer {
    id: i32,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = essays)]
struct Essay {
    id: i32,
    writer_id: i32,
    title: String,
    version: i32,
}

fn schema() -> Schema {
    Schema::new().table(writers::table).table(essays::table)
}

fn essay(title: &str) -> Essay {
    Essay {
        id: 0,
        writer_id: 0,
        title: title.to_owned(),
        version: 1,
    }
}

async_schema_tests! {
    fn keys_flow_to_children_and_only_changed_columns_are_written(conn) {
        let registry = Registry::new(&schema());
        let mut session = AsyncSession::new(&registry, &mut *conn);
        let ann = session.add(Writer { id: 0, name: "Ann".into() })?;
        let first = session.add_child(ann, essays::writer_id, essay("First"))?;
        let second = session.add_child(ann, essays::writer_id, essay("Second"))?;
        session.commit().await?;
        let ann_id = session.get(ann)?.id;
        assert!(ann_id > 0, "the database made the key");
        assert_eq!(session.get(first)?.writer_id, ann_id);
        assert_eq!(session.get(second)?.writer_id, ann_id);
        assert_eq!(session.state(first)?, ObjectState::Persistent);

        // Identity map: no SQL, the same object.
        assert_eq!(session.find::<Writer>(ann_id).await?, Some(ann));
        session.get_mut(first)?.title = "First, revised".into();
        assert_eq!(session.modified_columns(first)?, ["title"]);
        session.commit().await?;
        assert_eq!(session.get(first)?.version, 2, "the version counter moved");
        drop(session);

        let titles: Vec<(String, i32)> = essays::table
            .select((essays::title, essays::version))
            .order(essays::id)
            .load(conn)
            .await?;
        assert_eq!(
            titles,
            [("First, revised".to_owned(), 2), ("Second".to_owned(), 1)]
        );

        // A new session loads through its identity map, and children along the foreign key.
        let mut session = AsyncSession::new(&registry, &mut *conn);
        let loaded = session
            .load(writers::table.filter(writers::name.eq("Ann")).select(Writer::as_select()))
            .await?;
        let children: Vec<Vec<philtre::orm::Key<Essay>>> =
            session.children(&loaded, essays::writer_id).await?;
        assert_eq!(children[0].len(), 2);
        let parents = session.parents(&children[0], essays::writer_id).await?;
        assert_eq!(parents, [Some(loaded[0]), Some(loaded[0])]);
        Ok(())
    }

    fn a_failed_flush_is_undone_in_the_database_and_the_session(conn) {
        let registry = Registry::new(&schema());
        let mut session = AsyncSession::new(&registry, &mut *conn);
        let bob = session.add(Writer { id: 0, name: "Bob".into() })?;
        session.commit().await?;
        let bob_id = session.get(bob)?.id;
        // A new writer with a taken key: the flush fails after its first INSERT.
        let cy = session.add(Writer { id: 0, name: "Cy".into() })?;
        session.add(Writer { id: bob_id, name: "Bob again".into() })
            .expect_err("the session already holds that key");
        session.add_child(cy, essays::writer_id, essay("Cy's"))?;
        session.get_mut(bob)?.name = "Robert".into();
        let orphan = session.add(Essay { writer_id: 999_999, ..essay("nobody's") })?;
        let failed = session.flush().await.expect_err("a foreign key fails");
        assert_eq!(failed.kind(), ErrorKind::ForeignKeyViolation, "{failed}");
        assert_eq!(session.state(cy)?, ObjectState::Pending, "still to insert");
        assert_eq!(session.get(cy)?.id, 0, "its generated key was taken back");
        session.expunge(orphan)?;
        session.commit().await?;
        drop(session);
        let names: Vec<String> = writers::table
            .select(writers::name)
            .order(writers::id)
            .load(conn)
            .await?;
        assert_eq!(names, ["Robert", "Cy"]);
        Ok(())
    }

    fn a_stale_version_is_refused(conn) {
        let registry = Registry::new(&schema());
        let mut session = AsyncSession::new(&registry, &mut *conn);
        let dee = session.add(Writer { id: 0, name: "Dee".into() })?;
        let piece = session.add_child(dee, essays::writer_id, essay("Piece"))?;
        session.commit().await?;
        let id = session.get(piece)?.id;
        // Someone else changes the row in between.
        session
            .connection()
            .await?
            .execute_query(
                &update(essays::table)
                    .set(essays::version.eq(5))
                    .filter(essays::id.eq(id)),
            )
            .await?;
        session.get_mut(piece)?.title = "Piece, mine".into();
        let refused = session.commit().await.expect_err("the version moved");
        assert_eq!(refused.kind(), ErrorKind::StaleData);
        Ok(())
    }

    fn a_session_dropped_without_commit_keeps_nothing(conn) {
        let registry = Registry::new(&schema());
        {
            let mut session = AsyncSession::new(&registry, &mut *conn);
            session.add(Writer { id: 0, name: "Gone".into() })?;
            session.flush().await?; // written, in the session's transaction
        } // dropped: the connection's next call rolls it back
        let names: Vec<String> = writers::table.select(writers::name).load(conn).await?;
        assert!(names.is_empty(), "{names:?}");
        assert_eq!(conn.transactions().depth(), 0);
        Ok(())
    }

    fn a_nested_transaction_rolls_back_only_its_work(conn) {
        let registry = Registry::new(&schema());
        let mut session = AsyncSession::new(&registry, &mut *conn);
        let eve = session.add(Writer { id: 0, name: "Eve".into() })?;
        let nested = session.begin_nested().await?;
        session.get_mut(eve)?.name = "Evelyn".into();
        let temp = session.add(Writer { id: 0, name: "Temp".into() })?;
        session.flush().await?;
        session.rollback_nested(nested).await?;
        assert_eq!(session.get(eve)?.name, "Eve", "its value at the savepoint");
        assert!(session.get(temp).is_err(), "added after the savepoint: gone");
        let kept = session.begin_nested().await?;
        session.add(Writer { id: 0, name: "Kept".into() })?;
        session.release_nested(kept).await?;
        session.commit().await?;
        drop(session);
        let names: Vec<String> = writers::table
            .select(writers::name)
            .order(writers::id)
            .load(conn)
            .await?;
        assert_eq!(names, ["Eve", "Kept"]);
        Ok(())
    }
}

/// A session in a spawned task on a pooled connection (the axum handler's shape).
#[test]
fn a_session_on_a_pooled_connection_in_a_spawned_task() {
    let Some(mut db) = philtre_tests::harness::open_postgres() else {
        return;
    };
    schema().create_all(&mut *db).expect("creates");
    let (url, name) = db
        .server()
        .map(|(u, s)| (u.to_owned(), s.to_owned()))
        .expect("server");
    let separator = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{separator}options=-c%20search_path%3D{name}");
    run(async move {
        let engine: philtre_engine::AsyncEngine<philtre_postgres::AsyncPgConnection> =
            philtre_engine::EngineBuilder::new(&url).build_async()?;
        let registry = Registry::new(&schema());
        let mut tasks = Vec::new();
        for i in 0..8 {
            let (engine, registry) = (engine.clone(), registry.clone());
            tasks.push(tokio::spawn(async move {
                let mut conn = engine.connect().await?;
                let mut session = AsyncSession::new(&registry, &mut conn);
                let w = session.add(Writer {
                    id: 0,
                    name: format!("w{i}"),
                })?;
                session.add_child(w, essays::writer_id, essay("e"))?;
                session.commit().await?;
                Ok::<_, philtre::Error>(session.get(w)?.id)
            }));
        }
        let mut ids = Vec::new();
        for task in tasks {
            ids.push(task.await.expect("no panic")?);
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 8);
        let mut conn = engine.connect().await?;
        let essays: i64 = essays::table.count().get_result(&mut conn).await?;
        assert_eq!(essays, 8);
        Ok(())
    });
}
