//! PostgreSQL's array functions that change the shape of an array: a slice (`a[2:3]`) and
//! `unnest(a)`, one row per element. A query using one does not compile for a backend without
//! arrays.

use crate::backend::{BindSink, SqlWriter, SupportsArrays};
use crate::error::QueryResult;
use crate::types::{Integer, ToSql};

use super::containment::{ArrayType, NotNullOf};
use super::{Bound, Expression, QueryFragment};

/// `array[from:to]`: see [`super::ExpressionMethods::slice`].
#[derive(Debug, Clone)]
pub struct ArraySlice<E> {
    array: E,
    from: Bound<Integer, i32>,
    to: Bound<Integer, i32>,
}

impl<E> ArraySlice<E> {
    pub(crate) fn new(array: E, from: i32, to: i32) -> Self {
        ArraySlice {
            array,
            from: Bound::new(from),
            to: Bound::new(to),
        }
    }
}

impl<E: Expression> Expression for ArraySlice<E>
where
    NotNullOf<E>: ArrayType,
{
    // The array's own type: a slice of a nullable array is NULL where the array is.
    type SqlType = E::SqlType;
}

crate::__impl_wrapper_appears_in!([E] ArraySlice<E>, E);
crate::__impl_as_expression!([E] ArraySlice<E>);

impl<E, DB> QueryFragment<DB> for ArraySlice<E>
where
    DB: SupportsArrays,
    E: QueryFragment<DB>,
    i32: ToSql<Integer, DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("(");
        self.array.to_sql(out);
        out.push_sql(")[");
        self.from.to_sql(out);
        out.push_sql(":");
        self.to.to_sql(out);
        out.push_sql("]");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.array.collect_binds(out)?;
        self.from.collect_binds(out)?;
        self.to.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.array.has_static_sql()
    }
}

/// `unnest(array)` (PostgreSQL): one row per element of the array, in the array's order — in a
/// select list, each row of the query repeats once per element of its array (a row whose array
/// is empty or NULL drops out); SQLAlchemy's `func.unnest`.
///
/// ```
/// use philtre::prelude::*;
/// use philtre::expression::unnest;
/// # philtre::table! { posts (id) { id -> Integer, labels -> Array<Text>, } }
/// // One row per (post, label).
/// let labelled = posts::table.select((posts::id, unnest(posts::labels)));
/// # let _ = labelled;
/// ```
///
/// PostgreSQL refuses a set-returning function in WHERE, in a JOIN's ON and inside an
/// aggregate: count or filter the elements of an unnested query from a subquery or CTE.
pub fn unnest<E: Expression>(array: E) -> Unnest<E>
where
    NotNullOf<E>: ArrayType,
{
    Unnest(array)
}

/// See [`unnest`].
#[derive(Debug, Clone, Copy)]
pub struct Unnest<E>(E);

impl<E: Expression> Expression for Unnest<E>
where
    NotNullOf<E>: ArrayType,
{
    // The elements of an `Array<ST>` are `ST`: the array types philtre reads hold no NULLs.
    type SqlType = <NotNullOf<E> as ArrayType>::Element;
}

crate::__impl_wrapper_appears_in!([E] Unnest<E>, E);
crate::__impl_as_expression!([E] Unnest<E>);
crate::__impl_arithmetic!([E] Unnest<E>);

super::functions::call_fragment!(Unnest, SupportsArrays, "unnest(");
