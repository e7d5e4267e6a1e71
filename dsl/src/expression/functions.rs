use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::types::BigInt;

use super::{AppearsIn, Expression, QueryFragment};

/// `COUNT(*)`: the number of rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountStar;

/// `COUNT(*)`: the number of rows, as `BigInt` (`i64`).
pub fn count_star() -> CountStar {
    CountStar
}

impl Expression for CountStar {
    type SqlType = BigInt;
}

impl<QS> AppearsIn<QS, ()> for CountStar {}

impl<DB: Backend> QueryFragment<DB> for CountStar {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("COUNT(*)");
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

/// `COUNT(expr)`: the number of rows where `expr` is not NULL.
#[derive(Debug, Clone, Copy)]
pub struct Count<E> {
    expr: E,
}

/// `COUNT(expr)`: the number of rows where `expr` is not NULL, as `BigInt` (`i64`).
pub fn count<E: Expression>(expr: E) -> Count<E> {
    Count { expr }
}

impl<E: Expression> Expression for Count<E> {
    type SqlType = BigInt;
}

impl<E: AppearsIn<QS, I>, QS, I> AppearsIn<QS, I> for Count<E> {}

impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Count<E> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("COUNT(");
        self.expr.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.expr.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.expr.has_static_sql()
    }
}

crate::__impl_arithmetic!([] CountStar);
crate::__impl_arithmetic!([E] Count<E>);
crate::__impl_as_expression!([] CountStar);
crate::__impl_as_expression!([E] Count<E>);
