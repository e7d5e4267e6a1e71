//! Key values and key columns: how the loader reads a key (one column, or several for a
//! composite key), matches parents with children, and sends a list of keys back in the next
//! query.

use std::fmt::Debug;
use std::hash::Hash;
use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{QueryFragment, SqlShape};
use crate::schema::{Column, Table, TypeKind};
use crate::types::{self, Nullable, SqlType, ToSql};

/// The SQL type of a relationship's key (a column's type, or a tuple of them for a composite
/// key): the loader reads it, hashes it to match children with parents, and binds it again in
/// the next query.
///
/// Implemented for the integer types, `Text` and `Uuid` (with the `uuid` feature), for
/// `Nullable` of each (a NULL foreign key matches nothing), and for tuples of them (composite
/// keys). Implement it for a key type of your own by naming the Rust type that holds it.
#[diagnostic::on_unimplemented(
    message = "a relationship cannot use a key of SQL type `{Self}`",
    label = "the loader cannot match rows on this type",
    note = "keys of type SmallInt, Integer, BigInt (and Unsigned of them), Text and Uuid, and tuples of them, are supported; implement `philtre::orm::KeyType` for others"
)]
pub trait KeyType {
    /// The Rust value of a (non-NULL) key.
    type Key: Eq + Hash + Clone + Debug + Default + Send + Sync + 'static;
    /// What the column reads into: `Key`, or `Option<Key>` for a nullable column.
    type Read: Default + Send;
    /// The key a read value stands for; `None` for NULL (any part NULL, for a composite key).
    fn key(read: Self::Read) -> Option<Self::Key>;
    /// How many columns the key spans.
    const WIDTH: usize = 1;
    /// The SQL type of one key column, for binding a list of keys as one array (PostgreSQL);
    /// `None` for a composite key, whose lists are written as row values.
    const ELEMENT_KIND: Option<TypeKind>;
    /// The SQL type of an array of keys, when [`KeyType::ELEMENT_KIND`] is `Some`.
    const ARRAY_KIND: TypeKind = TypeKind::Integer;
}

/// Binds key values of SQL type `Self` on backend `DB`.
pub trait BindKey<DB: Backend>: KeyType {
    /// Hands each column's value of `key` to `out`.
    fn bind_key<'a>(key: &'a Self::Key, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
}

macro_rules! key_types {
    ($($st:ty => $rust:ty,)*) => {$(
        impl KeyType for $st {
            type Key = $rust;
            type Read = $rust;
            #[inline]
            fn key(read: $rust) -> Option<$rust> {
                Some(read)
            }
            const ELEMENT_KIND: Option<TypeKind> = Some(<$st as SqlType>::KIND);
            const ARRAY_KIND: TypeKind = TypeKind::Array(&<$st as SqlType>::KIND);
        }

        impl<DB: Backend> BindKey<DB> for $st
        where
            $rust: ToSql<$st, DB>,
        {
            #[inline]
            fn bind_key<'a>(key: &'a $rust, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                out.push_bound(key.to_sql()?, <$st as SqlType>::KIND, false)
            }
        }
    )*};
}

key_types! {
    types::SmallInt => i16,
    types::Integer => i32,
    types::BigInt => i64,
    types::Unsigned<types::SmallInt> => u16,
    types::Unsigned<types::Integer> => u32,
    types::Unsigned<types::BigInt> => u64,
    types::Text => String,
}

#[cfg(feature = "uuid")]
key_types! {
    types::Uuid => uuid::Uuid,
}

impl<ST> KeyType for Nullable<ST>
where
    ST: KeyType<Read = <ST as KeyType>::Key>,
{
    type Key = ST::Key;
    type Read = Option<ST::Key>;
    #[inline]
    fn key(read: Option<ST::Key>) -> Option<ST::Key> {
        read
    }
    const ELEMENT_KIND: Option<TypeKind> = ST::ELEMENT_KIND;
    const ARRAY_KIND: TypeKind = ST::ARRAY_KIND;
}

impl<ST, DB: Backend> BindKey<DB> for Nullable<ST>
where
    ST: BindKey<DB> + KeyType<Read = <ST as KeyType>::Key>,
{
    #[inline]
    fn bind_key<'a>(key: &'a ST::Key, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        ST::bind_key(key, out)
    }
}

