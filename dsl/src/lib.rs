//! # philtre
//!
//! A SQL toolkit whose queries are checked by the Rust compiler.
//!
//! Declare tables with [`table!`], build statements with typed methods, and run them on a
//! backend connection (`philtre_sqlite::SqliteConnection`, …). A query that names a column of
//! a table it does not select from, compares an `Integer` with text, or reads a nullable
//! column into a non-`Option` field does not compile, and the compiler says which SQL rule
//! it broke.
//!
//! ```
//! use philtre::prelude::*;
//!
//! philtre::table! {
//!     users (id) {
//!         id -> Integer,
//!         name -> Text,
//!         email -> Nullable<Text>,
//!     }
//! }
//!
//! let query = users::table
//!     .filter(users::name.like("A%").and(users::email.is_not_null()))
//!     .order(users::name.asc())
//!     .limit(10);
//! # let _ = query;
//! ```
//!
//! The book (`book/` in the repository) walks through everything; `ARCHITECTURE.md` explains
//! how a query flows from builder to SQL to rows.

/// Invokes `$m!` once per tuple arity from 1 to 12, with `type-param index-param position`
/// triples. Every trait implemented for tuples goes through here, so the maximum arity is one
/// number (rows wider than 12 nest; see `table!`).
macro_rules! for_each_tuple {
    ($m:ident) => {
        $m!(A IA 0);
        $m!(A IA 0, B IB 1);
        $m!(A IA 0, B IB 1, C IC 2);
        $m!(A IA 0, B IB 1, C IC 2, D ID 3);
        $m!(A IA 0, B IB 1, C IC 2, D ID 3, E IE 4);
        $m!(A IA 0, B IB 1, C IC 2, D ID 3, E IE 4, F IF 5);
        $m!(A IA 0, B IB 1, C IC 2, D ID 3, E IE 4, F IF 5, G IG 6);
        $m!(A IA 0, B IB 1, C IC 2, D ID 3, E IE 4, F IF 5, G IG 6, H IH 7);
        $m!(A IA 0, B IB 1, C IC 2, D ID 3, E IE 4, F IF 5, G IG 6, H IH 7, I II 8);
        $m!(A IA 0, B IB 1, C IC 2, D ID 3, E IE 4, F IF 5, G IG 6, H IH 7, I II 8, J IJ 9);
        $m!(A IA 0, B IB 1, C IC 2, D ID 3, E IE 4, F IF 5, G IG 6, H IH 7, I II 8, J IJ 9, K IK 10);
        $m!(A IA 0, B IB 1, C IC 2, D ID 3, E IE 4, F IF 5, G IG 6, H IH 7, I II 8, J IJ 9, K IK 10, L IL 11);
    };
}
pub(crate) use for_each_tuple;

pub mod backend;
pub mod connection;
pub mod error;
pub mod expression;
#[cfg(feature = "json")]
pub mod json;
pub mod orm;
pub mod query;
pub mod reflection;
pub mod schema;
pub mod types;

pub use error::{Error, ErrorKind, OptionalExtension, QueryResult};
#[cfg(feature = "json")]
pub use json::Json;
pub use philtre_macros::{
    AsChangeset, Entity, Identifiable, Insertable, Queryable, Selectable, SqlEnum, alias, table,
};
pub use query::{AsChangeset, Insertable, Selectable};

/// Identifies a row by its primary key: what `#[derive(Identifiable)]` implements.
pub trait Identifiable {
    /// The table the row comes from.
    type Table: schema::Table;
    /// The key's Rust type (a tuple for a composite key).
    type Id<'a>
    where
        Self: 'a;
    /// The row's primary key value.
    fn id(&self) -> Self::Id<'_>;
}

/// Every SQL function philtre knows, in one module — SQLAlchemy's `func`:
/// `use philtre::functions as func;`, then `func::lower(users::name)`, `func::string_agg(..)`.
/// The book's "Functions and operators" chapter lists each with its SQL on every backend.
/// (The most used ones are also in the [`prelude`].)
pub mod functions {
    pub use crate::expression::{
        abs, array_agg, array_all, array_any, avg, case_when, cast, ceil, char_length, coalesce,
        count, count_distinct, count_star, cume_dist, current_date, current_time,
        current_timestamp, date_add, date_part, date_trunc, day, days_between, dense_rank, exp,
        first_value, floor, greatest, hour, interval_between, lag, last_value, lead, least, length,
        lit, ln, lower, lpad, max, min, minute, month, now, nth_value, ntile, nullif, percent_rank,
        percentile_cont, percentile_disc, position, power, random, rank, replace, round, round_to,
        row_number, rpad, second, seconds_between, sign, sqrt, string_agg, substr, sum, trim,
        unnest, upper, year,
    };
    pub use crate::query::exists;
}

