//! Values travel to a driver and back without change, or with an error.

use philtre::prelude::*;
use philtre::types::{Bool, FromSqlRow, Integer, Nullable, SmallInt, Text};
use philtre_dialects::{Mssql, Oracle, Value, ValueRow, render};

philtre::table! {
    flags (id) {
        id -> Integer,
        on -> Bool,
        label -> Nullable<Text>,
        small -> SmallInt,
    }
}

fn row(values: Vec<Value>) -> ValueRow {
    ValueRow {
        names: (0..values.len()).map(|i| format!("c{i}")).collect(),
        values,
    }
}

#[test]
fn booleans_are_bound_as_one_and_zero() -> QueryResult<()> {
    let statement = render::<Oracle, _>(&insert_into(flags::table).values((
        flags::id.eq(1),
        flags::on.eq(true),
        flags::label.eq(None::<String>),
        flags::small.eq(2i16),
    )))?;
    assert_eq!(
        statement.binds,
        [Value::Int(1), Value::Int(1), Value::Null, Value::Int(2)]
    );
    let off = render::<Mssql, _>(&update(flags::table).set(flags::on.eq(false)))?;
    assert_eq!(off.sql, "UPDATE flags SET [on] = @P1");
    assert_eq!(off.binds, [Value::Int(0)]);
    Ok(())
}

#[test]
fn rows_read_back_into_rust_types() -> QueryResult<()> {
    let read = |values| {
        <(i32, bool, Option<String>, i16) as FromSqlRow<
            (Integer, Bool, Nullable<Text>, SmallInt),
            Oracle,
        >>::from_row(&row(values), &mut 0)
    };
    let ok = read(vec![
        Value::Int(7),
        Value::Int(1),
        Value::Null,
        Value::Int(-3),
    ])?;
    assert_eq!(ok, (7, true, None, -3));
    // Oracle's NUMBER may come back as a float: a whole one is an integer.
    let whole = read(vec![
        Value::Float(8.0),
        Value::Int(0),
        Value::Text("x".into()),
        Value::Int(1),
    ])?;
    assert_eq!(whole, (8, false, Some("x".into()), 1));
    Ok(())
}

#[test]
fn values_that_do_not_fit_are_errors() {
    let read_small = |value| {
        <i16 as FromSqlRow<SmallInt, Mssql>>::from_row(&row(vec![value]), &mut 0)
            .map_err(|e| e.to_string())
    };
    assert!(read_small(Value::Int(70_000)).is_err(), "out of range");
    assert!(read_small(Value::Float(1.5)).is_err(), "a fraction");
    assert!(read_small(Value::Text("1".into())).is_err(), "text");
    let read_bool = |value| <bool as FromSqlRow<Bool, Oracle>>::from_row(&row(vec![value]), &mut 0);
    assert!(read_bool(Value::Int(2)).is_err(), "2 is no boolean");
    let null = <i32 as FromSqlRow<Integer, Oracle>>::from_row(&row(vec![Value::Null]), &mut 0);
    assert!(null.is_err(), "NULL into a non-Option");
    let short = <(i32, i32) as FromSqlRow<(Integer, Integer), Oracle>>::from_row(
        &row(vec![Value::Int(1)]),
        &mut 0,
    );
    let message = short.expect_err("a row one column short").to_string();
    assert!(message.contains("fewer columns"), "{message}");
}

#[test]
fn a_nan_is_bound_as_it_is_and_shown() -> QueryResult<()> {
    philtre::table! { points (id) { id -> Integer, x -> Double, } }
    let statement = render::<Oracle, _>(
        &points::table
            .filter(points::x.gt(f64::NAN))
            .select(points::id),
    )?;
    assert!(matches!(statement.binds[0], Value::Float(f) if f.is_nan()));
    assert_eq!(statement.binds[0].debug(), "NaN");
    Ok(())
}

