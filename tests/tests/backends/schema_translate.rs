//! A schema translate map (SQLAlchemy's `schema_translate_map`): one declaration, a schema per
//! tenant; each connection writes its statements, the session's included, into the schema its
//! map names, and `Schema` creates and drops the tenants' tables.

use philtre::orm::{Registry, Session};
use philtre::prelude::*;
use philtre::schema::SchemaTranslateMap;
use philtre_tests::harness::Dialect;

philtre::table! {
    notes (id) {
        id -> Integer,
        #[max_length = 20]
        body -> Text,
    }
    note_tags (id) {
        id -> Integer,
        note_id -> Integer references notes(id),
    }
}

#[derive(Debug, Clone, PartialEq, Entity)]
#[philtre(table = notes)]
struct Note {
    id: i32,
    body: String,
}

const TENANTS: [&str; 2] = ["philtre_tenant_a", "philtre_tenant_b"];

fn prepare(dialect: Dialect, tenant: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("ATTACH DATABASE ':memory:' AS {tenant}"),
        Dialect::Postgres => {
            format!("DROP SCHEMA IF EXISTS {tenant} CASCADE; CREATE SCHEMA {tenant}")
        }
        Dialect::Mysql => format!("DROP DATABASE IF EXISTS {tenant}; CREATE DATABASE {tenant}"),
    }
}

fn tenant(name: &str) -> SchemaTranslateMap {
    SchemaTranslateMap::new().map(None, name)
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn each_tenant_gets_its_own_rows(conn) {
    let schema = Schema::new().table(notes::table).table(note_tags::table);
    for name in TENANTS {
        conn.batch_execute(&prepare(DIALECT, name))?;
        let ddl = schema.clone().schema_translate_map(tenant(name));
        assert!(ddl.create_sql::<Db>(false)?.iter().all(|s| s.contains(name)), "every statement names {name}");
        ddl.create_all(conn)?;
    }

    conn.set_schema_translate_map(Some(tenant(TENANTS[0])));
    insert_into(notes::table).values((notes::id.eq(1), notes::body.eq("a"))).execute(conn)?;
    insert_into(note_tags::table).values((note_tags::id.eq(1), note_tags::note_id.eq(1))).execute(conn)?;
    conn.set_schema_translate_map(Some(tenant(TENANTS[1])));
    insert_into(notes::table).values(vec![
        (notes::id.eq(1), notes::body.eq("b")),
        (notes::id.eq(2), notes::body.eq("b2")),
    ]).execute(conn)?;
    // The foreign key of tenant b points at tenant b's notes: note 3 is missing there.
    let orphan = insert_into(note_tags::table).values((note_tags::id.eq(1), note_tags::note_id.eq(3))).execute(conn);
    assert!(orphan.is_err(), "tenant b has no note 3");

    // The session writes through the map too.
    let registry = Registry::new(&schema);
    let mut session = Session::new(&registry, &mut *conn);
    session.add(Note { id: 3, body: "b3".into() })?;
    session.commit()?;
    drop(session);

    let count = |conn: &mut Conn| notes::table.count().get_result::<i64>(conn);
    assert_eq!(count(conn)?, 3);
    conn.set_schema_translate_map(Some(tenant(TENANTS[0])));
    assert_eq!(count(conn)?, 1);
    let body: String = notes::table.inner_join(note_tags::table).select(notes::body).first(conn)?;
    assert_eq!(body, "a");

    // The rows are where the map said, seen without it.
    conn.set_schema_translate_map(None);
    let raw = raw_rows(conn, &format!("SELECT count(*) FROM {}.notes", TENANTS[1]))?;
    assert_eq!(raw, [["3"]]);

    for name in TENANTS {
        schema.clone().schema_translate_map(tenant(name)).drop_all(conn)?;
        if DIALECT != Dialect::Sqlite {
            conn.batch_execute(&philtre::schema::ddl::drop_schema_sql::<Db>(name, false)?)?;
        }
    }
    Ok(())
}
}
