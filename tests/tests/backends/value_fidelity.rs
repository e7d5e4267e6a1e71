//! No value is stored or read back changed without an error: each value either round-trips
//! exactly or fails, on every backend.

use philtre::prelude::*;
use philtre_tests::harness::Dialect;

use rust_decimal::Decimal;
use time::{Date, Month, PrimitiveDateTime, Time};

philtre::table! {
    doubles (id) {
        id -> Integer,
        x -> Nullable<Double>,
    }
    days (id) {
        id -> Integer,
        day -> Date,
        at -> Timestamp,
    }
    numbers (id) {
        id -> Integer,
        x -> Numeric,
    }
}

fn date(year: i32) -> Date {
    Date::from_calendar_date(year, Month::March, 4).expect("a valid date")
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn nan_and_infinity_round_trip_or_fail(conn) {
    Schema::new().table(doubles::table).create_all(conn)?;
    for (id, value) in [(1, f64::NAN), (2, f64::INFINITY), (3, f64::NEG_INFINITY)] {
        let stored = insert_into(doubles::table)
            .values((doubles::id.eq(id), doubles::x.eq(Some(value))))
            .execute(conn);
        let back: Vec<Option<f64>> = doubles::table.select(doubles::x).filter(doubles::id.eq(id)).load(conn)?;
        match (stored, DIALECT) {
            (Ok(_), _) => {
                let back = back[0].expect("a number, not NULL");
                assert!(back == value || (back.is_nan() && value.is_nan()), "{value} came back as {back}");
            }
            // SQLite would keep NULL for NaN, MySQL has neither: refused, nothing stored.
            (Err(e), Dialect::Sqlite | Dialect::Mysql) => {
                assert!(back.is_empty(), "nothing stored for {value}: {e}");
            }
            (Err(e), Dialect::Postgres) => return Err(e),
        }
    }
    if DIALECT == Dialect::Sqlite {
        let err = insert_into(doubles::table)
            .values((doubles::id.eq(9), doubles::x.eq(Some(f64::NAN))))
            .execute(conn)
            .expect_err("SQLite cannot keep NaN");
        assert_eq!(err.kind(), ErrorKind::Serialization);
        assert!(err.to_string().contains("NaN"), "{err}");
    }
    Ok(())
}

fn dates_at_and_beyond_the_edges_round_trip_or_fail(conn) {
    Schema::new().table(days::table).create_all(conn)?;
    let noon = Time::from_hms_micro(12, 30, 15, 123_456).expect("a valid time");
    for (id, year) in [(1, 1), (2, 9999), (3, 0), (4, -1), (5, 1970)] {
        let day = date(year);
        let at = PrimitiveDateTime::new(day, noon);
        let stored = insert_into(days::table)
            .values((days::id.eq(id), days::day.eq(day), days::at.eq(at)))
            .execute(conn);
        let back: Vec<(Date, PrimitiveDateTime)> = days::table.select((days::day, days::at)).filter(days::id.eq(id)).load(conn)?;
        match stored {
            Ok(_) => assert_eq!(back, [(day, at)], "year {year}"),
            Err(e) => {
                assert_eq!(DIALECT, Dialect::Mysql, "only MySQL refuses year {year}: {e}");
                assert!(year < 1, "MySQL keeps years 1 to 9999: {e}");
                assert_eq!(e.kind(), ErrorKind::Serialization);
                assert!(back.is_empty(), "nothing stored (not 0000-00-00)");
            }
        }
    }
    Ok(())
}

fn decimals_beyond_rust_decimal_fail_instead_of_reading_as_zero(conn) {
    let column = match DIALECT {
        Dialect::Sqlite => "TEXT",
        Dialect::Postgres => "NUMERIC",
        Dialect::Mysql => "DECIMAL(65, 30)",
    };
    conn.batch_execute(&format!("CREATE TABLE numbers (id INTEGER PRIMARY KEY, x {column} NOT NULL)"))?;
    conn.batch_execute(
        "INSERT INTO numbers VALUES (1, '12.340'), (2, '-0.000000000000000000000000000001'), \
         (3, '0.000000000000000000000000000001'), (4, '0.1000000000000000000000000000000')",
    )?;
    let exact: Decimal = numbers::table.find(1).select(numbers::x).first(conn)?;
    assert_eq!(exact.to_string().trim_end_matches('0'), "12.34");
    let tenth: Decimal = numbers::table.find(4).select(numbers::x).first(conn)?;
    assert_eq!(tenth, Decimal::new(1, 1), "trailing zeros past 28 places carry no value");
    for id in [2, 3] {
        let err = numbers::table
            .find(id)
            .select(numbers::x)
            .first::<Decimal>(conn)
            .expect_err("1e-30 has no Decimal");
        assert_eq!(err.kind(), ErrorKind::Deserialization, "{err}");
        assert!(err.to_string().contains("0.000000000000000000000000000001"), "{err}");
    }
    Ok(())
}

fn sqlite_reals_read_as_decimals_only_when_exact(conn) {
    if DIALECT != Dialect::Sqlite {
        return Ok(());
    }
    conn.batch_execute("CREATE TABLE numbers (id INTEGER PRIMARY KEY, x REAL NOT NULL); INSERT INTO numbers VALUES (1, 0.25), (2, 1e-30)")?;
    let quarter: Decimal = numbers::table.find(1).select(numbers::x).first(conn)?;
    assert_eq!(quarter, Decimal::new(25, 2));
    let err = numbers::table.find(2).select(numbers::x).first::<Decimal>(conn).expect_err("1e-30");
    assert_eq!(err.kind(), ErrorKind::Deserialization);
    Ok(())
}
}