#[test]
fn distinct_with_an_offset_is_refused_before_2012() -> QueryResult<()> {
    use philtre_dialects::Mssql2008;
    let page = || {
        flags::table
            .select(flags::label)
            .distinct()
            .order(flags::label)
            .offset(5)
    };
    let error = render::<Mssql2008, _>(&page()).expect_err("ROW_NUMBER() would undo DISTINCT");
    assert_eq!(error.kind(), philtre::ErrorKind::InvalidQuery);
    assert!(error.to_string().contains("SELECT DISTINCT"), "{error}");
    // The 2012 form pages it; a LIMIT alone (TOP) is fine before 2012.
    render::<Mssql, _>(&page())?;
    render::<Mssql2008, _>(
        &flags::table
            .select(flags::label)
            .distinct()
            .order(flags::label)
            .limit(5),
    )?;
    Ok(())
}

mod upserts {
    use super::*;
    use philtre::query::excluded;
    use philtre_dialects::{Mssql, Oracle, render};

    philtre::table! {
        accounts (id) {
            id -> Integer,
            #[unique]
            email -> Text,
            name -> Text,
            visits -> Integer,
        }
    }

    #[test]
    fn an_upsert_is_a_merge() -> QueryResult<()> {
        let upsert = insert_into(accounts::table)
            .values((
                accounts::id.eq(1),
                accounts::email.eq("a@x"),
                accounts::name.eq("ann"),
                accounts::visits.eq(1),
            ))
            .on_conflict(accounts::email)
            .do_update()
            .set((
                accounts::name.eq(excluded(accounts::name)),
                accounts::visits.eq(accounts::visits + 1),
            ))
            .filter(accounts::visits.lt(100));
        let oracle = render::<Oracle, _>(&upsert)?;
        assert_eq!(
            oracle.sql,
            "MERGE INTO accounts USING (WITH excluded (id, email, name, visits) AS (SELECT :1, :2, :3, :4 FROM DUAL) \
             SELECT * FROM excluded) excluded ON (accounts.email = excluded.email) \
             WHEN MATCHED THEN UPDATE SET name = excluded.name, visits = (accounts.visits + :5) WHERE accounts.visits < :6 \
             WHEN NOT MATCHED THEN INSERT (id, email, name, visits) VALUES (excluded.id, excluded.email, excluded.name, excluded.visits)"
        );
        assert_eq!(
            oracle.binds,
            [
                Value::Int(1),
                Value::Text("a@x".into()),
                Value::Text("ann".into()),
                Value::Int(1),
                Value::Int(1),
                Value::Int(100)
            ]
        );
        let mssql = render::<Mssql, _>(&upsert)?;
        assert_eq!(
            mssql.sql,
            "MERGE INTO accounts USING (VALUES (@P1, @P2, @P3, @P4)) AS excluded (id, email, name, visits) \
             ON (accounts.email = excluded.email) \
             WHEN MATCHED AND accounts.visits < @P5 THEN UPDATE SET name = excluded.name, visits = (accounts.visits + @P6) \
             WHEN NOT MATCHED THEN INSERT (id, email, name, visits) VALUES (excluded.id, excluded.email, excluded.name, excluded.visits);"
        );
        // SQL Server's condition comes first in the text, so its value is bound first.
        assert_eq!(mssql.binds[4..], [Value::Int(100), Value::Int(1)]);
        Ok(())
    }

    #[test]
    fn do_nothing_merges_only_the_insert() -> QueryResult<()> {
        let rows = vec![
            (
                accounts::id.eq(1),
                accounts::email.eq("a@x"),
                accounts::name.eq("a"),
                accounts::visits.eq(0),
            ),
            (
                accounts::id.eq(2),
                accounts::email.eq("b@x"),
                accounts::name.eq("b"),
                accounts::visits.eq(0),
            ),
        ];
        let any = insert_into(accounts::table)
            .values(rows.clone())
            .on_conflict_do_nothing();
        assert_eq!(
            render::<Mssql, _>(&any)?.sql,
            "MERGE INTO accounts USING (VALUES (@P1, @P2, @P3, @P4), (@P5, @P6, @P7, @P8)) AS excluded (id, email, name, visits) \
             ON (accounts.id = excluded.id) \
             WHEN NOT MATCHED THEN INSERT (id, email, name, visits) VALUES (excluded.id, excluded.email, excluded.name, excluded.visits);"
        );
        let on_email = insert_into(accounts::table)
            .values(rows)
            .on_conflict(accounts::email)
            .do_nothing();
        assert_eq!(
            render::<Oracle, _>(&on_email)?.sql,
            "MERGE INTO accounts USING (WITH excluded (id, email, name, visits) AS (SELECT :1, :2, :3, :4 FROM DUAL \
             UNION ALL SELECT :5, :6, :7, :8 FROM DUAL) SELECT * FROM excluded) excluded ON (accounts.email = excluded.email) \
             WHEN NOT MATCHED THEN INSERT (id, email, name, visits) VALUES (excluded.id, excluded.email, excluded.name, excluded.visits)"
        );
        Ok(())
    }

