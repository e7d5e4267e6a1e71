//! Key values: how the loader reads a key column, matches parents with children, and sends a
//! list of keys back in the next query.

use std::fmt::Debug;
use std::hash::Hash;
use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{QueryFragment, SqlShape};
use crate::schema::TypeKind;
use crate::types::{self, Nullable, SqlType, ToSql};

/// An SQL type that can be a relationship's key: the loader reads it, hashes it to match
/// children with parents, and binds it again in the next query.
///
/// Implemented for the integer types, `Text` and `Uuid` (with the `uuid` feature), and for
/// `Nullable` of each (a NULL foreign key matches nothing). Implement it for a key type of your
/// own by naming the Rust type that holds it.
#[diagnostic::on_unimplemented(
    message = "a relationship cannot use a key of SQL type `{Self}`",
    label = "the loader cannot match rows on this type",
    note = "keys of type SmallInt, Integer, BigInt (and Unsigned of them), Text and Uuid are supported; implement `philtre::orm::KeyType` for others"
)]
pub trait KeyType: SqlType {
    /// The Rust value of a (non-NULL) key.
    type Key: Eq + Hash + Clone + Debug + Default + Send + Sync + 'static;
    /// What the column reads into: `Key`, or `Option<Key>` for a nullable column.
    type Read: Default;
    /// The key a read value stands for; `None` for NULL.
    fn key(read: Self::Read) -> Option<Self::Key>;
    /// The SQL type of an array of keys (PostgreSQL binds the keys as one array).
    const ARRAY_KIND: TypeKind;
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
            const ARRAY_KIND: TypeKind = TypeKind::Array(&<$st as SqlType>::KIND);
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
    Nullable<ST>: SqlType,
{
    type Key = ST::Key;
    type Read = Option<ST::Key>;
    #[inline]
    fn key(read: Option<ST::Key>) -> Option<ST::Key> {
        read
    }
    const ARRAY_KIND: TypeKind = ST::ARRAY_KIND;
}

/// The Rust value of a key of column (or expression) type `ST`, NULL removed.
pub type KeyOf<ST> = <ST as KeyType>::Key;

/// `column IN (k1, k2, …)`, or on a backend with array parameters `column IN (SELECT
/// unnest($1))` with one array bind: the statement text is then the same for any number of
/// keys, so it is prepared once.
#[derive(Debug, Clone)]
pub struct KeyIn<E, ST: KeyType> {
    pub(crate) column: E,
    pub(crate) keys: Vec<KeyOf<ST>>,
    _type: PhantomData<fn() -> ST>,
}

impl<E, ST: KeyType> KeyIn<E, ST> {
    /// `column` matched against `keys` (which must not be empty: an empty list is never sent).
    pub(crate) fn new(column: E, keys: Vec<KeyOf<ST>>) -> Self {
        KeyIn {
            column,
            keys,
            _type: PhantomData,
        }
    }
}

impl<E, ST, DB> QueryFragment<DB> for KeyIn<E, ST>
where
    E: QueryFragment<DB>,
    ST: KeyType,
    ST::Key: ToSql<ST::NotNull, DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.column.to_sql(out);
        if DB::ARRAY_KEY_LISTS {
            // Not `= ANY($1)`: once PostgreSQL switches a prepared statement to its generic
            // plan it searches such an array linearly for every row (3 ms for 5,000 rows and
            // 500 keys, measured), where `IN (SELECT unnest($1))` is a hash semi-join (0.7 ms).
            // The cast types the parameter: `unnest` alone could take any array.
            out.push_sql(" IN (SELECT unnest(CAST(");
            out.push_bind_param();
            out.push_sql(" AS ");
            out.push_sql(DB::cast_type_name(<ST::NotNull as SqlType>::KIND));
            out.push_sql("[])))");
            return;
        }
        out.push_sql(" IN (");
        for i in 0..self.keys.len() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param();
        }
        out.push_sql(")");
    }

    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.column.collect_binds(out)?;
        let kind = <ST::NotNull as SqlType>::KIND;
        if DB::ARRAY_KEY_LISTS {
            let mut elements = Vec::with_capacity(self.keys.len());
            for key in &self.keys {
                elements.push(key.to_sql()?);
            }
            return match DB::array_bind(elements, kind) {
                Some(array) => out.push_bound(array, ST::ARRAY_KIND, false),
                None => Err(crate::Error::new(
                    crate::ErrorKind::InvalidQuery,
                    format!("{} says it binds arrays but made none", DB::NAME),
                )),
            };
        }
        out.reserve(self.keys.len());
        for key in &self.keys {
            out.push_bound(key.to_sql()?, kind, false)?;
        }
        Ok(())
    }

    fn has_static_sql(&self) -> bool {
        false
    }

    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        // One array parameter: the text is the same for every count.
        shape.push(if DB::ARRAY_KEY_LISTS {
            1
        } else {
            self.keys.len()
        });
        self.column.sql_shape(shape)
    }
}

/// `column IN (SELECT philtre_keys.philtre_key FROM (<query>) AS philtre_keys)`: the keys of
/// the rows a query returns, without sending them back (subquery loading). The query is
/// wrapped in a derived table because MySQL refuses a LIMIT directly inside `IN (…)`.
#[derive(Debug, Clone)]
pub struct KeySubquery<E, Q> {
    pub(crate) column: E,
    pub(crate) query: Q,
}

impl<E, Q, DB> QueryFragment<DB> for KeySubquery<E, Q>
where
    E: QueryFragment<DB>,
    Q: QueryFragment<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.column.to_sql(out);
        out.push_sql(" IN (SELECT ");
        out.push_column("philtre_keys", crate::query::KEY_COLUMN);
        out.push_sql(" FROM (");
        self.query.to_sql(out);
        out.push_sql(") ");
        out.push_identifier("philtre_keys");
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.column.collect_binds(out)?;
        self.query.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.column.has_static_sql() && self.query.has_static_sql()
    }
    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        self.column.sql_shape(shape) && self.query.sql_shape(shape)
    }
}
