//! The generic functions on every backend: numbers (`floor`, `ceil`, `round_to`, `sqrt`,
//! `power`, `exp`, `ln`, `random`, `greatest`, `least`), dates (`current_date`, `date_trunc`,
//! CAST to DATE), text aggregation (`string_agg`) and functions declared with
//! `sql_function!` — the same answers on SQLite, PostgreSQL and MariaDB.

use philtre::expression::{
    cast, ceil, char_length, current_date, current_time, current_timestamp, date_part, date_trunc,
    exp, floor, greatest, least, ln, power, random, round_to, second, sqrt, string_agg,
};
use philtre::prelude::*;
use philtre_tests::*;
use time::macros::{date, datetime, time};

/// Functions declared as a user declares one: no arguments, and an SQL name apart from the
/// Rust name.
mod declared {
    philtre::sql_function!(
        /// `UPPER(text)`, under another Rust name.
        #[sql_name = "UPPER"]
        fn shout(text: philtre::types::Text) -> philtre::types::Text
    );
    philtre::sql_function!(
        #[sql_name = "ABS"]
        /// `ABS(x)`: the attribute may come before the doc comment too.
        fn absolute(x: philtre::types::Integer) -> philtre::types::Integer
    );
    philtre::sql_function!(
        /// `PI()`, without arguments (PostgreSQL, MySQL; SQLite's bundled build has no `pi`).
        #[sql_name = "PI"]
        fn pi() -> philtre::types::Double
    );
}

fn row(id: i32, double: f64, maybe: Option<i32>, at: time::PrimitiveDateTime) -> AllTypes {
    AllTypes {
        id,
        flag: true,
        small: 1,
        big: 2,
        real: 1.5,
        double,
        kind: format!("k{id}"),
        data: vec![],
        day: at.date(),
        clock: at.time(),
        at,
        maybe,
    }
}

