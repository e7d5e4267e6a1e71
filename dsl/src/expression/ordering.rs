use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;

use super::{AppearsIn, QueryFragment};

/// One `ORDER BY` key or a tuple of them: an expression (ascending), [`Asc`] or [`Desc`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used in ORDER BY",
    label = "expected a column or expression, `.asc()`, `.desc()`, or a tuple of those"
)]
pub trait OrderTerm<FromList, Index> {}

/// A single ORDER BY key: any expression, or one with `.asc()` / `.desc()`.
pub trait OrderKey {}
impl<E: super::Expression> OrderKey for E {}

impl<K, QS, I> OrderTerm<QS, I> for K where K: OrderKey + AppearsIn<QS, I> {}

macro_rules! direction {
    ($(#[$doc:meta])* $name:ident, $sql:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<E> {
            expr: E,
        }
        impl<E> $name<E> {
            /// Orders by `expr`.
            pub fn new(expr: E) -> Self {
                $name { expr }
            }
        }
        impl<E> OrderKey for $name<E> {}
        // An ordering is not a value; it is never selected, so it has no row type.
        impl<E: AppearsIn<QS, I>, QS, I> AppearsIn<QS, I> for $name<E> {
            type Nullability = E::Nullability;
            type Aggregation = E::Aggregation;
            type SqlRow = ();
        }
        impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for $name<E> {
            fn to_sql(&self, out: &mut SqlWriter<DB>) {
                self.expr.to_sql(out);
                out.push_sql($sql);
            }
            fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                self.expr.collect_binds(out)
            }
            fn has_static_sql(&self) -> bool {
                self.expr.has_static_sql()
            }
        }
    };
}

direction!(
    /// `expr ASC`
    Asc,
    " ASC"
);
direction!(
    /// `expr DESC`
    Desc,
    " DESC"
);