    #[test]
    fn returning_from_a_merge() -> QueryResult<()> {
        let upsert = || {
            insert_into(accounts::table)
                .values((
                    accounts::id.eq(1),
                    accounts::email.eq("a@x"),
                    accounts::name.eq("a"),
                    accounts::visits.eq(0),
                ))
                .on_conflict(accounts::id)
                .do_update()
                .set(accounts::visits.eq(accounts::visits + 1))
                .returning(accounts::visits)
        };
        let mssql = render::<Mssql, _>(&upsert())?;
        assert!(
            mssql.sql.ends_with(" OUTPUT inserted.visits;"),
            "{}",
            mssql.sql
        );
        let error = render::<Oracle, _>(&upsert()).expect_err("Oracle's MERGE has no RETURNING");
        assert_eq!(error.kind(), philtre::ErrorKind::InvalidQuery);
        Ok(())
    }
}

#[test]
fn sql_server_row_locks_are_table_hints() -> QueryResult<()> {
    use philtre_dialects::Mssql;
    let locked = flags::table
        .select(flags::id)
        .filter(flags::on)
        .for_update()
        .no_wait();
    assert_eq!(
        render::<Mssql, _>(&locked)?.sql,
        "SELECT flags.id FROM flags WITH (UPDLOCK, ROWLOCK, NOWAIT) WHERE (flags.[on] = 1)"
    );
    // Oracle writes the clause at the end.
    assert_eq!(
        render::<Oracle, _>(&locked)?.sql,
        "SELECT flags.id FROM flags WHERE (flags.\"on\" = 1) FOR UPDATE NOWAIT"
    );
    Ok(())
}

mod functions {
    use philtre::expression::{
        date_add, date_part, date_trunc, days_between, greatest, least, position, seconds_between,
        string_agg,
    };
    use philtre::prelude::*;
    use philtre_dialects::{Mssql, Mssql2008, Oracle, Value, render};

    philtre::table! {
        events (id) {
            id -> Integer,
            kind -> Text,
            at -> Timestamp,
        }
    }

    #[test]
    fn functions_spelled_each_dialects_way() -> QueryResult<()> {
        let query = events::table.group_by(events::kind).select((
            events::kind,
            string_agg(events::kind, ", ").order_by(events::id),
        ));
        assert_eq!(
            render::<Oracle, _>(&query)?.sql,
            "SELECT events.kind, LISTAGG(events.kind, :1) WITHIN GROUP (ORDER BY events.id) FROM events GROUP BY events.kind"
        );
        assert_eq!(
            render::<Mssql, _>(&query)?.sql,
            "SELECT events.kind, STRING_AGG(events.kind, @P1) WITHIN GROUP (ORDER BY events.id) FROM events GROUP BY events.kind"
        );
        let later = events::table.select((
            date_add(events::at, 2, date_part::Day),
            date_add(events::at, 3, date_part::Month),
            position("x", events::kind),
        ));
        let oracle = render::<Oracle, _>(&later)?;
        assert_eq!(
            oracle.sql,
            "SELECT (events.at + NUMTODSINTERVAL(:1, 'DAY')), ADD_MONTHS(events.at, :2), instr(events.kind, :3) FROM events"
        );
        let mssql = render::<Mssql, _>(&later)?;
        assert_eq!(
            mssql.sql,
            "SELECT DATEADD(DAY, @P1, events.at), DATEADD(MONTH, @P2, events.at), CHARINDEX(@P3, events.kind) FROM events"
        );
        assert_eq!(
            mssql.binds,
            [Value::Int(2), Value::Int(3), Value::Text("x".into())]
        );
        Ok(())
    }