/// Three rows of `all_types` (a macro: the tests' connection type differs per backend).
macro_rules! insert_rows {
    ($conn:ident) => {
        insert_into(all_types::table)
            .values(
                &[
                    row(1, 2.5, Some(10), datetime!(2024-05-17 13:45:30.75)),
                    row(2, -2.5, None, datetime!(2023-12-31 23:59:59)),
                    row(3, 16.0, Some(-3), datetime!(2024-01-01 00:00:00)),
                ][..],
            )
            .execute($conn)?
    };
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn floor_ceil_and_rounding_to_places(conn) {
    insert_rows!(conn);
    let rows: Vec<(f64, f64, f64, f64)> = all_types::table
        .select((
            floor(all_types::double),
            ceil(all_types::double),
            round_to(all_types::double * 1.2345, 2),
            round_to(all_types::double * 1234.5, -2),
        ))
        .order(all_types::id)
        .load(conn)?;
    assert_eq!(rows[0], (2.0, 3.0, 3.09, 3100.0));
    assert_eq!(rows[1], (-3.0, -2.0, -3.09, -3100.0));
    assert_eq!(rows[2], (16.0, 16.0, 19.75, 19800.0));
    Ok(())
}

fn signs_positions_and_the_nth_value(conn) {
    insert_rows!(conn);
    let rows: Vec<(i32, Option<i32>, i32, i32, Option<i32>)> = all_types::table
        .select((
            philtre::functions::sign(all_types::double),
            philtre::functions::sign(all_types::maybe),
            philtre::functions::position("b", lit("abcb")),
            philtre::functions::position("z", lit("abc")),
            philtre::functions::nth_value(all_types::id, 2).over(window().order_by(all_types::id)),
        ))
        .order(all_types::id)
        .load(conn)?;
    let signs: Vec<i32> = rows.iter().map(|r| r.0).collect();
    assert_eq!(signs, [1, -1, 1]);
    assert!(rows.iter().all(|r| r.2 == 2 && r.3 == 0), "{rows:?}");
    let nth: Vec<Option<i32>> = rows.iter().map(|r| r.4).collect();
    assert_eq!(nth, [None, Some(2), Some(2)], "NULL while the frame has one row");
    Ok(())
}

fn padding_on_the_left_and_right(conn) {
    use philtre::functions::{lpad, rpad};
    insert_rows!(conn);
    let padded: (String, String, String, String, String) = all_types::table
        .find(1)
        .select((
            lpad(lit("7"), 3, "0"),
            rpad(lit("ab"), 5, "xy"),
            lpad(lit("hello"), 2, "*"),
            rpad(lit("hello"), 3, "*"),
            lpad(lit("ab"), 4, ""),
        ))
        .first(conn)?;
    assert_eq!(padded, ("007".into(), "abxyx".into(), "he".into(), "hel".into(), "ab".into()));
    Ok(())
}

fn square_roots_powers_and_logarithms(conn) {
    insert_rows!(conn);
    let (root, squared, e, zero, int_root): (f64, f64, f64, f64, f64) = all_types::table
        .find(3)
        .select((
            sqrt(all_types::double),
            power(all_types::double, 2.0),
            exp(lit(1.0)),
            ln(lit(1.0)),
            sqrt(all_types::small + 3),
        ))
        .get_result(conn)?;
    assert_eq!((root, squared, zero, int_root), (4.0, 256.0, 0.0, 2.0));
    assert!((e - std::f64::consts::E).abs() < 1e-12, "{e}");
    // An integer base and exponent give a Double.
    let cubed: f64 = all_types::table.find(1).select(power(philtre::expression::coalesce(all_types::maybe, 0), 3)).get_result(conn)?;
    assert_eq!(cubed, 1000.0);
    // Out of the domain: an error on PostgreSQL and SQLite, NULL on MariaDB — read into an
    // `f64`, an error everywhere; never a silent number.
    let negative = all_types::table.find(2).select(sqrt(all_types::double)).get_result::<f64>(conn);
    assert!(negative.is_err(), "{negative:?}");
    Ok(())
}

fn random_is_a_fraction_per_row(conn) {
    insert_rows!(conn);
    let draws: Vec<f64> = all_types::table.select(random()).load(conn)?;
    assert_eq!(draws.len(), 3);
    assert!(draws.iter().all(|x| (0.0..1.0).contains(x)), "{draws:?}");
    let picked: Vec<i32> = all_types::table.select(all_types::id).order(random()).limit(2).load(conn)?;
    assert_eq!(picked.len(), 2);
    Ok(())
}

fn greatest_and_least_skip_nulls_everywhere(conn) {
    insert_rows!(conn);
    let rows: Vec<(Option<i32>, Option<i32>, f64)> = all_types::table
        .select((
            greatest(all_types::maybe, 0),
            least(all_types::maybe, 0),
            greatest(all_types::double, cast::<Double, _>(all_types::real)),
        ))
        .order(all_types::id)
        .load(conn)?;
    // Row 2's `maybe` is NULL: skipped, as PostgreSQL does, on every backend.
    assert_eq!(rows, [(Some(10), Some(0), 2.5), (Some(0), Some(0), 1.5), (Some(0), Some(-3), 16.0)]);
    Ok(())
}

fn the_clock_functions_have_their_types(conn) {
    let (today, _now_time, stamp): (time::Date, time::Time, time::PrimitiveDateTime) =
        select((current_date(), current_time(), current_timestamp())).get_result(conn)?;
    // The session's zone (PostgreSQL, MariaDB) or UTC (SQLite): within a day of UTC's date.
    let utc = time::OffsetDateTime::now_utc().date();
    assert!((today - utc).whole_days().abs() <= 1, "{today} vs {utc}");
    assert!((stamp.date() - today).whole_days().abs() <= 1, "{stamp} vs {today}");
    Ok(())
}

fn dates_and_timestamps_truncate_to_a_unit(conn) {
    insert_rows!(conn);
    let rows: Vec<(time::PrimitiveDateTime, time::PrimitiveDateTime, time::PrimitiveDateTime, time::PrimitiveDateTime, time::PrimitiveDateTime)> =
        all_types::table
            .select((
                date_trunc(date_part::Year, all_types::at),
                date_trunc(date_part::Month, all_types::at),
                date_trunc(date_part::Day, all_types::at),
                date_trunc(date_part::Hour, all_types::at),
                date_trunc(date_part::Minute, all_types::at),
            ))
            .order(all_types::id)
            .load(conn)?;
    assert_eq!(
        rows[0],
        (
            datetime!(2024-01-01 00:00),
            datetime!(2024-05-01 00:00),
            datetime!(2024-05-17 00:00),
            datetime!(2024-05-17 13:00),
            datetime!(2024-05-17 13:45),
        )
    );
    // Whole seconds: 30.75 is 30 (PostgreSQL's EXTRACT has the fraction; it is cut off, not
    // rounded).
    let seconds: i32 = all_types::table.find(1).select(second(all_types::at)).get_result(conn)?;
    assert_eq!(seconds, 30);
    let days: Vec<(time::Date, time::Date)> = all_types::table
        .select((date_trunc(date_part::Month, all_types::day), date_trunc(date_part::Year, all_types::day)))
        .order(all_types::id)
        .load(conn)?;
    assert_eq!(days, [(date!(2024-05-01), date!(2024-01-01)), (date!(2023-12-01), date!(2023-01-01)), (date!(2024-01-01), date!(2024-01-01))]);
    // A truncated timestamp compares with stored ones: the row at exactly midnight on New
    // Year's Day is in its own year's range.
    let this_year: Vec<i32> = all_types::table
        .filter(all_types::at.ge(date_trunc(date_part::Year, all_types::at)))
        .filter(all_types::at.eq(datetime!(2024-01-01 00:00)))
        .select(all_types::id)
        .load(conn)?;
    assert_eq!(this_year, [3]);
    // Grouped by month, as a report does.
    let per_month: Vec<(time::PrimitiveDateTime, i64)> = all_types::table
        .group_by(date_trunc(date_part::Month, all_types::at))
        .select((philtre::prelude::grouped(date_trunc(date_part::Month, all_types::at)), count_star()))
        .order(philtre::prelude::grouped(date_trunc(date_part::Month, all_types::at)))
        .load(conn)?;
    assert_eq!(per_month.len(), 3);
    assert_eq!(per_month[0], (datetime!(2023-12-01 00:00), 1));
    Ok(())
}

fn cast_to_date_gives_a_date(conn) {
    insert_rows!(conn);
    // From a timestamp: its date. From text: the date it spells (SQLite's CAST would have
    // given the number 2024).
    let rows: Vec<(time::Date, time::Date)> = all_types::table
        .select((cast::<Date, _>(all_types::at), cast::<Date, _>(lit("2024-05-17"))))
        .order(all_types::id)
        .load(conn)?;
    assert_eq!(rows[0], (date!(2024-05-17), date!(2024-05-17)));
    assert_eq!(rows[1].0, date!(2023-12-31));
    let clock: time::Time = all_types::table.find(1).select(cast::<Time, _>(all_types::clock)).get_result(conn)?;
    assert_eq!(clock, time!(13:45:30.75));
    Ok(())
}

fn string_agg_joins_a_group_in_order(conn) {
    seed(conn)?;
    let joined: Vec<(i32, Option<String>)> = posts::table
        .group_by(posts::user_id)
        .select((posts::user_id, string_agg(posts::title, ", ").order_by(posts::title.desc())))
        .order(posts::user_id)
        .load(conn)?;
    assert_eq!(joined, [(1, Some("Hello, Again".into())), (2, Some("Bobs".into()))]);
    // A separator with quotes and a backslash is kept as written; NULLs are skipped; an
    // empty group is NULL.
    let body: Option<String> = posts::table
        .select(string_agg(posts::body, "'\\'").order_by(posts::id))
        .get_result(conn)?;
    assert_eq!(body.as_deref(), Some("more'\\'b"));
    let none: Option<String> = posts::table
        .filter(posts::id.gt(100))
        .select(string_agg(posts::title, ","))
        .get_result(conn)?;
    assert_eq!(none, None);
    Ok(())
}

fn string_agg_is_not_cut_short(conn) {
    // MySQL's GROUP_CONCAT stops at `group_concat_max_len` bytes (1,024 by default) with only a
    // warning; philtre's connections raise it.
    let titles: Vec<_> = (1..=400).map(|i| (posts::id.eq(i), posts::user_id.eq(1), posts::title.eq(format!("title number {i:04}")))).collect();
    seed(conn)?;
    conn.batch_execute("DELETE FROM posts")?;
    insert_into(posts::table).values(titles).execute(conn)?;
    let joined: Option<String> = posts::table
        .select(string_agg(posts::title, "|").order_by(posts::id))
        .get_result(conn)?;
    let joined = joined.expect("400 titles");
    assert_eq!(joined.len(), 400 * 17 + 399);
    assert!(joined.ends_with("title number 0400"));
    Ok(())
}

fn declared_functions_with_sql_names_and_no_arguments(conn) {
    seed(conn)?;
    let (shouted, absolute): (String, i32) = users::table
        .find(2)
        .select((declared::shout(users::name), declared::absolute(users::score - 5)))
        .get_result(conn)?;
    assert_eq!((shouted, absolute), ("BOB".into(), 4));
    let length: Vec<i32> = users::table.select(char_length(users::name)).order(users::id).load(conn)?;
    assert_eq!(length, [3, 3, 2]);
    if DIALECT != harness::Dialect::Sqlite {
        let pi: f64 = select(declared::pi()).get_result(conn)?;
        assert!((pi - std::f64::consts::PI).abs() < 1e-6, "{pi}");
    }
    Ok(())
}
}