macro_rules! tuple_keys {
    ($($T:ident $idx:tt),+) => {
        impl<$($T: KeyType),+> KeyType for ($($T,)+) {
            type Key = ($($T::Key,)+);
            type Read = ($($T::Read,)+);
            #[inline]
            #[allow(non_snake_case)]
            fn key(read: Self::Read) -> Option<Self::Key> {
                Some(($($T::key(read.$idx)?,)+))
            }
            const WIDTH: usize = 0 $(+ $T::WIDTH)+;
            const ELEMENT_KIND: Option<TypeKind> = None;
        }

        impl<DB: Backend, $($T: BindKey<DB>),+> BindKey<DB> for ($($T,)+) {
            fn bind_key<'a>(key: &'a Self::Key, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                $($T::bind_key(&key.$idx, out)?;)+
                Ok(())
            }
        }
    };
}

tuple_keys!(A 0, B 1);
tuple_keys!(A 0, B 1, C 2);
tuple_keys!(A 0, B 1, C 2, D 3);

/// The Rust value of a key of SQL type `ST`, NULL removed.
pub type KeyOf<ST> = <ST as KeyType>::Key;

/// The column or columns of a relationship's key: a [`Column`], `Columns` of a tuple of
/// them, or the type `table!` generates for a composite foreign key.
pub trait KeyColumns: Copy + Default + 'static {
    /// The table they belong to.
    type Table: Table;
    /// The columns as a select list: the column, or a tuple of them.
    type Selection: Copy + Default + Send + Sync;
    /// Their SQL type: the column's, or a tuple of them.
    type SqlType;
    /// [`crate::types::IsNullable`] if any of them can be NULL.
    type Nullability: crate::types::Nullability;
    /// Their SQL names.
    const NAMES: &'static [&'static str];

    /// Writes `table.a, table.b`.
    fn write_list<DB: Backend>(out: &mut SqlWriter<DB>) {
        write_names::<DB>(Self::Table::DESCRIPTION.name, Self::NAMES, out);
    }

    /// Writes `table.a` for one column, `(table.a, table.b)` (a row value) for several.
    fn write_row<DB: Backend>(out: &mut SqlWriter<DB>) {
        if Self::NAMES.len() == 1 {
            Self::write_list(out);
        } else {
            out.push_sql("(");
            Self::write_list(out);
            out.push_sql(")");
        }
    }

    /// Writes `self.a = other.x AND self.b = other.y`.
    fn write_equal<Other: KeyColumns, DB: Backend>(out: &mut SqlWriter<DB>) {
        write_equal_names::<DB>(
            (Self::Table::DESCRIPTION.name, Self::NAMES),
            (Other::Table::DESCRIPTION.name, Other::NAMES),
            out,
        );
    }
}

/// Writes `table.a, table.b`.
pub(crate) fn write_names<DB: Backend>(table: &str, names: &[&str], out: &mut SqlWriter<DB>) {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_column(table, name);
    }
}

/// Writes `left.a = right.x AND left.b = right.y`.
pub(crate) fn write_equal_names<DB: Backend>(
    (left, left_names): (&str, &[&str]),
    (right, right_names): (&str, &[&str]),
    out: &mut SqlWriter<DB>,
) {
    for (i, (l, r)) in left_names.iter().zip(right_names).enumerate() {
        if i > 0 {
            out.push_sql(" AND ");
        }
        out.push_column(left, l);
        out.push_sql(" = ");
        out.push_column(right, r);
    }
}

impl<C: Column> KeyColumns for C {
    type Table = C::Table;
    type Selection = C;
    type SqlType = C::SqlType;
    type Nullability = <C::SqlType as SqlType>::Nullability;
    const NAMES: &'static [&'static str] = &[C::NAME];
}

