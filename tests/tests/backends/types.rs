use philtre::prelude::*;
use philtre_tests::*;
use time::macros::{date, datetime, time};

fn sample(id: i32, maybe: Option<i32>) -> AllTypes {
    AllTypes {
        id,
        flag: id % 2 == 0,
        small: -12,
        big: 9_000_000_000,
        real: 1.5,
        double: -2.25,
        kind: "naïve ünïcode ✓".into(),
        data: vec![0, 1, 2, 255],
        day: date!(2024 - 02 - 29),
        clock: time!(23:59:58.125),
        at: datetime!(1999-12-31 23:59:59.5),
        maybe,
    }
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn every_type_round_trips(conn) {
    let rows = [sample(1, Some(7)), sample(2, None)];
    insert_into(all_types::table)
        .values(&rows[..1])
        .execute(conn)?;
    insert_into(all_types::table)
        .values(&rows[1])
        .execute(conn)?;
    let back: Vec<AllTypes> = all_types::table
        .select(AllTypes::as_select())
        .order(all_types::id)
        .load(conn)?;
    assert_eq!(back, rows);
    let positional: Vec<AllTypes> = all_types::table.order(all_types::id).load(conn)?;
    assert_eq!(positional, rows, "Queryable reads all_columns in order");
    Ok(())
}

fn typed_comparisons_on_every_type(conn) {
    insert_into(all_types::table)
        .values(&sample(1, None))
        .execute(conn)?;
    let c = conn;
    let n = |q: QueryResult<i64>| q.expect("query runs");
    assert_eq!(
        n(all_types::table
            .filter(all_types::flag.eq(false))
            .count()
            .get_result(c)),
        1
    );
    assert_eq!(
        n(all_types::table
            .filter(all_types::small.lt(0i16))
            .count()
            .get_result(c)),
        1
    );
    assert_eq!(
        n(all_types::table
            .filter(all_types::big.gt(1i64))
            .count()
            .get_result(c)),
        1
    );
    assert_eq!(
        n(all_types::table
            .filter(all_types::double.lt(0.0))
            .count()
            .get_result(c)),
        1
    );
    assert_eq!(
        n(all_types::table
            .filter(all_types::day.eq(date!(2024 - 02 - 29)))
            .count()
            .get_result(c)),
        1
    );
    assert_eq!(
        n(all_types::table
            .filter(all_types::at.lt(datetime!(2000-01-01 0:00)))
            .count()
            .get_result(c)),
        1
    );
    assert_eq!(
        n(all_types::table
            .filter(all_types::data.eq(&[0u8, 1, 2, 255][..]))
            .count()
            .get_result(c)),
        1
    );
    assert_eq!(
        n(all_types::table
            .filter(all_types::maybe.is_null())
            .count()
            .get_result(c)),
        1
    );
    assert_eq!(
        n(all_types::table
            .filter(all_types::maybe.eq(Some(3)))
            .count()
            .get_result(c)),
        0
    );
    Ok(())
}

fn nullable_values_read_as_option(conn) {
    seed(conn)?;
    let emails: Vec<Option<String>> = users::table
        .select(users::email)
        .order(users::id)
        .load(conn)?;
    assert_eq!(emails, [None, Some("bob@x".into()), Some("cy@x".into())]);
    Ok(())
}
}
