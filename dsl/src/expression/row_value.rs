//! Row values — SQLAlchemy's `tuple_()`: `(a, b) IN ((1, 2), …)`, `(a, b) IN (SELECT x, y …)`
//! and `(a, b) > (x, y)`, for composite keys and keyset pagination, on every backend.
//!
//! ```
//! use philtre::expression::row;
//! use philtre::prelude::*;
//! # philtre::table! { events (day, seq) { day -> Integer, seq -> Integer, name -> Text, } }
//! // The page after (day 3, seq 7), in key order:
//! let next = events::table
//!     .filter(row((events::day, events::seq)).gt((3, 7)))
//!     .order((events::day, events::seq))
//!     .limit(20);
//! // Two rows picked by their composite key:
//! let picked = events::table.filter(row((events::day, events::seq)).eq_any([(1, 2), (3, 4)]));
//! # let _ = (next, picked);
//! ```

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::types::{Bool, NotNullable, Nullable, SqlType};

use super::{AppearsIn, AsExpression, Expression, QueryFragment};

/// `(a, b, …)`: several expressions compared together. Build it with [`row`].
#[derive(Debug, Clone, Copy)]
pub struct Row<T>(T);

/// A row value of a tuple of two or three expressions: `row((users::id, users::name))`.
pub fn row<T: RowExpressions>(expressions: T) -> Row<T> {
    Row(expressions)
}

/// A tuple of expressions that can form a row value, and the SQL types of its elements.
pub trait RowExpressions {
    /// The elements' SQL types, as a tuple.
    type SqlTypes;
}

/// Values (a tuple of Rust values or expressions) that a row value of SQL types `Types` can be
/// compared with, element by element.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with a row value of SQL types `{Types}`",
    label = "expected a tuple with one value per element of the row, each of its SQL type"
)]
pub trait TupleOfRow<Types> {
    /// The tuple of expressions it becomes.
    type Expressions;
    /// Converts.
    fn into_row(self) -> Self::Expressions;
}

macro_rules! row_arity {
    ($($T:ident $X:ident $idx:tt),+) => {
        impl<$($T: Expression),+> RowExpressions for ($($T,)+) {
            type SqlTypes = ($($T::SqlType,)+);
        }

        #[diagnostic::do_not_recommend]
        impl<$($T: SqlType,)+ $($X: AsExpression<$T>),+> TupleOfRow<($($T,)+)> for ($($X,)+) {
            type Expressions = ($($X::Expression,)+);
            fn into_row(self) -> Self::Expressions {
                ($(self.$idx.into_expression(),)+)
            }
        }
    };
}

row_arity!(A XA 0, B XB 1);
row_arity!(A XA 0, B XB 1, C XC 2);

impl<T> Row<T> {
    fn compare<Op, V>(self, values: V) -> RowComparison<Op, T, V::Expressions>
    where
        T: RowExpressions,
        V: TupleOfRow<T::SqlTypes>,
    {
        RowComparison {
            row: self.0,
            other: values.into_row(),
            _op: std::marker::PhantomData,
        }
    }

    /// `(a, b) = (x, y)`.
    pub fn eq<V>(self, values: V) -> RowComparison<row_op::RowEq, T, V::Expressions>
    where
        T: RowExpressions,
        V: TupleOfRow<T::SqlTypes>,
    {
        self.compare(values)
    }

    /// `(a, b) <> (x, y)`.
    pub fn ne<V>(self, values: V) -> RowComparison<row_op::RowNe, T, V::Expressions>
    where
        T: RowExpressions,
        V: TupleOfRow<T::SqlTypes>,
    {
        self.compare(values)
    }

    /// `(a, b) > (x, y)`: greater in order of the elements (`a > x`, or `a = x AND b > y`) —
    /// keyset pagination.
    pub fn gt<V>(self, values: V) -> RowComparison<row_op::RowGt, T, V::Expressions>
    where
        T: RowExpressions,
        V: TupleOfRow<T::SqlTypes>,
    {
        self.compare(values)
    }

    /// `(a, b) >= (x, y)`.
    pub fn ge<V>(self, values: V) -> RowComparison<row_op::RowGe, T, V::Expressions>
    where
        T: RowExpressions,
        V: TupleOfRow<T::SqlTypes>,
    {
        self.compare(values)
    }

    /// `(a, b) < (x, y)`.
    pub fn lt<V>(self, values: V) -> RowComparison<row_op::RowLt, T, V::Expressions>
    where
        T: RowExpressions,
        V: TupleOfRow<T::SqlTypes>,
    {
        self.compare(values)
    }

