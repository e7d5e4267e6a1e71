//! `.nullable()`: the same expression, typed as one that may be NULL — so a NOT NULL column and
//! a nullable one of the same type can meet, as in the two sides of a UNION. The SQL is
//! unchanged. `.assume_not_null()`: the other way, where the user knows better than the types
//! (a scalar subquery that always finds its row).

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::types::{self, SqlType};

use super::{Expression, QueryFragment};

/// `expr`, typed `Nullable<…>`; made by [`super::ExpressionMethods::nullable`].
#[derive(Debug, Clone, Copy)]
pub struct AsNullable<E>(E);

impl<E> AsNullable<E> {
    pub(crate) fn new(expr: E) -> Self {
        AsNullable(expr)
    }
}

impl<E: Expression> Expression for AsNullable<E>
where
    <E::SqlType as SqlType>::NotNull: SqlType,
{
    type SqlType = types::Nullable<<E::SqlType as SqlType>::NotNull>;
}

crate::__impl_wrapper_appears_in!([E] AsNullable<E>, E);

impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for AsNullable<E> {
    fn condition_form(&self) -> Option<bool> {
        self.0.condition_form()
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.0.to_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
    fn sql_shape(&self, shape: &mut super::SqlShape) -> bool {
        self.0.sql_shape(shape)
    }
}

crate::__impl_as_expression!([E] AsNullable<E>);

/// `expr`, typed without NULL; made by [`super::ExpressionMethods::assume_not_null`]. The SQL is
/// unchanged, so a NULL still arrives: written into a NOT NULL column the database refuses it
/// (a [`crate::ErrorKind::NotNullViolation`]), read into a non-`Option` value it is a
/// [`crate::ErrorKind::Deserialization`] error — never a made-up value.
#[derive(Debug, Clone, Copy)]
pub struct AssumeNotNull<E>(E);

impl<E> AssumeNotNull<E> {
    pub(crate) fn new(expr: E) -> Self {
        AssumeNotNull(expr)
    }
}

impl<E: Expression> Expression for AssumeNotNull<E> {
    type SqlType = <E::SqlType as SqlType>::NotNull;
}

impl<QS, I, E> super::AppearsIn<QS, I> for AssumeNotNull<E>
where
    E: super::AppearsIn<QS, I> + Expression,
{
    type Nullability = types::NotNullable;
    type Aggregation = <E as super::AppearsIn<QS, I>>::Aggregation;
    type SqlRow = <E::SqlType as SqlType>::NotNull;
}

impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for AssumeNotNull<E> {
    fn condition_form(&self) -> Option<bool> {
        self.0.condition_form()
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.0.to_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
    fn sql_shape(&self, shape: &mut super::SqlShape) -> bool {
        self.0.sql_shape(shape)
    }
}

crate::__impl_arithmetic!([E] AssumeNotNull<E>);
crate::__impl_as_expression!([E] AssumeNotNull<E>);