    philtre::table! {
        stays (id) {
            id -> Integer,
            arrived -> Date,
            left_on -> Date,
            checked_in -> Timestamp,
            checked_out -> Nullable<Timestamp>,
        }
    }

    #[test]
    fn dates_truncated_and_measured_each_dialects_way() -> QueryResult<()> {
        let query = stays::table.select((
            date_trunc(date_part::Month, stays::arrived),
            date_trunc(date_part::Hour, stays::checked_in),
            days_between(stays::arrived, stays::left_on),
            seconds_between(stays::checked_in, stays::checked_out),
        ));
        assert_eq!(
            render::<Oracle, _>(&query)?.sql,
            "SELECT TRUNC(stays.arrived, 'MM'), CAST(TRUNC(stays.checked_in, 'HH24') AS TIMESTAMP), \
             (TRUNC(stays.left_on) - TRUNC(stays.arrived)), \
             (EXTRACT(DAY FROM (stays.checked_out - stays.checked_in)) * 86400 \
             + EXTRACT(HOUR FROM (stays.checked_out - stays.checked_in)) * 3600 \
             + EXTRACT(MINUTE FROM (stays.checked_out - stays.checked_in)) * 60 \
             + EXTRACT(SECOND FROM (stays.checked_out - stays.checked_in))) FROM stays"
        );
        assert_eq!(
            render::<Mssql, _>(&query)?.sql,
            "SELECT CAST(DATEADD(MONTH, DATEDIFF(MONTH, 0, stays.arrived), 0) AS DATE), \
             CAST(DATEADD(HOUR, DATEDIFF(HOUR, 0, stays.checked_in), 0) AS DATETIME2), \
             DATEDIFF(DAY, stays.arrived, stays.left_on), \
             (CAST(DATEDIFF_BIG(MICROSECOND, stays.checked_in, stays.checked_out) AS FLOAT) / 1000000) FROM stays"
        );
        // No DATEDIFF_BIG before 2016: whole days, then the milliseconds left over.
        let seconds = stays::table.select(seconds_between(stays::checked_in, stays::checked_out));
        assert_eq!(
            render::<Mssql2008, _>(&seconds)?.sql,
            "SELECT (CAST(DATEDIFF(DAY, stays.checked_in, stays.checked_out) AS FLOAT) * 86400 \
             + CAST(DATEDIFF(MILLISECOND, DATEADD(DAY, DATEDIFF(DAY, stays.checked_in, stays.checked_out), \
             stays.checked_in), stays.checked_out) AS FLOAT) / 1000) FROM stays"
        );
        // An operand written more than once is bound each time, in text order.
        let start = time::macros::datetime!(2026-01-02 03:04:05);
        let since = stays::table.select(seconds_between(stays::checked_in, start));
        let oracle = render::<Oracle, _>(&since)?;
        assert_eq!(oracle.binds, vec![Value::Timestamp(start); 4]);
        assert!(
            oracle
                .sql
                .contains("EXTRACT(SECOND FROM (:4 - stays.checked_in))")
        );
        Ok(())
    }

