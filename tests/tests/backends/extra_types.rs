//! Types beyond the standard set: decimals, UUIDs, JSON (untyped and typed), instants with a
//! time zone on all three databases; arrays and JSONB on PostgreSQL; unsigned integers on MySQL.

use philtre::prelude::*;
use philtre_tests::harness::Dialect;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::macros::datetime;

philtre::table! {
    extras (id) {
        id -> Integer,
        amount -> Numeric,
        uid -> Uuid,
        doc -> Json,
        settings -> Nullable<Json>,
        at_tz -> Timestamptz,
    }
    pg_extras (id) {
        id -> Integer,
        docb -> Jsonb,
        tags -> Array<Text>,
        nums -> Array<Integer>,
    }
    unsigned_ints (id) {
        id -> Integer,
        small -> Unsigned<SmallInt>,
        mid -> Unsigned<Integer>,
        big -> Unsigned<BigInt>,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Settings {
    theme: String,
    size: u32,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[philtre(table = extras)]
struct Extra {
    id: i32,
    amount: Decimal,
    uid: uuid::Uuid,
    doc: serde_json::Value,
    settings: Option<philtre::Json<Settings>>,
    at_tz: time::OffsetDateTime,
}

fn extras_ddl(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => {
            "CREATE TABLE extras (id INTEGER PRIMARY KEY, amount TEXT NOT NULL, uid TEXT NOT NULL,
             doc TEXT NOT NULL, settings TEXT, at_tz TEXT NOT NULL)"
        }
        Dialect::Postgres => {
            "CREATE TABLE extras (id INTEGER PRIMARY KEY, amount NUMERIC(20, 6) NOT NULL, uid UUID NOT NULL,
             doc JSON NOT NULL, settings JSON, at_tz TIMESTAMPTZ NOT NULL)"
        }
        Dialect::Mysql => {
            "CREATE TABLE extras (id INTEGER PRIMARY KEY, amount DECIMAL(20, 6) NOT NULL, uid CHAR(36) NOT NULL,
             doc JSON NOT NULL, settings JSON, at_tz DATETIME(6) NOT NULL)"
        }
    }
}

fn sample(id: i32) -> Extra {
    Extra {
        id,
        amount: Decimal::new(1_234_567_891, 4),
        uid: uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef + id as u128),
        doc: serde_json::json!({"name": "ünïcode", "list": [1, 2, 3], "nested": {"ok": true}}),
        settings: (id % 2 == 1).then(|| {
            philtre::Json(Settings {
                theme: "dark".into(),
                size: 12,
            })
        }),
        at_tz: datetime!(2024-05-06 07:08:09.123456 +02:00),
    }
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn decimal_uuid_json_and_instants_round_trip(conn) {
    conn.batch_execute(extras_ddl(DIALECT))?;
    let rows = vec![sample(1), sample(2)];
    insert_into(extras::table).values(&rows).execute(conn)?;
    let back: Vec<Extra> = extras::table.select(Extra::as_select()).order(extras::id).load(conn)?;
    assert_eq!(back, rows);
    let by_uuid: i32 = extras::table.select(extras::id).filter(extras::uid.eq(rows[1].uid)).first(conn)?;
    assert_eq!(by_uuid, 2);
    let big: Vec<i32> = extras::table.select(extras::id).filter(extras::amount.gt(Decimal::new(123_456, 3))).load(conn)?;
    assert_eq!(big.len(), 2);
    let later: i64 = extras::table.filter(extras::at_tz.lt(datetime!(2024-05-06 05:08:10 UTC))).count().get_result(conn)?;
    assert_eq!(later, 2, "07:08:09+02:00 is before 05:08:10 UTC");
    let typed: Option<philtre::Json<Settings>> = extras::table.find(1).select(extras::settings).first(conn)?;
    assert_eq!(typed.map(|j| j.0.theme), Some("dark".to_owned()));
    Ok(())
}
}

mod postgres_only {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [postgres];

    fn arrays_and_jsonb(conn) {
        conn.batch_execute(
            "CREATE TABLE pg_extras (id INTEGER PRIMARY KEY, docb JSONB NOT NULL, tags TEXT[] NOT NULL, nums INTEGER[] NOT NULL)",
        )?;
        insert_into(pg_extras::table)
            .values((
                pg_extras::id.eq(1),
                pg_extras::docb.eq(serde_json::json!({"b": 1, "a": [true, null]})),
                pg_extras::tags.eq(vec!["x".to_owned(), "y z".to_owned()]),
                pg_extras::nums.eq(vec![3, 1, 2]),
            ))
            .execute(conn)?;
        let row: (serde_json::Value, Vec<String>, Vec<i32>) =
            pg_extras::table.select((pg_extras::docb, pg_extras::tags, pg_extras::nums)).first(conn)?;
        assert_eq!(row.0["a"][0], serde_json::json!(true));
        assert_eq!(row.1, ["x", "y z"]);
        assert_eq!(row.2, [3, 1, 2]);
        let empty: Vec<i32> = vec![];
        update(pg_extras::table).set(pg_extras::nums.eq(empty)).execute(conn)?;
        let nums: Vec<i32> = pg_extras::table.select(pg_extras::nums).first(conn)?;
        assert!(nums.is_empty());
        Ok(())
    }
    }
}

mod mysql_only {
    use super::*;

    philtre_tests::backend_tests! {
    backends: [mysql];

    fn unsigned_integers_use_their_whole_range(conn) {
        conn.batch_execute(
            "CREATE TABLE unsigned_ints (id INTEGER PRIMARY KEY, small SMALLINT UNSIGNED NOT NULL,
             mid INT UNSIGNED NOT NULL, big BIGINT UNSIGNED NOT NULL)",
        )?;
        insert_into(unsigned_ints::table)
            .values((
                unsigned_ints::id.eq(1),
                unsigned_ints::small.eq(u16::MAX),
                unsigned_ints::mid.eq(u32::MAX),
                unsigned_ints::big.eq(u64::MAX),
            ))
            .execute(conn)?;
        let row: (u16, u32, u64) =
            unsigned_ints::table.select((unsigned_ints::small, unsigned_ints::mid, unsigned_ints::big)).first(conn)?;
        assert_eq!(row, (u16::MAX, u32::MAX, u64::MAX));
        let n: i64 = unsigned_ints::table.filter(unsigned_ints::big.gt(u64::MAX - 1)).count().get_result(conn)?;
        assert_eq!(n, 1);
        Ok(())
    }
    }
}
