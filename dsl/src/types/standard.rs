//! One bound for code generic over the backend. Queries ask the backend for each conversion
//! (`DB: BindsValue<Integer, i32>`, `DB: ReadsValue<Text, String>`) rather than the Rust type
//! (`i32: ToSql<Integer, DB>`): a bound on the backend can list many of those as supertraits,
//! and Rust then knows them all wherever the one bound holds — which a list of `ToSql` bounds on
//! other types cannot give. [`StandardBackend`] is that one bound for the standard types.

use crate::backend::Backend;
use crate::error::QueryResult;
use crate::expression::LiteralValue;

use super::{
    BigInt, Binary, Bool, Double, Float, FromSql, Integer, Nullable, SmallInt, Text, ToSql,
    read_column,
};

/// Backend `Self` sends a Rust `T` as a value of SQL type `ST`: every [`ToSql`] conversion,
/// seen from the backend. Implemented for you; implement [`ToSql`] for a type of your own.
#[diagnostic::on_unimplemented(
    message = "the `{Self}` backend cannot send a Rust `{T}` as SQL type `{ST}`",
    label = "no conversion to `{ST}`",
    note = "in code generic over the backend, `DB: StandardBackend` brings every standard type's conversions"
)]
pub trait BindsValue<ST, T: ?Sized>: Backend {
    /// See [`ToSql::to_sql`].
    fn bind_value(value: &T) -> QueryResult<Self::BindValue<'_>>;
    /// See [`ToSql::to_literal`].
    fn literal_value(value: &T) -> Option<LiteralValue>;
}

#[diagnostic::do_not_recommend]
impl<DB: Backend, ST, T: ToSql<ST, DB> + ?Sized> BindsValue<ST, T> for DB {
    #[inline]
    fn bind_value(value: &T) -> QueryResult<DB::BindValue<'_>> {
        value.to_sql()
    }
    #[inline]
    fn literal_value(value: &T) -> Option<LiteralValue> {
        value.to_literal()
    }
}

/// Backend `Self` reads a value of SQL type `ST` into a Rust `T`: every [`FromSql`]
/// conversion, seen from the backend. Implemented for you; implement [`FromSql`] for a type of
/// your own.
#[diagnostic::on_unimplemented(
    message = "the `{Self}` backend cannot read SQL type `{ST}` into a Rust `{T}`",
    label = "no conversion from `{ST}`",
    note = "in code generic over the backend, `DB: StandardBackend` brings every standard type's conversions"
)]
pub trait ReadsValue<ST, T>: Backend {
    /// Reads column `index` of `row`.
    fn read_value(row: &Self::Row<'_>, index: usize) -> QueryResult<T>;
}

#[diagnostic::do_not_recommend]
impl<DB: Backend, ST, T: FromSql<ST, DB>> ReadsValue<ST, T> for DB {
    #[inline]
    fn read_value(row: &DB::Row<'_>, index: usize) -> QueryResult<T> {
        read_column::<T, ST, DB>(row, index)
    }
}

/// Declares [`StandardBackend`] with the conversions of each `SQL type => Rust type` pair: the
/// value, a reference to it, and both as `Nullable` / `Option`, sent and read.
macro_rules! standard_backend {
    ($($st:ty => $rust:ty),* ; $($st_ref:ty => $rust_ref:ty),*) => {
        /// Every conversion of the standard types, as one bound: a function generic over the
        /// backend needs `DB: StandardBackend` (or `C: Connection<Backend: StandardBackend>`)
        /// and nothing else to bind and read `bool`, `i16`, `i32`, `i64`, `f32`, `f64`,
        /// `String` / `&str`, `Vec<u8>` / `&[u8]` and (feature `time`) `time::Date`, `Time`,
        /// `PrimitiveDateTime`, `OffsetDateTime`, their `Option`s and references. Implemented
        /// for every backend that has them all: SQLite, PostgreSQL and MySQL.
        ///
        /// ```
        /// use philtre::backend::StandardBackend;
        /// use philtre::connection::Connection;
        /// use philtre::prelude::*;
        /// # philtre::table! { users (id) { id -> Integer, name -> Text, email -> Nullable<Text>, } }
        ///
        /// fn names_like<C>(conn: &mut C, pattern: &str) -> QueryResult<Vec<(i32, String)>>
        /// where
        ///     C: Connection<Backend: StandardBackend>,
        /// {
        ///     users::table
        ///         .filter(users::name.like(pattern).and(users::email.is_not_null()))
        ///         .order(users::id)
        ///         .select((users::id, users::name))
        ///         .load(conn)
        /// }
        /// ```
        #[diagnostic::on_unimplemented(
            message = "the `{Self}` backend does not convert every standard type",
            label = "not a standard backend",
            note = "SQLite, PostgreSQL and MySQL convert them all"
        )]
        pub trait StandardBackend:
            Backend
            $(
                + BindsValue<$st, $rust>
                + for<'a> BindsValue<$st, &'a $rust>
                + BindsValue<Nullable<$st>, Option<$rust>>
                + for<'a> BindsValue<Nullable<$st>, &'a Option<$rust>>
                + ReadsValue<$st, $rust>
                + ReadsValue<Nullable<$st>, Option<$rust>>
            )*
            $(
                + for<'a> BindsValue<$st_ref, &'a $rust_ref>
                + for<'a> BindsValue<Nullable<$st_ref>, Option<&'a $rust_ref>>
            )*
        {
        }

        impl<DB> StandardBackend for DB
        where
            DB: Backend
            $(
                + BindsValue<$st, $rust>
                + for<'a> BindsValue<$st, &'a $rust>
                + BindsValue<Nullable<$st>, Option<$rust>>
                + for<'a> BindsValue<Nullable<$st>, &'a Option<$rust>>
                + ReadsValue<$st, $rust>
                + ReadsValue<Nullable<$st>, Option<$rust>>
            )*
            $(
                + for<'a> BindsValue<$st_ref, &'a $rust_ref>
                + for<'a> BindsValue<Nullable<$st_ref>, Option<&'a $rust_ref>>
            )*
        {
        }
    };
}

#[cfg(not(feature = "time"))]
standard_backend! {
    Bool => bool, SmallInt => i16, Integer => i32, BigInt => i64, Float => f32,
    Double => f64, Text => String, Binary => Vec<u8>;
    Text => str, Binary => [u8]
}

#[cfg(feature = "time")]
standard_backend! {
    Bool => bool, SmallInt => i16, Integer => i32, BigInt => i64, Float => f32,
    Double => f64, Text => String, Binary => Vec<u8>,
    super::Date => time::Date, super::Time => time::Time,
    super::Timestamp => time::PrimitiveDateTime, super::Timestamptz => time::OffsetDateTime;
    Text => str, Binary => [u8]
}
