//! `.nullable()`: the same expression, typed as one that may be NULL — so a NOT NULL column and
//! a nullable one of the same type can meet, as in the two sides of a UNION. The SQL is
//! unchanged.

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
