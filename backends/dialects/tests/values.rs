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