/// Several columns of one table as one key, as a tuple: `(orders::id, orders::shop_id)` (a
/// composite primary key, or what a composite foreign key references).
macro_rules! tuple_columns {
    (@or $A:ident) => { <<$A as crate::expression::Expression>::SqlType as SqlType>::Nullability };
    (@or $A:ident $($rest:ident)+) => {
        <<<$A as crate::expression::Expression>::SqlType as SqlType>::Nullability as crate::types::Nullability>::Or<tuple_columns!(@or $($rest)+)>
    };
    ($($C:ident),+) => {
        impl<First: Column, $($C: Column<Table = First::Table>),+> KeyColumns for (First, $($C,)+) {
            type Table = First::Table;
            type Selection = (First, $($C,)+);
            type SqlType = (First::SqlType, $($C::SqlType,)+);
            type Nullability = tuple_columns!(@or First $($C)+);
            const NAMES: &'static [&'static str] = &[First::NAME, $($C::NAME),+];
        }
    };
}
tuple_columns!(B);
tuple_columns!(B, C);
tuple_columns!(B, C, D);

/// `key IN (k1, k2, …)`, for a composite key `(a, b) IN ((?, ?), …)` (on PostgreSQL `(a, b) IN
/// (VALUES (?, ?), …)`), the list padded to one of a few lengths so that few statement texts
/// are prepared; or, on a backend with array parameters, for a one-column key list longer than
/// one statement's bind parameters allow, `key IN (SELECT unnest(CAST($1 AS …[])))` with one
/// array bind.
#[derive(Debug, Clone)]
pub struct KeyIn<K, ST: KeyType> {
    pub(crate) keys: Vec<KeyOf<ST>>,
    _key: PhantomData<fn() -> (K, ST)>,
}

impl<K, ST: KeyType> KeyIn<K, ST> {
    /// The key columns `K` matched against `keys` (which must not be empty: an empty list is
    /// never sent).
    pub(crate) fn new(keys: Vec<KeyOf<ST>>) -> Self {
        KeyIn {
            keys,
            _key: PhantomData,
        }
    }

    /// The array element type, when the keys go as one array parameter: on a backend with
    /// array parameters, for a one-column key, when the list is longer than one statement's
    /// bind parameters allow (the loader does not split such lists).
    ///
    /// Shorter lists are written out: PostgreSQL plans `key IN ($1, …, $500)` with the values
    /// in hand (a hashed list over the rows, or an index scan), where it plans `IN (SELECT
    /// unnest($1))` once for any array — a hash join sized for 10 keys — 1.08–1.14× the time
    /// of the written-out list for 500 and 5,000 keys, measured (`bench/RESULTS.md`).
    fn array_element<DB: Backend>(&self) -> Option<TypeKind> {
        let limit = crate::connection::key_list_limit::<DB>();
        let array = ST::ELEMENT_KIND.is_some();
        ST::ELEMENT_KIND.filter(|_| limit.sends_array(self.keys.len(), ST::WIDTH, array))
    }

    /// How many keys the statement lists: the keys, padded by repeating the last one to the
    /// next of 1, 2, …, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, … (at most three significant
    /// binary digits, so at most a quarter more), capped at what one statement may bind. The
    /// text of a key-list query is prepared and cached per number of keys; padding keeps a
    /// relationship to four texts per doubling of the parent count instead of one per count.
    fn padded_len<DB: Backend>(&self) -> usize {
        let most = crate::connection::key_list_limit::<DB>().keys_per_statement(ST::WIDTH, false);
        padded_key_count(self.keys.len(), most)
    }
}