    #[test]
    fn greatest_and_least_skip_nulls_on_both() -> QueryResult<()> {
        let query = stays::table
            .select((
                greatest(stays::checked_in, stays::checked_out),
                least(stays::arrived, stays::left_on),
            ))
            .filter(greatest(stays::id, 3).gt(4));
        // No GREATEST before SQL Server 2022: a CASE that skips a NULL as PostgreSQL does.
        let mssql = render::<Mssql, _>(&query)?;
        assert_eq!(
            mssql.sql,
            "SELECT CASE WHEN stays.checked_out IS NULL OR stays.checked_in >= stays.checked_out \
             THEN stays.checked_in ELSE stays.checked_out END, \
             CASE WHEN stays.left_on IS NULL OR stays.arrived <= stays.left_on \
             THEN stays.arrived ELSE stays.left_on END \
             FROM stays WHERE CASE WHEN @P1 IS NULL OR stays.id >= @P2 THEN stays.id ELSE @P3 END > @P4"
        );
        assert_eq!(
            mssql.binds,
            [Value::Int(3), Value::Int(3), Value::Int(3), Value::Int(4)]
        );
        // A condition among the operands is written as a value.
        let flags = stays::table.select(greatest(stays::id.gt(1), stays::id.lt(9)));
        assert_eq!(
            render::<Mssql, _>(&flags)?.sql,
            "SELECT CASE WHEN CASE WHEN stays.id < @P1 THEN 1 ELSE 0 END IS NULL \
             OR CASE WHEN stays.id > @P2 THEN 1 ELSE 0 END >= CASE WHEN stays.id < @P3 THEN 1 ELSE 0 END \
             THEN CASE WHEN stays.id > @P4 THEN 1 ELSE 0 END ELSE CASE WHEN stays.id < @P5 THEN 1 ELSE 0 END END \
             FROM stays"
        );
        // Oracle's GREATEST returns NULL for any NULL argument, as MySQL's does.
        assert_eq!(
            render::<Oracle, _>(&query)?.sql,
            "SELECT GREATEST(COALESCE(stays.checked_in, stays.checked_out), COALESCE(stays.checked_out, stays.checked_in)), \
             LEAST(COALESCE(stays.arrived, stays.left_on), COALESCE(stays.left_on, stays.arrived)) \
             FROM stays WHERE GREATEST(COALESCE(stays.id, :1), COALESCE(:2, stays.id)) > :3"
        );
        Ok(())
    }

    philtre::table! {
        visits (id) {
            id -> Integer,
            #[default = 0]
            pages -> Integer,
        }
        totals (id) {
            #[generated = "pages * 2"]
            doubled -> Integer,
            id -> Integer,
            #[default = 0]
            pages -> Integer,
        }
    }

    #[test]
    fn an_insert_of_defaults_names_a_column_on_oracle() -> QueryResult<()> {
        let insert = insert_into(visits::table).default_values();
        // Oracle has no DEFAULT VALUES.
        assert_eq!(
            render::<Oracle, _>(&insert)?.sql,
            "INSERT INTO visits (id) VALUES (DEFAULT)"
        );
        assert_eq!(
            render::<Mssql, _>(&insert)?.sql,
            "INSERT INTO visits DEFAULT VALUES"
        );
        // A generated column takes no value, not even DEFAULT.
        assert_eq!(
            render::<Oracle, _>(&insert_into(totals::table).default_values())?.sql,
            "INSERT INTO totals (id) VALUES (DEFAULT)"
        );
        Ok(())
    }
}

mod sql_server_spellings {
    use philtre::error::ErrorKind;
    use philtre::expression::{
        avg, ceil, char_length, ln, lpad, nth_value, round, round_to, row_number, rpad, substr,
        sum, trim, window,
    };
    use philtre::prelude::*;
    use philtre_dialects::{Mssql, Oracle, render};

    philtre::table! {
        readings (id) {
            id -> Integer,
            x -> Double,
            s -> Text,
            n -> Numeric,
        }
    }

    #[test]
    fn scalar_functions_take_sql_servers_names() -> QueryResult<()> {
        let query = readings::table.select((
            (ceil(readings::x), ln(readings::x), round(readings::x)),
            (
                trim(readings::s),
                substr(readings::s, 2, 3),
                char_length(readings::s),
            ),
            round_to(readings::n, 2),
        ));
        assert_eq!(
            render::<Mssql, _>(&query)?.sql,
            "SELECT CEILING(readings.x), LOG(readings.x), ROUND(readings.x, 0), \
             LTRIM(RTRIM(readings.s)), SUBSTRING(readings.s, @P1, @P2), (LEN(readings.s + 'x') - 1), \
             ROUND(readings.n, @P3) FROM readings"
        );
        assert_eq!(
            render::<Oracle, _>(&query)?.sql,
            "SELECT CEIL(readings.x), LN(readings.x), ROUND(readings.x), \
             TRIM(readings.s), SUBSTR(readings.s, :1, :2), LENGTH(readings.s), \
             ROUND(readings.n, :3) FROM readings"
        );
        Ok(())
    }