mod arrays {
    use philtre::expression::array_agg;
    use philtre::prelude::*;
    use philtre_tests::*;

    philtre_tests::backend_tests! {
    backends: [postgres];

    fn array_agg_collects_a_group_with_its_nulls(conn) {
        seed(conn)?;
        let titles: Vec<(i32, Option<Vec<String>>)> = posts::table
            .group_by(posts::user_id)
            .select((posts::user_id, array_agg(posts::title).order_by(posts::title)))
            .order(posts::user_id)
            .load(conn)?;
        assert_eq!(titles, [(1, Some(vec!["Again".into(), "Hello".into()])), (2, Some(vec!["Bobs".into()]))]);
        // A nullable column's NULLs are kept, in order.
        let bodies: Option<Vec<Option<String>>> = posts::table
            .select(array_agg(posts::body).order_by(posts::id))
            .get_result(conn)?;
        assert_eq!(bodies, Some(vec![None, Some("more".into()), Some("b".into())]));
        Ok(())
    }
    }
}

#[test]
fn each_backend_spells_them_its_own_way() {
    let greater = all_types::table.select(greatest(all_types::maybe, 0));
    assert_eq!(
        debug_query::<philtre_sqlite::Sqlite, _>(&greater).sql(),
        "SELECT MAX(COALESCE(\"all types\".\"maybe\", ?), COALESCE(?, \"all types\".\"maybe\")) FROM \"all types\""
    );
    assert_eq!(
        debug_query::<philtre_postgres::Pg, _>(&greater).sql(),
        "SELECT GREATEST(\"all types\".\"maybe\", $1) FROM \"all types\""
    );
    let monthly = all_types::table.select(date_trunc(date_part::Month, all_types::at));
    assert_eq!(
        debug_query::<philtre_sqlite::Sqlite, _>(&monthly).sql(),
        "SELECT strftime('%Y-%m-01 00:00:00.000000', \"all types\".\"at\") FROM \"all types\""
    );
    assert_eq!(
        debug_query::<philtre_mysql::Mysql, _>(&monthly).sql(),
        "SELECT CAST(DATE_FORMAT(`all types`.`at`, '%Y-%m-01 00:00:00') AS DATETIME) FROM `all types`"
    );
    assert_eq!(
        debug_query::<philtre_postgres::Pg, _>(&monthly).sql(),
        "SELECT date_trunc('month', \"all types\".\"at\") FROM \"all types\""
    );
    let joined = posts::table.select(string_agg(posts::title, ", ").order_by(posts::id));
    assert_eq!(
        debug_query::<philtre_mysql::Mysql, _>(&joined).sql(),
        "SELECT GROUP_CONCAT(`posts`.`title` ORDER BY `posts`.`id` SEPARATOR 0x2c20) FROM `posts`"
    );
    assert_eq!(
        debug_query::<philtre_postgres::Pg, _>(&joined).sql(),
        "SELECT string_agg(\"posts\".\"title\", $1 ORDER BY \"posts\".\"id\") FROM \"posts\""
    );
    let rounded = all_types::table.select(round_to(all_types::double, 2));
    assert_eq!(
        debug_query::<philtre_postgres::Pg, _>(&rounded).sql(),
        "SELECT CAST(ROUND(CAST(\"all types\".\"double\" AS NUMERIC), $1) AS DOUBLE PRECISION) FROM \"all types\""
    );
    let day = all_types::table.select(cast::<Date, _>(all_types::at));
    assert_eq!(
        debug_query::<philtre_sqlite::Sqlite, _>(&day).sql(),
        "SELECT date(\"all types\".\"at\") FROM \"all types\""
    );
}
