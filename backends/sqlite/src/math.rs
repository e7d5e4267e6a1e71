//! The math functions SQLite's bundled build leaves out (it is compiled without
//! `SQLITE_ENABLE_MATH_FUNCTIONS`): `floor`, `ceil`, `sqrt`, `power`, `exp` and `ln`,
//! registered on every connection so that `philtre::expression::floor` and its kin run here as
//! on PostgreSQL and MySQL. Written in Rust with the same results as SQLite's own versions,
//! except that a value outside a function's domain (`ln(0)`, `sqrt(-1)`) is an error, as on
//! PostgreSQL, instead of a NULL that would read as a missing value.

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{Value, ValueRef};

type FnResult = rusqlite::Result<Value>;

/// Registers the functions on `conn`.
pub(crate) fn register(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("floor", 1, flags, |ctx| whole(ctx, "floor", f64::floor))?;
    conn.create_scalar_function("ceil", 1, flags, |ctx| whole(ctx, "ceil", f64::ceil))?;
    conn.create_scalar_function("ceiling", 1, flags, |ctx| whole(ctx, "ceiling", f64::ceil))?;
    conn.create_scalar_function("sqrt", 1, flags, |ctx| {
        real(ctx, "sqrt", |x| (x >= 0.0).then(|| x.sqrt()))
    })?;
    conn.create_scalar_function("exp", 1, flags, |ctx| real(ctx, "exp", |x| Some(x.exp())))?;
    conn.create_scalar_function("ln", 1, flags, |ctx| {
        real(ctx, "ln", |x| (x > 0.0).then(|| x.ln()))
    })?;
    for name in ["power", "pow"] {
        conn.create_scalar_function(name, 2, flags, move |ctx| {
            let (Some(base), Some(exponent)) = (number(ctx, 0, name)?, number(ctx, 1, name)?)
            else {
                return Ok(Value::Null);
            };
            finite(name, base.powf(exponent))
        })?;
    }
    Ok(())
}

/// Argument `index` as a number; `None` for NULL; an error for text or a blob.
fn number(ctx: &Context<'_>, index: usize, name: &str) -> rusqlite::Result<Option<f64>> {
    match ctx.get_raw(index) {
        ValueRef::Null => Ok(None),
        ValueRef::Integer(i) => Ok(Some(i as f64)),
        ValueRef::Real(r) => Ok(Some(r)),
        ValueRef::Text(_) | ValueRef::Blob(_) => Err(failure(format!(
            "{name}() needs a number, found text or a blob"
        ))),
    }
}

/// `floor` / `ceil`: an integer stays itself, a real is rounded and stays real.
fn whole(ctx: &Context<'_>, name: &str, round: fn(f64) -> f64) -> FnResult {
    match ctx.get_raw(0) {
        ValueRef::Integer(i) => Ok(Value::Integer(i)),
        _ => Ok(number(ctx, 0, name)?.map_or(Value::Null, |x| Value::Real(round(x)))),
    }
}

/// A one-argument function defined where `f` gives `Some`.
fn real(ctx: &Context<'_>, name: &str, f: fn(f64) -> Option<f64>) -> FnResult {
    let Some(x) = number(ctx, 0, name)? else {
        return Ok(Value::Null);
    };
    match f(x) {
        Some(result) => finite(name, result),
        None => Err(failure(format!("{name}({x}) is not defined"))),
    }
}

/// `result` unless it overflowed or is not a number.
fn finite(name: &str, result: f64) -> FnResult {
    if result.is_finite() {
        Ok(Value::Real(result))
    } else {
        Err(failure(format!(
            "{name}() gives {result}, which is not a finite number"
        )))
    }
}

fn failure(message: String) -> rusqlite::Error {
    rusqlite::Error::UserFunctionError(message.into())
}
