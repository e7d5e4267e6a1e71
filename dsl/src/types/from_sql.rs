use crate::backend::Backend;
use crate::error::{Error, QueryResult};

use super::{self as types, Nullable, NullableRow, SqlType};

/// Marker: Rust type `Self` holds values of SQL type `ST` on every backend.
///
/// The derives check each field against its column with this trait, so a mismatch is reported
/// at the field, before any backend is chosen.
#[diagnostic::on_unimplemented(
    message = "a Rust `{Self}` cannot hold values of SQL type `{ST}`",
    label = "this type does not match the column's SQL type `{ST}`",
    note = "a column that can be NULL (`Nullable<_>`) must be read into an `Option<_>`"
)]
pub trait HoldsSqlType<ST> {}

/// Converts one non-NULL value from the database into a Rust value.
#[diagnostic::on_unimplemented(
    message = "a Rust `{Self}` cannot be read from SQL type `{ST}`",
    label = "cannot read `{ST}` into this type",
    note = "a column that can be NULL (`Nullable<_>`) must be read into an `Option<_>`"
)]
pub trait FromSql<ST, DB: Backend>: Sized {
    /// Converts a non-NULL value.
    fn from_sql(value: DB::RawValue<'_>) -> Result<Self, Box<dyn std::error::Error + Send + Sync>>;

    /// What SQL NULL becomes. Only `Option` accepts it.
    fn from_null() -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Err("unexpected NULL; read nullable columns into an `Option`".into())
    }
}

impl<T, ST, DB> FromSql<Nullable<ST>, DB> for Option<T>
where
    T: FromSql<ST, DB>,
    DB: Backend,
{
    #[inline]
    fn from_sql(value: DB::RawValue<'_>) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        T::from_sql(value).map(Some)
    }

    #[inline]
    fn from_null() -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(None)
    }
}

impl<T, ST> HoldsSqlType<Nullable<ST>> for Option<T> where T: HoldsSqlType<ST> {}

/// A NUMERIC read as `f64` when you ask for it (`avg` of integers is NUMERIC): the nearest
/// double, as for any decimal fraction. A whole number beyond 2^53, which no double holds, is an
/// error rather than a rounded number.
impl HoldsSqlType<super::Numeric> for f64 {}

/// Reads a NUMERIC's decimal text as the nearest `f64` (see [`HoldsSqlType`] for `f64`); the
/// backends call it for their NUMERIC values.
pub fn f64_from_decimal_text(text: &str) -> Result<f64, Box<dyn std::error::Error + Send + Sync>> {
    let value: f64 = text.parse().map_err(|e| {
        format!(
            "{} is not a number: {e}",
            crate::error::sql_for_message(text)
        )
    })?;
    if !text.contains(['.', 'e', 'E']) {
        let exact = text
            .parse::<i128>()
            .is_ok_and(|whole| value as i128 == whole);
        if !exact {
            return Err(format!("{text} has no exact 64-bit float").into());
        }
    }
    Ok(value)
}