    /// `(a, b) <= (x, y)`.
    pub fn le<V>(self, values: V) -> RowComparison<row_op::RowLe, T, V::Expressions>
    where
        T: RowExpressions,
        V: TupleOfRow<T::SqlTypes>,
    {
        self.compare(values)
    }

    /// `(a, b) IN ((1, 2), (3, 4))` from a list of tuples (SQLite: `IN (VALUES (1, 2), …)`), or
    /// `(a, b) IN (SELECT x, y …)` from a subquery selecting one column per element. An empty
    /// list is `1 = 0`.
    pub fn eq_any<V>(self, values: V) -> V::In<T>
    where
        T: RowExpressions,
        V: RowInValues<T::SqlTypes>,
    {
        values.row_in(self.0)
    }

    /// `(a, b) NOT IN (…)`: the negation of [`Row::eq_any`]. An empty list is `1 = 1`.
    pub fn ne_all<V>(self, values: V) -> V::NotIn<T>
    where
        T: RowExpressions,
        V: RowInValues<T::SqlTypes>,
    {
        values.row_not_in(self.0)
    }
}

/// The operators of row comparisons.
pub mod row_op {
    macro_rules! ops {
        ($($name:ident = $sql:literal),*) => {$(
            #[doc = concat!("`", $sql, "`")]
            #[derive(Debug, Clone, Copy, Default)]
            pub struct $name;
            impl super::RowOperator for $name {
                const SQL: &'static str = concat!(" ", $sql, " ");
            }
        )*};
    }
    // Named apart from the scalar operators' `Eq`, `Gt`…, so that compile errors can keep
    // printing those by their short names.
    ops!(
        RowEq = "=",
        RowNe = "<>",
        RowGt = ">",
        RowGe = ">=",
        RowLt = "<",
        RowLe = "<="
    );
}

/// A row comparison operator.
pub trait RowOperator {
    /// The operator, with spaces around it.
    const SQL: &'static str;
}

/// `(a, b) op (x, y)`.
#[derive(Debug, Clone, Copy)]
pub struct RowComparison<Op, T, V> {
    row: T,
    other: V,
    _op: std::marker::PhantomData<Op>,
}

impl<Op, T, V> Expression for RowComparison<Op, T, V> {
    type SqlType = Nullable<Bool>;
}

impl<Op, T, V, QS, IT, IV> AppearsIn<QS, (IT, IV)> for RowComparison<Op, T, V>
where
    T: AppearsIn<QS, IT>,
    V: AppearsIn<QS, IV>,
{
    type Nullability = NotNullable;
    type Aggregation = <T::Aggregation as super::Aggregation>::And<V::Aggregation>;
    type SqlRow = Nullable<Bool>;
}

impl<Op: RowOperator, T: QueryFragment<DB>, V: QueryFragment<DB>, DB: Backend> QueryFragment<DB>
    for RowComparison<Op, T, V>
{
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("(");
        self.row.to_sql(out);
        out.push_sql(")");
        out.push_sql(Op::SQL);
        out.push_sql("(");
        self.other.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.row.collect_binds(out)?;
        self.other.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.row.has_static_sql() && self.other.has_static_sql()
    }
}

crate::__impl_as_expression!([Op, T, V] RowComparison<Op, T, V>);

/// The right side of a row value's IN: a list of tuples, or a subquery of as many columns.
#[diagnostic::on_unimplemented(
    message = "the right side of a row value's IN must be a list of tuples, or a SELECT of one column per element, of SQL types `{Types}`",
    label = "not a list or SELECT of those SQL types"
)]
pub trait RowInValues<Types> {
    /// `row IN (self)`.
    type In<T>;
    /// `row NOT IN (self)`.
    type NotIn<T>;
    /// Builds `row IN (self)`.
    fn row_in<T>(self, row: T) -> Self::In<T>;
    /// Builds `row NOT IN (self)`.
    fn row_not_in<T>(self, row: T) -> Self::NotIn<T>;
}

