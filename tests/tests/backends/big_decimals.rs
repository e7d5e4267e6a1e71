//! `bigdecimal::BigDecimal` (feature `bigdecimal`) for NUMERIC: more digits than
//! `rust_decimal` holds, round-tripped exactly on every backend.

use std::str::FromStr;

use bigdecimal::BigDecimal;
use philtre::prelude::*;

philtre::table! {
    amounts (id) {
        id -> Integer,
        #[precision(50, 20)]
        value -> Numeric,
    }
}

fn big(text: &str) -> BigDecimal {
    BigDecimal::from_str(text).expect("a decimal")
}

fn kind<T>(r: QueryResult<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn big_decimals_round_trip_exactly(conn) {
    if DIALECT == philtre_tests::harness::Dialect::Sqlite {
        // SQLite's NUMERIC keeps 15 significant digits: longer values are refused, not cut.
        Schema::new().table(amounts::table).create_all(conn)?;
        let long = insert_into(amounts::table).values((amounts::id.eq(1), amounts::value.eq(big("1234567890.1234567890")))).execute(conn);
        assert_eq!(kind(long), Some(ErrorKind::Serialization));
        let long = insert_into(amounts::table).values((amounts::id.eq(1), amounts::value.eq(rust_decimal::Decimal::from_str("1234567890.1234567890").expect("a decimal")))).execute(conn);
        assert_eq!(kind(long), Some(ErrorKind::Serialization));
        for (id, text) in [(2, "12345.6789"), (3, "-0.0001"), (4, "1e20"), (5, "0.00000000000000000001")] {
            insert_into(amounts::table).values((amounts::id.eq(id), amounts::value.eq(big(text)))).execute(conn)?;
            let back: BigDecimal = amounts::table.find(id).select(amounts::value).first(conn)?;
            assert_eq!(back, big(text));
        }
        assert_eq!(amounts::table.count().get_result::<i64>(conn)?, 4);
        return Ok(());
    }
    Schema::new().table(amounts::table).create_all(conn)?;
    let values = [
        "0",
        "12345.6789",
        "-0.0001",
        "1000000",
        // 30 significant digits: beyond rust_decimal's 28, and beyond a REAL's 15.
        "123456789012345678901234567890.12345678901234567890",
        "-98765432109876543210.00000000000000000001",
        "0.00000000000000000001",
    ];
    for (i, text) in values.iter().enumerate() {
        let id = i32::try_from(i).expect("few");
        insert_into(amounts::table).values((amounts::id.eq(id), amounts::value.eq(big(text)))).execute(conn)?;
    }
    let read: Vec<BigDecimal> = amounts::table.select(amounts::value).order(amounts::id).load(conn)?;
    let wanted: Vec<BigDecimal> = values.iter().map(|t| big(t)).collect();
    assert_eq!(read, wanted);

    // Compared and summed in SQL.
    let above: Vec<i32> = amounts::table
        .filter(amounts::value.gt(big("1000")))
        .select(amounts::id)
        .order(amounts::id)
        .load(conn)?;
    assert_eq!(above, [1, 3, 4]);
    let exact: Vec<i32> = amounts::table
        .filter(amounts::value.eq(big("123456789012345678901234567890.12345678901234567890")))
        .select(amounts::id)
        .load(conn)?;
    assert_eq!(exact, [4]);
    Ok(())
}
}
