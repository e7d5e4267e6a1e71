//! `CAST`, `COALESCE`, `NULLIF` and `IS [NOT] DISTINCT FROM`.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::types::{Bool, NotNullable, Nullability, Nullable, SqlType};

use super::{Aggregation, AppearsIn, AsExpression, Expression, QueryFragment, Seen};

/// `CAST(expr AS type)`: `expr` as SQL type `ST` (nullable when `expr` is), with the type name
/// each backend uses.
pub fn cast<ST: SqlType, E: Expression>(expr: E) -> Cast<E, ST> {
    Cast(expr, PhantomData)
}

/// See [`cast`].
#[derive(Debug, Clone, Copy)]
pub struct Cast<E, ST>(E, PhantomData<ST>);

impl<E: Expression, ST: SqlType> Expression for Cast<E, ST> {
    type SqlType = <<E::SqlType as SqlType>::Nullability as Nullability>::Apply<ST>;
}

crate::__impl_wrapper_appears_in!([E, ST] Cast<E, ST>, E);

impl<E: QueryFragment<DB>, ST: SqlType, DB: Backend> QueryFragment<DB> for Cast<E, ST> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        let kind = <ST::NotNull as SqlType>::KIND;
        if let Some(function) = DB::cast_function(kind) {
            out.push_sql(function);
            out.push_sql("(");
            self.0.to_sql(out);
            out.push_sql(")");
            return;
        }
        out.push_sql("CAST(");
        self.0.to_sql(out);
        out.push_sql(" AS ");
        out.push_sql(DB::cast_type_name(kind));
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

/// `COALESCE(value, fallback)`: `value` unless it is NULL, else `fallback` (of the same SQL
/// type, not nullable: the result is then not nullable either).
pub fn coalesce<E, F, Fallback>(value: E, fallback: F) -> Coalesce<E, Fallback>
where
    E: Expression,
    // The fallback's expression named, not projected in the return type, so that a fallback of
    // another SQL type is one error.
    F: AsExpression<<E::SqlType as SqlType>::NotNull, Expression = Fallback>,
{
    Coalesce(value, fallback.into_expression())
}

/// See [`coalesce`].
#[derive(Debug, Clone, Copy)]
pub struct Coalesce<E, F>(E, F);

impl<E: Expression, F: Expression> Expression for Coalesce<E, F> {
    type SqlType = F::SqlType;
}

impl<E, F, QS, IE, IF> AppearsIn<QS, (IE, IF)> for Coalesce<E, F>
where
    E: AppearsIn<QS, IE>,
    F: AppearsIn<QS, IF>,
    Self: Expression,
{
    // NULL only when the fallback is.
    type Nullability = F::Nullability;
    type Aggregation = <E::Aggregation as Aggregation>::And<F::Aggregation>;
    type SqlRow = Seen<F::Nullability, <Self as Expression>::SqlType>;
}

/// `NULLIF(value, other)`: NULL when `value = other`, else `value`.
pub fn nullif<E, O>(value: E, other: O) -> NullIf<E, O::Expression>
where
    E: Expression,
    O: AsExpression<E::SqlType>,
{
    NullIf(value, other.into_expression())
}

/// See [`nullif`].
#[derive(Debug, Clone, Copy)]
pub struct NullIf<E, O>(E, O);

impl<E: Expression, O> Expression for NullIf<E, O> {
    type SqlType = Nullable<<E::SqlType as SqlType>::NotNull>;
}

impl<E, O, QS, IE, IO> AppearsIn<QS, (IE, IO)> for NullIf<E, O>
where
    E: AppearsIn<QS, IE>,
    O: AppearsIn<QS, IO>,
    Self: Expression,
{
    type Nullability = NotNullable;
    type Aggregation = <E::Aggregation as Aggregation>::And<O::Aggregation>;
    type SqlRow = <Self as Expression>::SqlType;
}

macro_rules! two_argument_function {
    ($ty:ident, $name:literal) => {
        impl<A: QueryFragment<DB>, B: QueryFragment<DB>, DB: Backend> QueryFragment<DB>
            for $ty<A, B>
        {
            fn to_sql(&self, out: &mut SqlWriter<DB>) {
                out.push_sql($name);
                out.push_sql("(");
                self.0.to_sql(out);
                out.push_sql(", ");
                self.1.to_sql(out);
                out.push_sql(")");
            }
            fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                self.0.collect_binds(out)?;
                self.1.collect_binds(out)
            }
            fn has_static_sql(&self) -> bool {
                self.0.has_static_sql() && self.1.has_static_sql()
            }
        }
    };
}

two_argument_function!(Coalesce, "COALESCE");
two_argument_function!(NullIf, "NULLIF");

/// `a IS DISTINCT FROM b` (`NOT DISTINCT` when `SAME`): a comparison in which NULL equals NULL,
/// never NULL itself. MySQL spells it with `<=>`.
#[derive(Debug, Clone, Copy)]
pub struct DistinctFrom<L, R, const SAME: bool>(pub(crate) L, pub(crate) R);

impl<L, R, const SAME: bool> Expression for DistinctFrom<L, R, SAME> {
    type SqlType = Bool;
}

impl<L, R, QS, IL, IR, const SAME: bool> AppearsIn<QS, (IL, IR)> for DistinctFrom<L, R, SAME>
where
    L: AppearsIn<QS, IL>,
    R: AppearsIn<QS, IR>,
{
    type Nullability = NotNullable;
    type Aggregation = <L::Aggregation as Aggregation>::And<R::Aggregation>;
    type SqlRow = Bool;
}

impl<L: QueryFragment<DB>, R: QueryFragment<DB>, DB: Backend, const SAME: bool> QueryFragment<DB>
    for DistinctFrom<L, R, SAME>
{
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        let [prefix, infix, suffix] = if SAME {
            DB::IS_NOT_DISTINCT_FROM
        } else {
            DB::IS_DISTINCT_FROM
        };
        out.push_sql(prefix);
        self.0.to_sql(out);
        out.push_sql(infix);
        self.1.to_sql(out);
        out.push_sql(suffix);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)?;
        self.1.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && self.1.has_static_sql()
    }
}

crate::__impl_arithmetic!([E, ST] Cast<E, ST>);
crate::__impl_arithmetic!([E, F] Coalesce<E, F>);
crate::__impl_arithmetic!([E, O] NullIf<E, O>);
crate::__impl_as_expression!([E, ST] Cast<E, ST>);
crate::__impl_as_expression!([E, F] Coalesce<E, F>);
crate::__impl_as_expression!([E, O] NullIf<E, O>);
crate::__impl_as_expression!([L, R, const SAME: bool] DistinctFrom<L, R, SAME>);
