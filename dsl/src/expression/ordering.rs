use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;

use super::{AppearsIn, QueryFragment};

/// One `ORDER BY` key or a tuple of them: an expression (ascending), [`Asc`] or [`Desc`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used in ORDER BY",
    label = "expected a column or expression, `.asc()`, `.desc()`, or a tuple of those"
)]
pub trait OrderTerm<FromList, Index> {
    /// Whether the terms aggregate (see [`AppearsIn::Aggregation`]).
    type Aggregation: super::Aggregation;
}

/// A single ORDER BY key: any expression, or one with `.asc()` / `.desc()`.
pub trait OrderKey {}
impl<E: super::Expression> OrderKey for E {}

impl<K, QS, I> OrderTerm<QS, I> for K
where
    K: OrderKey + AppearsIn<QS, I>,
{
    type Aggregation = K::Aggregation;
}

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
            /// `… NULLS FIRST`: rows whose key is NULL come before the others.
            pub fn nulls_first(self) -> NullsPlaced<Self, true> {
                NullsPlaced { key: self }
            }
            /// `… NULLS LAST`: rows whose key is NULL come after the others.
            pub fn nulls_last(self) -> NullsPlaced<Self, false> {
                NullsPlaced { key: self }
            }
        }
        impl<E> Directed for $name<E> {
            type Expr = E;
            fn expr(&self) -> &E {
                &self.expr
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

/// An ORDER BY key with a direction ([`Asc`], [`Desc`]), whose expression
/// [`NullsPlaced`] writes again where the backend has no `NULLS FIRST`.
pub trait Directed {
    /// The ordered expression.
    type Expr;
    /// It.
    fn expr(&self) -> &Self::Expr;
}

/// `key NULLS FIRST` (`FIRST` true) or `key NULLS LAST`: made by `.nulls_first()` /
/// `.nulls_last()` on [`Asc`] and [`Desc`]. Where the backend has no such clause (MySQL,
/// MariaDB) it is written `expr IS NULL DESC, key` (first) or `expr IS NULL, key` (last), which
/// orders the same.
#[derive(Debug, Clone, Copy)]
pub struct NullsPlaced<Key, const FIRST: bool> {
    key: Key,
}

impl<Key, const FIRST: bool> OrderKey for NullsPlaced<Key, FIRST> {}

impl<Key: AppearsIn<QS, I>, QS, I, const FIRST: bool> AppearsIn<QS, I> for NullsPlaced<Key, FIRST> {
    type Nullability = Key::Nullability;
    type Aggregation = Key::Aggregation;
    type SqlRow = ();
}

impl<Key, DB, const FIRST: bool> QueryFragment<DB> for NullsPlaced<Key, FIRST>
where
    DB: Backend,
    Key: Directed + QueryFragment<DB>,
    Key::Expr: QueryFragment<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        if DB::NULLS_ORDERING {
            self.key.to_sql(out);
            out.push_sql(if FIRST { " NULLS FIRST" } else { " NULLS LAST" });
        } else {
            // `IS NULL` is 1 for NULL, 0 otherwise: descending puts NULLs first.
            self.key.expr().to_sql(out);
            out.push_sql(if FIRST {
                " IS NULL DESC, "
            } else {
                " IS NULL, "
            });
            self.key.to_sql(out);
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if !DB::NULLS_ORDERING {
            self.key.expr().collect_binds(out)?;
        }
        self.key.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.key.has_static_sql()
    }
}