/// Reads column `index` of `row` as SQL type `ST` into `T`, naming the column on failure.
// Always inlined: a row reader calls it once per column, and the call would cost as much as
// the read.
#[inline(always)]
pub fn read_column<T, ST, DB>(row: &DB::Row<'_>, index: usize) -> QueryResult<T>
where
    T: FromSql<ST, DB>,
    DB: Backend,
{
    let value = match DB::column_value(row, index)? {
        Some(raw) => T::from_sql(raw),
        None => T::from_null(),
    };
    match value {
        Ok(value) => Ok(value),
        Err(cause) => Err(column_error::<DB>(row, index, &*cause)),
    }
}

/// Builds the error of a column that could not be read; out of line, so that the read itself
/// stays small enough to inline.
#[cold]
#[inline(never)]
fn column_error<DB: Backend>(
    row: &DB::Row<'_>,
    index: usize,
    cause: &(dyn std::error::Error + Send + Sync),
) -> Error {
    Error::deserialization(&DB::column_name(row, index), cause)
}

/// Builds a Rust value from a result row whose columns have SQL types `ST`.
///
/// Implemented for single values, tuples (positional) and by `#[derive(Queryable)]` and
/// `#[derive(Selectable)]`.
#[diagnostic::on_unimplemented(
    message = "a row of SQL type `{ST}` cannot be read into `{Self}`",
    label = "the selection's columns do not match this Rust type",
    note = "each selected column needs a tuple element or field of a matching type, in order; a nullable column needs an `Option<_>`"
)]
pub trait FromSqlRow<ST, DB: Backend>: Sized {
    /// Reads columns starting at `*index`, advancing it past the columns used.
    fn from_row(row: &DB::Row<'_>, index: &mut usize) -> QueryResult<Self>;
}

/// A single column reads into any `T: FromSql` of its SQL type. One impl per SQL type (not one
/// blanket over all types) keeps derived impls for tuples and structs free of overlap.
macro_rules! single_value_rows {
    ($([$($g:ident),*] $st:ty;)*) => {$(
        #[diagnostic::do_not_recommend]
        impl<T, DB, $($g),*> FromSqlRow<$st, DB> for T
        where
            DB: super::ReadsValue<$st, T>,
        {
            #[inline]
            fn from_row(row: &DB::Row<'_>, index: &mut usize) -> QueryResult<Self> {
                let i = *index;
                *index += 1;
                DB::read_value(row, i)
            }
        }
    )*};
}

single_value_rows! {
    [] types::Bool;
    [] types::SmallInt;
    [] types::Integer;
    [] types::BigInt;
    [] types::Float;
    [] types::Double;
    [] types::Text;
    [] types::Binary;
    [] types::Date;
    [] types::Time;
    [] types::Timestamp;
    [] types::Numeric;
    [] types::Uuid;
    [] types::Json;
    [] types::Jsonb;
    [] types::Timestamptz;
    [] types::Interval;
    [] types::Inet;
    [ST] types::Array<ST>;
    [ST] types::Unsigned<ST>;
    [E] super::Enum<E>;
    [ST] Nullable<ST>;
}

macro_rules! tuple_rows {
    ($($T:ident $ST:ident $idx:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<$($T,)+ $($ST,)+ DB> FromSqlRow<($($ST,)+), DB> for ($($T,)+)
        where
            $($T: FromSqlRow<$ST, DB>,)+
            DB: Backend,
        {
            #[inline]
            fn from_row(row: &DB::Row<'_>, index: &mut usize) -> QueryResult<Self> {
                Ok(($($T::from_row(row, index)?,)+))
            }
        }
    };
}

crate::for_each_tuple!(tuple_rows);

/// Lets a Rust type be read as a whole row of SQL type `$st` (one column), for SQL types
/// declared outside philtre: `philtre::single_value_row!(Mood: MoodType);`.
///
/// Built-in SQL types have this already; a new SQL type needs it once per Rust type that
/// reads it.
#[macro_export]
macro_rules! single_value_row {
    ($rust:ty : $st:ty) => {
        impl<__DB: $crate::backend::Backend> $crate::types::FromSqlRow<$st, __DB> for $rust
        where
            $rust: $crate::types::FromSql<$st, __DB>,
        {
            #[inline]
            fn from_row(row: &__DB::Row<'_>, index: &mut usize) -> $crate::QueryResult<Self> {
                let i = *index;
                *index += 1;
                $crate::types::read_column::<$rust, $st, __DB>(row, i)
            }
        }
    };
}

/// How many columns a row of this SQL type spans.
pub trait SqlRowWidth {
    /// The number of columns.
    const WIDTH: usize;
    /// The position of a column that is never NULL in an existing row, if there is one: on
    /// the nullable side of an outer join, NULL there means the row is missing.
    const NOT_NULL_COLUMN: Option<usize>;
}

impl<ST: SqlType> SqlRowWidth for ST {
    const WIDTH: usize = 1;
    const NOT_NULL_COLUMN: Option<usize> = if <ST::Nullability as types::Nullability>::IS_NULLABLE {
        None
    } else {
        Some(0)
    };
}

impl<R: SqlRowWidth> SqlRowWidth for NullableRow<R> {
    const WIDTH: usize = R::WIDTH;
    const NOT_NULL_COLUMN: Option<usize> = None;
}

impl<T: crate::query::Selectable> SqlRowWidth for crate::query::SelectableRow<T> {
    const WIDTH: usize = T::COLUMNS;
    const NOT_NULL_COLUMN: Option<usize> = T::NOT_NULL_COLUMN;
}

/// The first `Some` of `columns` (each a part's `NOT_NULL_COLUMN` and width), offset by the
/// widths before it.
pub const fn first_not_null_column(columns: &[(Option<usize>, usize)]) -> Option<usize> {
    let mut offset = 0;
    let mut i = 0;
    while i < columns.len() {
        if let Some(column) = columns[i].0 {
            return Some(offset + column);
        }
        offset += columns[i].1;
        i += 1;
    }
    None
}

macro_rules! tuple_widths {
    ($($T:ident $ST:ident $idx:tt),+) => {
        impl<$($T: SqlRowWidth),+> SqlRowWidth for ($($T,)+) {
            const WIDTH: usize = 0 $(+ $T::WIDTH)+;
            const NOT_NULL_COLUMN: Option<usize> =
                first_not_null_column(&[$(($T::NOT_NULL_COLUMN, $T::WIDTH)),+]);
        }
    };
}

crate::for_each_tuple!(tuple_widths);

/// The nullable side of an outer join: `None` when all its columns are NULL.
#[diagnostic::do_not_recommend]
impl<T, R, DB> FromSqlRow<NullableRow<R>, DB> for Option<T>
where
    T: FromSqlRow<R, DB>,
    R: SqlRowWidth,
    DB: Backend,
{
    #[inline]
    fn from_row(row: &DB::Row<'_>, index: &mut usize) -> QueryResult<Self> {
        let start = *index;
        if let Some(column) = R::NOT_NULL_COLUMN {
            // A column that is never NULL in a row that exists decides alone.
            if DB::column_value(row, start + column)?.is_some() {
                return T::from_row(row, index).map(Some);
            }
            *index = start + R::WIDTH;
            return Ok(None);
        }
        for i in start..start + R::WIDTH {
            if DB::column_value(row, i)?.is_some() {
                return T::from_row(row, index).map(Some);
            }
        }
        *index = start + R::WIDTH;
        Ok(None)
    }
}
