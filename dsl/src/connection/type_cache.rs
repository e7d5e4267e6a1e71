//! A map keyed by query type, for the per-connection caches of SQL text and statements.

use std::any::TypeId;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map from a query's type to what the connection keeps for it.
///
/// Looked up on every query, so it skips SipHash: a `TypeId` is itself a hash of the type,
/// and hashing it again only costs time.
pub type TypeIdMap<V> = HashMap<TypeId, V, BuildHasherDefault<TypeIdHasher>>;

/// The hasher of [`TypeIdMap`]: keeps the bits a `TypeId` writes.
#[derive(Debug, Default, Clone, Copy)]
pub struct TypeIdHasher(u64);

impl Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not used by `TypeId` today; folds any bytes so the hasher stays correct if it is.
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = self.0.rotate_left(5) ^ u64::from_le_bytes(word);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(5) ^ n;
    }

    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64 ^ (n >> 64) as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_types_are_distinct_keys() {
        let mut map: TypeIdMap<&str> = TypeIdMap::default();
        map.insert(TypeId::of::<u8>(), "u8");
        map.insert(TypeId::of::<String>(), "String");
        map.insert(TypeId::of::<Vec<u8>>(), "Vec<u8>");
        assert_eq!(map.get(&TypeId::of::<u8>()), Some(&"u8"));
        assert_eq!(map.get(&TypeId::of::<Vec<u8>>()), Some(&"Vec<u8>"));
        assert_eq!(map.get(&TypeId::of::<u16>()), None);
    }
}

/// The SQL text a connection has rendered: by statement type when the type fixes the SQL, and
/// by type and [`SqlShape`](crate::expression::SqlShape) when counts do too (a multi-row
/// INSERT, an `IN` list). The second map is bounded, as shapes can be many.
#[derive(Debug, Default)]
pub struct SqlCache {
    by_type: TypeIdMap<std::sync::Arc<str>>,
    by_shape: HashMap<(TypeId, u64), std::sync::Arc<str>, BuildHasherDefault<TypeIdHasher>>,
    schema_map: crate::schema::SharedSchemaMap,
}

/// How [`SqlCache::sql_for`] found a statement's SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlSource {
    /// Cached by type.
    Type,
    /// Cached by type and shape.
    Shape,
    /// Rendered now.
    Rendered,
}

impl SqlCache {
    /// Shapes kept before the shape map is emptied.
    const MAX_SHAPES: usize = 256;

    /// Renders tables' schemas through `map` from now on; the SQL cached so far is forgotten,
    /// since it names the schemas of before.
    pub fn set_schema_map(&mut self, map: Option<crate::schema::SchemaTranslateMap>) {
        self.schema_map = map.map(std::sync::Arc::new);
        self.by_type.clear();
        self.by_shape.clear();
    }

    /// The schema translate map in use, if any.
    pub fn schema_map(&self) -> crate::schema::SharedSchemaMap {
        self.schema_map.clone()
    }

    /// The SQL of `query`, whose type is `key` (`typeid::of::<Q>()`), rendered only when no
    /// cached text fits.
    pub fn sql_for<Q, DB>(&mut self, key: TypeId, query: &Q) -> (std::sync::Arc<str>, SqlSource)
    where
        Q: crate::expression::QueryFragment<DB> + ?Sized,
        DB: crate::backend::Backend,
    {
        let render = || {
            let mut out =
                crate::backend::SqlWriter::<DB>::new().with_schema_map(self.schema_map.clone());
            query.to_sql(&mut out);
            std::sync::Arc::<str>::from(out.finish())
        };
        if query.has_static_sql() {
            if let Some(sql) = self.by_type.get(&key) {
                return (std::sync::Arc::clone(sql), SqlSource::Type);
            }
            let sql = render();
            self.by_type.insert(key, std::sync::Arc::clone(&sql));
            return (sql, SqlSource::Rendered);
        }
        let mut shape = crate::expression::SqlShape::new();
        if !query.sql_shape(&mut shape) {
            return (render(), SqlSource::Rendered);
        }
        let shaped = (key, shape.value());
        if let Some(sql) = self.by_shape.get(&shaped) {
            return (std::sync::Arc::clone(sql), SqlSource::Shape);
        }
        if self.by_shape.len() >= Self::MAX_SHAPES {
            self.by_shape.clear();
        }
        let sql = render();
        self.by_shape.insert(shaped, std::sync::Arc::clone(&sql));
        (sql, SqlSource::Rendered)
    }
}