#[diagnostic::do_not_recommend]
impl<I, Types> RowInValues<Types> for I
where
    I: IntoIterator,
    I::Item: TupleOfRow<Types>,
{
    type In<T> = RowInList<T, <I::Item as TupleOfRow<Types>>::Expressions, false>;
    type NotIn<T> = RowInList<T, <I::Item as TupleOfRow<Types>>::Expressions, true>;
    fn row_in<T>(self, row: T) -> Self::In<T> {
        RowInList {
            row,
            rows: self.into_iter().map(TupleOfRow::into_row).collect(),
        }
    }
    fn row_not_in<T>(self, row: T) -> Self::NotIn<T> {
        RowInList {
            row,
            rows: self.into_iter().map(TupleOfRow::into_row).collect(),
        }
    }
}

/// `row IN ((…), (…))` (`NOT IN` when `NEGATED`).
#[derive(Debug, Clone)]
pub struct RowInList<T, V, const NEGATED: bool> {
    row: T,
    rows: Vec<V>,
}

impl<T, V, const NEGATED: bool> Expression for RowInList<T, V, NEGATED> {
    type SqlType = Nullable<Bool>;
}

impl<T, V, QS, IT, const NEGATED: bool> AppearsIn<QS, IT> for RowInList<T, V, NEGATED>
where
    T: AppearsIn<QS, IT>,
{
    type Nullability = NotNullable;
    type Aggregation = T::Aggregation;
    type SqlRow = Nullable<Bool>;
}

impl<T, V, DB, const NEGATED: bool> QueryFragment<DB> for RowInList<T, V, NEGATED>
where
    T: QueryFragment<DB>,
    V: QueryFragment<DB>,
    DB: Backend,
{
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        if self.rows.is_empty() {
            out.push_sql(if NEGATED { "1 = 1" } else { "1 = 0" });
            return;
        }
        out.push_sql("(");
        self.row.to_sql(out);
        out.push_sql(if NEGATED { ") NOT IN (" } else { ") IN (" });
        if DB::ROW_IN_LIST_AS_VALUES {
            out.push_sql("VALUES ");
        }
        for (i, values) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_sql("(");
            values.to_sql(out);
            out.push_sql(")");
        }
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        self.row.collect_binds(out)?;
        for values in &self.rows {
            values.collect_binds(out)?;
        }
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        // The number of rows shapes the SQL.
        false
    }
}

crate::__impl_as_expression!([T, V, const NEGATED: bool] RowInList<T, V, NEGATED>);

/// A row value written in parentheses, `(a, b)`: the left side of `IN (SELECT …)`.
#[derive(Debug, Clone, Copy)]
pub struct Parenthesized<T>(T);

impl<T, QS, I> AppearsIn<QS, I> for Parenthesized<T>
where
    T: AppearsIn<QS, I>,
{
    type Nullability = T::Nullability;
    type Aggregation = T::Aggregation;
    type SqlRow = T::SqlRow;
}

impl<T: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Parenthesized<T> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("(");
        self.0.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

/// Rule: a subquery compared with a row value selects one column per element, of the same SQL
/// types (nullability aside).
#[diagnostic::on_unimplemented(
    message = "the subquery returns `{Self}`, but the row value it is compared with has SQL types `{Types}`",
    label = "select one column per element of the row, of the same SQL types"
)]
pub trait SameRowTypes<Types> {}

macro_rules! same_row_types {
    ($($S:ident $T:ident),+) => {
        impl<$($S: SqlType,)+ $($T: SqlType),+> SameRowTypes<($($T,)+)> for ($($S,)+)
        where
            $(<$S as SqlType>::NotNull: super::SameSqlType<<$T as SqlType>::NotNull>,)+
        {
        }
    };
}

same_row_types!(SA TA, SB TB);
same_row_types!(SA TA, SB TB, SC TC);

/// `(a, b) IN (SELECT x, y …)` for each kind of query that can be a subquery.
macro_rules! row_in_subquery {
    ($($ty:ident<$($g:ident),*>),*) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($g,)* Types> RowInValues<Types> for crate::query::$ty<$($g),*>
        where
            Self: crate::query::Query,
            <Self as crate::query::Query>::SqlRow: SameRowTypes<Types>,
        {
            type In<T> = crate::query::InSubquery<Parenthesized<T>, Self, false>;
            type NotIn<T> = crate::query::InSubquery<Parenthesized<T>, Self, true>;
            fn row_in<T>(self, row: T) -> Self::In<T> {
                crate::query::InSubquery::with(Parenthesized(row), self)
            }
            fn row_not_in<T>(self, row: T) -> Self::NotIn<T> {
                crate::query::InSubquery::with(Parenthesized(row), self)
            }
        }
    )*};
}

row_in_subquery!(
    SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>,
    CompoundSelect<L, R, Op, O, Lim, Off>
);
