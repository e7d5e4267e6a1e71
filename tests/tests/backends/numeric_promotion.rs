//! Numeric promotion: integers, floats and decimals compared and combined without a cast, the
//! result typed as SQL types it; and stored only where no digit is lost.

use philtre::prelude::*;
use philtre::schema::Schema;
use rust_decimal::Decimal;

philtre::table! {
    measures (id) {
        id -> Integer,
        qty -> Integer,
        small -> SmallInt,
        big -> BigInt,
        ratio -> Float,
        price -> Double,
        #[precision(12, 2)]
        amount -> Numeric,
        maybe -> Nullable<Double>,
    }
}

fn seed_measures<C: Connection>(conn: &mut C) -> QueryResult<()>
where
    C::Backend: philtre::schema::SchemaDialect,
{
    Schema::new().table(measures::table).create_all(conn)?;
    conn.batch_execute(
        "INSERT INTO measures (id, qty, small, big, ratio, price, amount, maybe) VALUES
         (1, 2, 1, 10, 0.5, 1.25, 12.50, NULL),
         (2, 3, 2, 5000000000, 1.5, 2.5, 2.5, 4.0),
         (3, 5, 3, 7, 2.0, 10.0, 100.00, 1.5)",
    )
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn integers_compare_with_floats_and_decimals(conn) {
    seed_measures(conn)?;
    let ids = |rows: Vec<i32>| rows;
    // A float literal opposite an integer column, an integer literal opposite float and
    // decimal columns, and columns of different numeric types against each other.
    let above: Vec<i32> =
        measures::table.filter(measures::qty.gt(2.5)).order(measures::id).select(measures::id).load(conn)?;
    assert_eq!(ids(above), [2, 3]);
    let priced: Vec<i32> =
        measures::table.filter(measures::price.ge(2)).order(measures::id).select(measures::id).load(conn)?;
    assert_eq!(priced, [2, 3]);
    let cheaper: Vec<i32> = measures::table
        .filter(measures::price.lt(measures::qty))
        .order(measures::id)
        .select(measures::id)
        .load(conn)?;
    assert_eq!(cheaper, [1, 2]);
    // NUMERIC against a float and an integer: numerically, on SQLite too (12.50 > 2.5).
    let large: Vec<i32> =
        measures::table.filter(measures::amount.gt(2.5)).order(measures::id).select(measures::id).load(conn)?;
    assert_eq!(large, [1, 3]);
    let exact: Vec<i32> =
        measures::table.filter(measures::amount.eq(100)).select(measures::id).load(conn)?;
    assert_eq!(exact, [3]);
    let by_qty: Vec<i32> = measures::table
        .filter(measures::amount.gt(measures::qty))
        .order(measures::id)
        .select(measures::id)
        .load(conn)?;
    assert_eq!(by_qty, [1, 3]);
    // BETWEEN with float bounds on an integer; a nullable double against an integer column.
    let between: Vec<i32> = measures::table
        .filter(measures::qty.between(2.5, 5.5))
        .order(measures::id)
        .select(measures::id)
        .load(conn)?;
    assert_eq!(between, [2, 3]);
    let maybe: Vec<i32> =
        measures::table.filter(measures::maybe.gt(measures::small)).select(measures::id).load(conn)?;
    assert_eq!(maybe, [2]);
    // A Rust variable of another numeric kind, by value and by reference.
    let limit = 1.3_f64;
    let small: Vec<i32> = measures::table
        .filter(measures::small.gt(&limit))
        .order(measures::id)
        .select(measures::id)
        .load(conn)?;
    assert_eq!(small, [2, 3]);
    Ok(())
}

fn numeric_ordering_is_by_value(conn) {
    seed_measures(conn)?;
    let order: Vec<Decimal> =
        measures::table.order(measures::amount).select(measures::amount).load(conn)?;
    assert_eq!(order, [Decimal::new(25, 1), Decimal::new(1250, 2), Decimal::new(10000, 2)]);
    let most: Option<Decimal> = measures::table.select(max(measures::amount)).get_result(conn)?;
    assert_eq!(most, Some(Decimal::new(100, 0)));
    Ok(())
}

fn arithmetic_yields_the_wider_type(conn) {
    seed_measures(conn)?;
    // INTEGER * float literal → DOUBLE; INTEGER * NUMERIC → NUMERIC; SMALLINT + INTEGER →
    // INTEGER; INTEGER + BIGINT → BIGINT; REAL + INTEGER → DOUBLE.
    let rows: Vec<(f64, Decimal, i32, i64, f64, f64)> = measures::table
        .order(measures::id)
        .select((
            measures::qty * 1.5,
            measures::qty * measures::amount,
            measures::small + measures::qty,
            measures::qty + measures::big,
            measures::ratio + measures::qty,
            measures::price * measures::qty,
        ))
        .load(conn)?;
    assert_eq!(
        rows,
        [
            (3.0, Decimal::new(25, 0), 3, 12, 2.5, 2.5),
            (4.5, Decimal::new(75, 1), 5, 5_000_000_003, 4.5, 7.5),
            (7.5, Decimal::new(500, 0), 8, 12, 7.0, 50.0),
        ]
    );
    // Two integers divide as integers; with a float on either side, exactly.
    let halves: Vec<(i32, f64, f64)> = measures::table
        .order(measures::id)
        .select((measures::qty / 2, measures::qty / 2.0, measures::price / measures::qty))
        .load(conn)?;
    assert_eq!(halves, [(1, 1.0, 0.625), (1, 1.5, 2.5 / 3.0), (2, 2.5, 2.0)]);
    // A nullable float times an integer stays nullable.
    let maybe: Vec<Option<f64>> =
        measures::table.order(measures::id).select(measures::maybe * measures::qty).load(conn)?;
    assert_eq!(maybe, [None, Some(12.0), Some(7.5)]);
    Ok(())
}

fn numbers_widen_into_columns_that_hold_them_exactly(conn) {
    seed_measures(conn)?;
    // An integer value into NUMERIC and DOUBLE columns; an INTEGER column into a BIGINT one.
    let changed = update(measures::table.filter(measures::id.eq(1)))
        .set((
            measures::amount.eq(7),
            measures::price.eq(3),
            measures::big.eq(measures::qty),
            measures::maybe.eq(measures::ratio),
        ))
        .execute(conn)?;
    assert_eq!(changed, 1);
    let row: (Decimal, f64, i64, Option<f64>) = measures::table
        .filter(measures::id.eq(1))
        .select((measures::amount, measures::price, measures::big, measures::maybe))
        .get_result(conn)?;
    assert_eq!(row, (Decimal::new(7, 0), 3.0, 2, Some(0.5)));
    Ok(())
}

fn an_average_of_integers_reads_as_f64_when_asked(conn) {
    seed_measures(conn)?;
    // AVG of an INTEGER is NUMERIC (exact, as `Decimal`), or the nearest `f64` where asked.
    let (mean, exact): (Option<f64>, Option<Decimal>) =
        measures::table.select((avg(measures::qty), avg(measures::qty))).get_result(conn)?;
    let mean = mean.expect("three rows");
    // MySQL's AVG keeps 4 more decimal places than its argument (`div_precision_increment`).
    let precision = if DIALECT == philtre_tests::harness::Dialect::Mysql { 1e-4 } else { 1e-12 };
    assert!((mean - 10.0 / 3.0).abs() < precision, "{mean}");
    assert_eq!(exact.map(|d| d.round_dp(4)), Some(Decimal::new(33_333, 4)));
    // A NUMERIC column read as `f64`; a whole number no double holds is an error.
    let amounts: Vec<f64> = measures::table.order(measures::id).select(measures::amount).load(conn)?;
    assert_eq!(amounts, [12.5, 2.5, 100.0]);
    let too_big = select(philtre::expression::lit(Decimal::new(9_007_199_254_740_993, 0)))
        .get_result::<f64>(conn);
    let error = too_big.expect_err("2^53 + 1 has no double");
    assert!(error.to_string().contains("no exact 64-bit float"), "{error}");
    Ok(())
}
}