    #[test]
    fn padding_without_lpad_counts_trailing_spaces() -> QueryResult<()> {
        let query = readings::table.select((lpad(readings::s, 5, "0"), rpad(readings::s, 5, ".")));
        let mssql = render::<Mssql, _>(&query)?;
        assert_eq!(
            mssql.sql,
            "SELECT CASE WHEN LEN(readings.s + 'x') - 1 >= @P1 THEN LEFT(readings.s, @P2) \
             ELSE LEFT(REPLICATE(@P3, @P4), @P5 - (LEN(readings.s + 'x') - 1)) + readings.s END, \
             CASE WHEN LEN(readings.s + 'x') - 1 >= @P6 THEN LEFT(readings.s, @P7) \
             ELSE readings.s + LEFT(REPLICATE(@P8, @P9), @P10 - (LEN(readings.s + 'x') - 1)) END \
             FROM readings"
        );
        assert_eq!(mssql.binds.len(), 10);
        assert_eq!(
            render::<Oracle, _>(&query)?.sql,
            "SELECT LPAD(readings.s, :1, :2), RPAD(readings.s, :3, :4) FROM readings"
        );
        Ok(())
    }

    #[test]
    fn sums_and_averages_of_integers_keep_their_range_and_fraction() -> QueryResult<()> {
        let query =
            readings::table.select((avg(readings::id), avg(readings::x), sum(readings::id)));
        assert_eq!(
            render::<Mssql, _>(&query)?.sql,
            "SELECT AVG(CAST(readings.id AS DECIMAL(19, 0))), AVG(readings.x), SUM(CAST(readings.id AS BIGINT)) FROM readings"
        );
        assert_eq!(
            render::<Oracle, _>(&query)?.sql,
            "SELECT AVG(readings.id), AVG(readings.x), SUM(readings.id) FROM readings"
        );
        let filtered = readings::table.select(avg(readings::id).filter(readings::x.gt(0.5)));
        assert_eq!(
            render::<Mssql, _>(&filtered)?.sql,
            "SELECT AVG(CASE WHEN readings.x > @P1 THEN CAST(readings.id AS DECIMAL(19, 0)) END) FROM readings"
        );
        Ok(())
    }

    #[test]
    fn integers_divide_as_integers_on_oracle() -> QueryResult<()> {
        let query = readings::table.select((readings::id / 2, readings::x / 2.0));
        assert_eq!(
            render::<Oracle, _>(&query)?.sql,
            "SELECT TRUNC(readings.id / :1), (readings.x / :2) FROM readings"
        );
        assert_eq!(
            render::<Mssql, _>(&query)?.sql,
            "SELECT (readings.id / @P1), (readings.x / @P2) FROM readings"
        );
        Ok(())
    }

    #[test]
    fn nth_value_is_refused_on_sql_server() -> QueryResult<()> {
        let query = readings::table.select((
            readings::id,
            nth_value(readings::x, 2).over(window().order_by(readings::id)),
        ));
        let Err(error) = render::<Mssql, _>(&query) else {
            panic!("nth_value rendered for SQL Server");
        };
        assert_eq!(error.kind(), ErrorKind::InvalidQuery);
        assert!(error.to_string().contains("row_number()"), "{error}");
        assert!(
            render::<Oracle, _>(&query)?
                .sql
                .contains("nth_value(readings.x, 2) OVER")
        );
        let numbered = readings::table.select(row_number().over(window().order_by(readings::id)));
        assert!(render::<Mssql, _>(&numbered).is_ok());
        Ok(())
    }
}
