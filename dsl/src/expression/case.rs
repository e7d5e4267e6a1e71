//! Searched `CASE WHEN … THEN … ELSE … END`: every branch has the same SQL type.

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::types::{BooleanCondition, Nullability, Nullable, SqlType};

use super::{Aggregation, AppearsIn, AsExpression, Expression, QueryFragment, Seen};

/// `CASE WHEN condition THEN value …`: start a searched CASE. Add branches with
/// [`Case::when`], and end it with [`Case::otherwise`] (`ELSE`); without `ELSE` the result is
/// nullable.
pub fn case_when<C, V>(condition: C, value: V) -> Case<When<C, V::Expression>, NoElse>
where
    C: Expression,
    C::SqlType: BooleanCondition,
    V: IntoExpression,
{
    Case {
        branches: When(condition, value.into_expression()),
        otherwise: NoElse,
    }
}

/// One `WHEN condition THEN value` branch.
#[derive(Debug, Clone, Copy)]
pub struct When<C, V>(C, V);

impl<C, V, QS, IC, IV> AppearsIn<QS, (IC, IV)> for When<C, V>
where
    C: AppearsIn<QS, IC>,
    V: AppearsIn<QS, IV>,
{
    type Nullability = V::Nullability;
    type Aggregation = <C::Aggregation as Aggregation>::And<V::Aggregation>;
    type SqlRow = ();
}

/// No `ELSE`: the CASE yields NULL when no branch matches.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoElse;

/// `ELSE value`.
#[derive(Debug, Clone, Copy)]
pub struct Else<V>(V);

/// A searched CASE: `Branches` is a nested list of `(condition, value)` pairs, `E` its ELSE.
#[derive(Debug, Clone, Copy)]
pub struct Case<Branches, E> {
    branches: Branches,
    otherwise: E,
}

/// The SQL type of the first branch's value, which every branch shares.
pub trait CaseBranches {
    /// The branches' SQL type.
    type SqlType: SqlType;
}

impl<C, V: Expression> CaseBranches for When<C, V> {
    type SqlType = V::SqlType;
}

impl<Prev: CaseBranches, C, V> CaseBranches for (Prev, When<C, V>) {
    type SqlType = Prev::SqlType;
}

impl<B: CaseBranches> Case<B, NoElse> {
    /// Another `WHEN condition THEN value`; `value` must have the first branch's SQL type.
    pub fn when<C, V>(self, condition: C, value: V) -> Case<(B, When<C, V::Expression>), NoElse>
    where
        C: Expression,
        C::SqlType: BooleanCondition,
        V: AsExpression<B::SqlType>,
    {
        Case {
            branches: (self.branches, When(condition, value.into_expression())),
            otherwise: NoElse,
        }
    }

    /// `ELSE value END`; `value` must have the branches' SQL type.
    pub fn otherwise<V>(self, value: V) -> Case<B, Else<V::Expression>>
    where
        V: AsExpression<B::SqlType>,
    {
        Case {
            branches: self.branches,
            otherwise: Else(value.into_expression()),
        }
    }
}

impl<B: CaseBranches> Expression for Case<B, NoElse> {
    type SqlType = Nullable<<B::SqlType as SqlType>::NotNull>;
}

impl<B: CaseBranches, V> Expression for Case<B, Else<V>> {
    type SqlType = B::SqlType;
}

impl<B, E, QS, IB, IE> AppearsIn<QS, (IB, IE)> for Case<B, E>
where
    B: AppearsIn<QS, IB>,
    E: AppearsIn<QS, IE>,
    Self: Expression,
{
    type Nullability = <B::Nullability as Nullability>::Or<E::Nullability>;
    type Aggregation = <B::Aggregation as Aggregation>::And<E::Aggregation>;
    type SqlRow = Seen<Self::Nullability, <Self as Expression>::SqlType>;
}

