use std::borrow::Cow;
use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::types::SqlType;

use super::{AsExpression, Expression, QueryFragment};

/// Raw SQL of a declared SQL type: the escape hatch for what the DSL cannot say.
///
/// The text is sent as written and is not checked by the compiler; values still travel as
/// bind parameters through [`SqlLiteral::bind`]. Never paste user input into the text.
///
/// ```
/// use philtre::prelude::*;
/// let expr = sql::<Integer>("length(").bind::<Text, _>("abc").sql(")");
/// # let _ = expr;
/// ```
#[derive(Debug, Clone)]
pub struct SqlLiteral<ST, Prev = ()> {
    prev: Prev,
    sql: Cow<'static, str>,
    _sql_type: PhantomData<ST>,
}

/// Raw SQL text typed as `ST`. See [`SqlLiteral`].
pub fn sql<ST: SqlType>(text: impl Into<Cow<'static, str>>) -> SqlLiteral<ST> {
    SqlLiteral {
        prev: (),
        sql: text.into(),
        _sql_type: PhantomData,
    }
}

impl<ST, Prev> SqlLiteral<ST, Prev> {
    /// Appends a bind parameter holding `value` as SQL type `BST`.
    pub fn bind<BST: SqlType, V: AsExpression<BST>>(
        self,
        value: V,
    ) -> SqlLiteral<ST, SqlChain<Self, V::Expression>> {
        SqlLiteral {
            prev: SqlChain(self, value.into_expression()),
            sql: Cow::Borrowed(""),
            _sql_type: PhantomData,
        }
    }

    /// Appends more raw SQL text.
    pub fn sql(self, text: impl Into<Cow<'static, str>>) -> SqlLiteral<ST, Self> {
        SqlLiteral {
            prev: self,
            sql: text.into(),
            _sql_type: PhantomData,
        }
    }
}

impl<ST: SqlType, Prev> Expression for SqlLiteral<ST, Prev> {
    type SqlType = ST;
}

// Raw SQL cannot be checked against the FROM clause; it is accepted anywhere.
crate::__impl_constant_appears_in!([ST, Prev] SqlLiteral<ST, Prev>);

impl<ST, Prev: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for SqlLiteral<ST, Prev> {
    fn condition_form(&self) -> Option<bool> {
        None
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.prev.to_sql(out);
        out.push_sql(&self.sql);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.prev.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        false
    }
}

/// Two raw SQL pieces written one after the other.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct SqlChain<A, B>(A, B);

impl<DB: Backend, A: QueryFragment<DB>, B: QueryFragment<DB>> QueryFragment<DB> for SqlChain<A, B> {
    fn condition_form(&self) -> Option<bool> {
        None
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.0.to_sql(out);
        self.1.to_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)?;
        self.1.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && self.1.has_static_sql()
    }
}

crate::__impl_arithmetic!([ST, Prev] SqlLiteral<ST, Prev>);
crate::__impl_as_expression!([ST, Prev] SqlLiteral<ST, Prev>);