impl<K, ST, DB> QueryFragment<DB> for KeyIn<K, ST>
where
    K: KeyColumns,
    ST: BindKey<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        K::write_row(out);
        if let Some(element) = self.array_element::<DB>() {
            // Not `= ANY($1)`: once PostgreSQL switches a prepared statement to its generic
            // plan it searches such an array linearly for every row (3 ms for 5,000 rows and
            // 500 keys, measured), where `IN (SELECT unnest($1))` is a hash semi-join (0.7 ms).
            // The cast types the parameter: `unnest` alone could take any array.
            out.push_sql(" IN (SELECT unnest(CAST(");
            out.push_bind_param();
            out.push_sql(" AS ");
            out.push_sql(DB::cast_type_name(element));
            out.push_sql("[])))");
            return;
        }
        out.push_sql(if ST::WIDTH > 1 && DB::ROW_KEY_LISTS_AS_VALUES {
            " IN (VALUES "
        } else {
            " IN ("
        });
        for i in 0..self.padded_len::<DB>() {
            if i > 0 {
                out.push_sql(", ");
            }
            if ST::WIDTH == 1 {
                out.push_bind_param();
            } else {
                out.push_sql("(");
                for j in 0..ST::WIDTH {
                    if j > 0 {
                        out.push_sql(", ");
                    }
                    out.push_bind_param();
                }
                out.push_sql(")");
            }
        }
        out.push_sql(")");
    }

    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if let Some(element) = self.array_element::<DB>() {
            let mut elements: Vec<DB::BindValue<'a>> = Vec::with_capacity(self.keys.len());
            for key in &self.keys {
                ST::bind_key(key, &mut elements)?;
            }
            return match DB::array_bind(elements, element) {
                Some(array) => out.push_bound(array, ST::ARRAY_KIND, false),
                None => Err(crate::Error::new(
                    crate::ErrorKind::InvalidQuery,
                    format!("{} says it binds arrays but made none", DB::NAME),
                )),
            };
        }
        let padded = self.padded_len::<DB>();
        out.reserve(padded * ST::WIDTH);
        for key in &self.keys {
            ST::bind_key(key, out)?;
        }
        // The padding repeats the last key: a duplicate in `IN (…)` matches nothing more.
        if let Some(last) = self.keys.last() {
            for _ in self.keys.len()..padded {
                ST::bind_key(last, out)?;
            }
        }
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        false
    }

    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        // The text depends on the padded count, or is the same for every count of an array.
        shape.push(if self.array_element::<DB>().is_some() {
            0
        } else {
            self.padded_len::<DB>()
        });
        true
    }
}

/// `count` rounded up to at most three significant binary digits, capped at `most` (never
/// below `count`).
fn padded_key_count(count: usize, most: usize) -> usize {
    if count <= 8 {
        return count;
    }
    let top_bit = usize::BITS - 1 - count.leading_zeros();
    let step = 1usize << (top_bit - 2);
    (count.div_ceil(step) * step).min(most).max(count)
}

/// `key IN (SELECT philtre_keys.philtre_key0, … FROM (<query>) AS philtre_keys)`: the keys of
/// the rows a query returns, without sending them back (subquery loading). The query is
/// wrapped in a derived table because MySQL refuses a LIMIT directly inside `IN (…)`.
#[derive(Debug, Clone)]
pub struct KeySubquery<K, Q> {
    pub(crate) query: Q,
    pub(crate) _key: PhantomData<fn() -> K>,
}

impl<K, Q, DB> QueryFragment<DB> for KeySubquery<K, Q>
where
    K: KeyColumns,
    Q: QueryFragment<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        K::write_row(out);
        out.push_sql(" IN (SELECT ");
        for i in 0..K::NAMES.len() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_column("philtre_keys", &crate::query::key_column_name(i));
        }
        out.push_sql(" FROM (");
        self.query.to_sql(out);
        out.push_sql(") ");
        out.push_identifier("philtre_keys");
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.query.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.query.has_static_sql()
    }
    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        self.query.sql_shape(shape)
    }
}

#[cfg(test)]
mod tests {
    use super::padded_key_count;

    #[test]
    fn key_lists_are_padded_to_three_significant_binary_digits() {
        let padded: Vec<usize> = [1, 8, 9, 10, 11, 16, 17, 21, 500, 5_000]
            .iter()
            .map(|&count| padded_key_count(count, usize::MAX))
            .collect();
        assert_eq!(padded, [1, 8, 10, 10, 12, 16, 20, 24, 512, 5_120]);
        // Never more than a quarter more, never past the cap, never fewer than the keys.
        for count in 1..5_000 {
            let padded = padded_key_count(count, usize::MAX);
            assert!(
                padded >= count && padded * 4 <= count * 5,
                "{count} -> {padded}"
            );
        }
        assert_eq!(padded_key_count(29_000, 29_490), 29_490);
        assert_eq!(padded_key_count(29_490, 29_490), 29_490);
    }
}
