//! `GROUP BY ROLLUP (a, b)`, `GROUP BY CUBE (a, b)` and `GROUP BY GROUPING SETS (…)`: groups
//! plus subtotal rows, in which the keys summed over read NULL; `GROUPING(key)` tells those
//! NULLs from a key's own.
//!
//! Given to `.group_by(..)` as the whole grouping: `group_by(rollup((year, region)))`. The
//! keys are looked up as ordinary GROUP BY keys (a column covered by a grouped primary key
//! is grouped), but every column and key the query reads becomes nullable, since a subtotal
//! row holds NULL where a key was rolled up. ROLLUP runs on PostgreSQL and MySQL/MariaDB
//! (written `GROUP BY a, b WITH ROLLUP` there), CUBE on PostgreSQL; a backend without them
//! does not compile the query.

use crate::backend::{
    Backend, BindSink, SqlWriter, SupportsCube, SupportsGroupingSets, SupportsRollup,
};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::{AppearsIn, Expression, QueryFragment};
use crate::types::{Integer, NotNullable};

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

/// `GROUPING SETS (…)`: the groups of each set of keys, in one result (PostgreSQL). `keys` are
/// all the keys; each set names some of them by position (from 0), and `&[]` is the grand
/// total: `grouping_sets((year, region), &[&[0, 1], &[0], &[]])` is
/// `GROUPING SETS ((year, region), (year), ())`. A position past the keys is an
/// `InvalidQuery` error.
pub fn grouping_sets<K: GroupKeys<Kind = PlainGrouping>>(
    keys: K,
    sets: &'static [&'static [usize]],
) -> GroupingSets<K> {
    GroupingSets { keys, sets }
}

/// See [`grouping_sets`].
#[derive(Debug, Clone, Copy)]
pub struct GroupingSets<K> {
    keys: K,
    sets: &'static [&'static [usize]],
}

/// `GROUPING(key)`: 1 in a row where `key` was summed over (its NULL is a subtotal's), 0 where it
/// is grouped (PostgreSQL).
pub fn grouping<E: Expression>(key: E) -> Grouping<E> {
    Grouping(key)
}

/// See [`grouping`].
#[derive(Debug, Clone, Copy)]
pub struct Grouping<E>(E);

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

impl<K: GroupKeys> GroupKeys for GroupingSets<K> {
    type List = K::List;
    type Kind = SubtotalGrouping;
}

impl<K: AppearsIn<QS, I>, QS, I> AppearsIn<QS, I> for GroupingSets<K> {
    type Nullability = K::Nullability;
    type Aggregation = K::Aggregation;
    type SqlRow = K::SqlRow;
}

/// The keys of a grouping, one by position: what [`grouping_sets`] writes each set from.
pub trait KeysByPosition<DB: Backend> {
    /// How many keys there are.
    const COUNT: usize;
    /// Writes the key at `position`.
    fn write_key(&self, position: usize, out: &mut SqlWriter<DB>);
    /// Binds the values of the key at `position`.
    fn key_binds<'a>(&'a self, position: usize, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
}

impl<E: Expression + QueryFragment<DB>, DB: Backend> KeysByPosition<DB> for E {
    const COUNT: usize = 1;
    fn write_key(&self, _: usize, out: &mut SqlWriter<DB>) {
        self.to_sql(out);
    }
    fn key_binds<'a>(&'a self, _: usize, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.collect_binds(out)
    }
}

macro_rules! keys_by_position {
    ($($T:ident $I:ident $idx:tt),+) => {
        impl<DB: Backend, $($T: Expression + QueryFragment<DB>),+> KeysByPosition<DB> for ($($T,)+) {
            const COUNT: usize = [$($idx),+].len();
            fn write_key(&self, position: usize, out: &mut SqlWriter<DB>) {
                match position {
                    $($idx => self.$idx.to_sql(out),)+
                    _ => {}
                }
            }
            fn key_binds<'a>(&'a self, position: usize, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                match position {
                    $($idx => self.$idx.collect_binds(out),)+
                    _ => Ok(()),
                }
            }
        }
    };
}

crate::for_each_tuple!(keys_by_position);

impl<K: KeysByPosition<DB>, DB: SupportsGroupingSets> QueryFragment<DB> for GroupingSets<K> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("GROUPING SETS (");
        for (i, set) in self.sets.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_sql("(");
            for (j, &position) in set.iter().enumerate() {
                if j > 0 {
                    out.push_sql(", ");
                }
                self.keys.write_key(position, out);
            }
            out.push_sql(")");
        }
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if self.sets.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                "GROUPING SETS needs at least one set",
            ));
        }
        for set in self.sets {
            for &position in *set {
                if position >= K::COUNT {
                    return Err(Error::new(
                        ErrorKind::InvalidQuery,
                        format!(
                            "a grouping set names key {position}, but there are {} keys (positions from 0)",
                            K::COUNT
                        ),
                    ));
                }
                self.keys.key_binds(position, out)?;
            }
        }
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        // The sets are values, not part of the type.
        false
    }
}

impl<E: Expression> Expression for Grouping<E> {
    type SqlType = Integer;
}

impl<E: AppearsIn<QS, I>, QS, I> AppearsIn<QS, I> for Grouping<E> {
    type Nullability = NotNullable;
    type Aggregation = E::Aggregation;
    type SqlRow = Integer;
}

crate::expression::call_fragment!(Grouping, SupportsGroupingSets, "GROUPING(");

crate::__impl_as_expression!([E] Grouping<E>);
crate::__impl_arithmetic!([E] Grouping<E>);

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

crate::expression::call_fragment!(Cube, SupportsCube, "CUBE (");