impl<QS> AppearsIn<QS, ()> for NoElse {
    type Nullability = crate::types::NotNullable;
    type Aggregation = super::ConstantValue;
    type SqlRow = ();
}

impl<V: AppearsIn<QS, I>, QS, I> AppearsIn<QS, I> for Else<V> {
    type Nullability = V::Nullability;
    type Aggregation = V::Aggregation;
    type SqlRow = ();
}

/// Renders the branches of a CASE.
pub trait WriteBranches<DB: Backend> {
    /// Writes ` WHEN c THEN v` for each branch.
    fn write_branches(&self, out: &mut SqlWriter<DB>);
    /// Binds the branches' values.
    fn bind_branches<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether their SQL depends only on their type.
    fn branches_are_static(&self) -> bool;
}

impl<C: QueryFragment<DB>, V: QueryFragment<DB>, DB: Backend> WriteBranches<DB> for When<C, V> {
    fn write_branches(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(" WHEN ");
        super::write_condition(&self.0, out);
        out.push_sql(" THEN ");
        super::write_value(&self.1, out);
    }
    fn bind_branches<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)?;
        self.1.collect_binds(out)
    }
    fn branches_are_static(&self) -> bool {
        self.0.has_static_sql() && self.1.has_static_sql()
    }
}

impl<Prev: WriteBranches<DB>, C: QueryFragment<DB>, V: QueryFragment<DB>, DB: Backend>
    WriteBranches<DB> for (Prev, When<C, V>)
{
    fn write_branches(&self, out: &mut SqlWriter<DB>) {
        self.0.write_branches(out);
        self.1.write_branches(out);
    }
    fn bind_branches<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.bind_branches(out)?;
        self.1.bind_branches(out)
    }
    fn branches_are_static(&self) -> bool {
        self.0.branches_are_static() && self.1.branches_are_static()
    }
}

impl<B: WriteBranches<DB>, DB: Backend> QueryFragment<DB> for Case<B, NoElse> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("CASE");
        self.branches.write_branches(out);
        out.push_sql(" END");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.branches.bind_branches(out)
    }
    fn has_static_sql(&self) -> bool {
        self.branches.branches_are_static()
    }
}

impl<B: WriteBranches<DB>, V: QueryFragment<DB>, DB: Backend> QueryFragment<DB>
    for Case<B, Else<V>>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("CASE");
        self.branches.write_branches(out);
        out.push_sql(" ELSE ");
        self.otherwise.0.to_sql(out);
        out.push_sql(" END");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.branches.bind_branches(out)?;
        self.otherwise.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.branches.branches_are_static() && self.otherwise.0.has_static_sql()
    }
}

crate::__impl_arithmetic!([B, E] Case<B, E>);
crate::__impl_as_expression!([B, E] Case<B, E>);

/// A value with an SQL type of its own: an expression, or a Rust literal of a common type
/// (`&str`, `String` → `Text`; `i32` → `Integer`; `i64` → `BigInt`; `f64` → `Double`;
/// `bool` → `Bool`). It lets the first branch of a CASE be a literal.
pub trait IntoExpression {
    /// The expression it becomes.
    type Expression: Expression;
    /// Converts.
    fn into_expression(self) -> Self::Expression;
}

impl<E: Expression> IntoExpression for E {
    type Expression = E;
    fn into_expression(self) -> E {
        self
    }
}

macro_rules! literal_types {
    ($([$($lt:lifetime)?] $rust:ty => $st:ty;)*) => {$(
        impl<$($lt)?> IntoExpression for $rust {
            type Expression = super::Bound<$st, $rust>;
            fn into_expression(self) -> Self::Expression {
                super::Bound::new(self)
            }
        }
    )*};
}

literal_types! {
    ['a] &'a str => crate::types::Text;
    [] String => crate::types::Text;
    [] i32 => crate::types::Integer;
    [] i64 => crate::types::BigInt;
    [] f64 => crate::types::Double;
    [] bool => crate::types::Bool;
}
