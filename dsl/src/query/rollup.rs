//! `GROUP BY ROLLUP (a, b)` and `GROUP BY CUBE (a, b)`: groups plus subtotal rows, in which
//! the keys summed over read NULL.
//!
//! Given to `.group_by(..)` as the whole grouping: `group_by(rollup((year, region)))`. The
//! keys are looked up as ordinary GROUP BY keys (a column covered by a grouped primary key
//! is grouped), but every column and key the query reads becomes nullable, since a subtotal
//! row holds NULL where a key was rolled up. ROLLUP runs on PostgreSQL and MySQL/MariaDB
//! (written `GROUP BY a, b WITH ROLLUP` there), CUBE on PostgreSQL; a backend without them
//! does not compile the query.

use crate::backend::{BindSink, SqlWriter, SupportsCube, SupportsRollup};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, QueryFragment};

use super::scope::{GroupKeys, PlainGrouping, SubtotalGrouping};

/// `ROLLUP (keys)`: the groups of every leading part of the keys, down to the grand total.
/// See the [module documentation](self).
pub fn rollup<K: GroupKeys<Kind = PlainGrouping>>(keys: K) -> Rollup<K> {
    Rollup(keys)
}

/// `CUBE (keys)`: the groups of every combination of the keys (PostgreSQL).
pub fn cube<K: GroupKeys<Kind = PlainGrouping>>(keys: K) -> Cube<K> {
    Cube(keys)
}

/// See [`rollup`].
#[derive(Debug, Clone, Copy)]
pub struct Rollup<K>(K);

/// See [`cube`].
#[derive(Debug, Clone, Copy)]
pub struct Cube<K>(K);

macro_rules! subtotal_grouping {
    ($($ty:ident),*) => {$(
        impl<K: GroupKeys> GroupKeys for $ty<K> {
            type List = K::List;
            type Kind = SubtotalGrouping;
        }

        impl<K: AppearsIn<QS, I>, QS, I> AppearsIn<QS, I> for $ty<K> {
            type Nullability = K::Nullability;
            type Aggregation = K::Aggregation;
            type SqlRow = K::SqlRow;
        }
    )*};
}

subtotal_grouping!(Rollup, Cube);

impl<K: QueryFragment<DB>, DB: SupportsRollup> QueryFragment<DB> for Rollup<K> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        if DB::ROLLUP_AS_SUFFIX {
            self.0.to_sql(out);
            out.push_sql(" WITH ROLLUP");
        } else {
            out.push_sql("ROLLUP (");
            self.0.to_sql(out);
            out.push_sql(")");
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

impl<K: QueryFragment<DB>, DB: SupportsCube> QueryFragment<DB> for Cube<K> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("CUBE (");
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