/// Everything a user needs: `use philtre::prelude::*;`.
pub mod prelude {
    pub use crate::backend::{IsolationLevel, StandardBackend};
    pub use crate::connection::Connection;
    pub use crate::error::{Error, ErrorKind, OptionalExtension, QueryResult};
    pub use crate::expression::{
        ExpressionMethods, FrameBound, OverDsl, avg, case_when, cast, coalesce, count,
        count_distinct, count_star, dense_rank, first_value, lag, lead, lit, max, min, not, nullif,
        rank, row_number, sql, sum, window,
    };
    pub use crate::query::{
        BoxedCondition, CombineDsl, DerivedTableDsl, JoinDsl, PrefixWith, QueryDsl, RunQueryDsl,
        WithDsl, WithHint, cte, cube, debug_query, delete, excluded, exists, grouped, grouping,
        grouping_sets, insert_into, recursive_cte, rollup, select, text, update,
    };
    pub use crate::schema::Schema;
    pub use crate::schema::Table as _;
    pub use crate::types::{
        Array, BigInt, Binary, Bool, Date, Double, Float, Inet, Integer, Interval, Jsonb, Nullable,
        Numeric, SmallInt, Text, Time, Timestamp, Timestamptz, Unsigned, Uuid,
    };
    pub use crate::{
        AsChangeset, Entity, Identifiable, Insertable, Queryable, Selectable, SqlEnum, alias,
    };
}

/// The prelude for async code: the same as [`prelude`], with [`query::AsyncRunQueryDsl`] and
/// [`connection::AsyncConnection`] in place of their blocking twins (whose methods have the
/// same names, so the two preludes are not used in one module).
pub mod async_prelude {
    pub use crate::backend::{IsolationLevel, StandardBackend};
    pub use crate::connection::{AsyncConnection, transaction_async};
    pub use crate::error::{Error, ErrorKind, OptionalExtension, QueryResult};
    pub use crate::expression::{
        ExpressionMethods, FrameBound, OverDsl, avg, case_when, cast, coalesce, count,
        count_distinct, count_star, dense_rank, first_value, lag, lead, lit, max, min, not, nullif,
        rank, row_number, sql, sum, window,
    };
    pub use crate::query::{
        AsyncRunQueryDsl, BoxedCondition, CombineDsl, DerivedTableDsl, JoinDsl, QueryDsl, WithDsl,
        cte, cube, debug_query, delete, excluded, exists, grouped, grouping, grouping_sets,
        insert_into, recursive_cte, rollup, select, text, update,
    };
    pub use crate::schema::Schema;
    pub use crate::schema::Table as _;
    pub use crate::types::{
        Array, BigInt, Binary, Bool, Date, Double, Float, Inet, Integer, Interval, Jsonb, Nullable,
        Numeric, SmallInt, Text, Time, Timestamp, Timestamptz, Unsigned, Uuid,
    };
    pub use crate::{
        AsChangeset, Entity, Identifiable, Insertable, Queryable, Selectable, SqlEnum, alias,
    };
}

#[doc(hidden)]
pub mod __private {
    //! Used by the code `table!` and the derives generate. Not public API.
    pub use crate::backend::{Backend, BindSink, SqlWriter};
    pub use crate::error::QueryResult;
    pub use crate::expression::And;
    pub use crate::expression::{
        AppearsIn, AsExpression, Binary, Bound, Expression, QueryFragment, SameSqlType,
    };
    pub use crate::expression::{Eq, Seen};
    pub use crate::orm::session::{integer_of, same_names, set_optional, set_plain};
    pub use crate::orm::{ForeignKey, ForeignKeyCondition, KeyColumns};
    pub use crate::query::{Alias, AliasName, FromClause, table_from_sql};
    pub use crate::query::{
        AmbiguousForeignKey, AsChangeset, Assignment, ColumnId, ColumnInScope, ColumnPosition,
        ForeignKeyTo, Insertable, KeyIdentity, Selectable, SelectableRow,
    };
    pub use crate::query::{CteDefinedHere, CtesDefined, DefinesCte};
    pub use crate::schema::digits;
    pub use crate::schema::{
        CheckDescription, Column, ColumnDefault, ColumnDescription, ColumnOf, ConflictResolution,
        Deferrable, ForeignKeyDescription, Generated, IndexDescription, NamedSource,
        ReferentialAction, SqliteOnConflict, Table, TableDescription, TableInFrom, WritableColumn,
    };
    pub use crate::types::{
        FromSql, FromSqlRow, Nullability, ReadsValue, SqlType, ToSql, read_column,
    };

    /// The error of a field position an entity does not have (never made by generated code's
    /// callers; kept an error, not a panic).
    pub fn no_such_field(index: usize, count: usize) -> crate::Error {
        crate::Error::new(
            crate::ErrorKind::InvalidQuery,
            format!("field {index} asked of an entity with {count} fields"),
        )
    }

    /// Checks, at the field that declares it, that a Rust type holds a column's SQL type.
    pub const fn assert_holds<T: crate::types::HoldsSqlType<ST>, ST>() {}
    /// Checks, at the field that declares it, that a Rust value can be written to a column.
    pub fn assert_writable<T: crate::expression::AsExpression<ST>, ST: crate::types::SqlType>() {}
}
