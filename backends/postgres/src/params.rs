//! Parameter types: what the server infers for each placeholder, and what philtre knows.

use philtre::QueryResult;
use philtre::backend::BindSink;
use philtre::expression::QueryFragment;
use philtre::schema::TypeKind;
use tokio_postgres::Statement;
use tokio_postgres::types::Type;
use tokio_postgres::types::private::BytesMut;

use crate::{Pg, PgBind};

/// The most bound values one statement can carry: the protocol counts them in 16 bits.
pub(crate) const MAX_PARAMETERS: usize = 65_535;

/// The parameter types to prepare `stmt` with again, or `None` when every value can be sent as
/// the type the server inferred. Where it cannot (the server types a bound `1` in a select list,
/// a CASE branch or COALESCE as `text`), the query's own SQL type for that value takes the
/// inferred type's place; the others keep theirs.
pub(crate) fn retyped_parameters<Q: QueryFragment<Pg>>(
    stmt: &Statement,
    query: &Q,
    binds: &[PgBind<'_>],
) -> QueryResult<Option<Vec<Type>>> {
    let mut scratch = BytesMut::new();
    let mut refused = binds.iter().zip(stmt.params()).map(|(bind, ty)| {
        scratch.clear();
        bind.as_to_sql().to_sql_checked(ty, &mut scratch).is_err()
    });
    if !refused.any(|r| r) {
        return Ok(None);
    }
    let mut kinds = SqlTypes(Vec::with_capacity(binds.len()));
    query.collect_binds(&mut kinds)?;
    let mut types = stmt.params().to_vec();
    let mut changed = false;
    for ((ty, bind), kind) in types.iter_mut().zip(binds).zip(&kinds.0) {
        scratch.clear();
        if bind.as_to_sql().to_sql_checked(ty, &mut scratch).is_ok() {
            continue;
        }
        if let Some(known) = kind.and_then(pg_type) {
            *ty = known;
            changed = true;
        }
    }
    Ok(changed.then_some(types))
}

/// The query's own SQL type for every bound value, when it knows them all: what a statement is
/// prepared with when the server cannot infer its parameters' types by itself (`$1 * $2` of
/// two `lit(..)`s: "operator is not unique: unknown * unknown").
pub(crate) fn declared_parameters<Q: QueryFragment<Pg>>(
    query: &Q,
) -> QueryResult<Option<Vec<Type>>> {
    let mut kinds = SqlTypes(Vec::new());
    query.collect_binds(&mut kinds)?;
    Ok(kinds
        .0
        .into_iter()
        .map(|kind| kind.and_then(pg_type))
        .collect())
}

/// Records the SQL type of each bound value (`None` where the query does not say).
struct SqlTypes(Vec<Option<TypeKind>>);

impl<'a> BindSink<'a, Pg> for SqlTypes {
    fn push_value(&mut self, _: PgBind<'a>) -> QueryResult<()> {
        self.0.push(None);
        Ok(())
    }
    fn push_bound(&mut self, _: PgBind<'a>, sql_type: TypeKind, _: bool) -> QueryResult<()> {
        self.0.push(Some(sql_type));
        Ok(())
    }
}

/// PostgreSQL's type for an SQL type philtre knows by name; `None` for types of the user's
/// own (an enum, a domain), which the server is left to infer.
pub(crate) fn pg_type(kind: TypeKind) -> Option<Type> {
    Some(match kind {
        TypeKind::Bool => Type::BOOL,
        TypeKind::SmallInt => Type::INT2,
        TypeKind::Integer => Type::INT4,
        TypeKind::BigInt => Type::INT8,
        TypeKind::Float => Type::FLOAT4,
        TypeKind::Double => Type::FLOAT8,
        TypeKind::Text => Type::TEXT,
        TypeKind::Binary => Type::BYTEA,
        TypeKind::Date => Type::DATE,
        TypeKind::Time => Type::TIME,
        TypeKind::Timestamp => Type::TIMESTAMP,
        TypeKind::Timestamptz => Type::TIMESTAMPTZ,
        TypeKind::Numeric => Type::NUMERIC,
        TypeKind::Uuid => Type::UUID,
        TypeKind::Json => Type::JSON,
        TypeKind::Jsonb => Type::JSONB,
        TypeKind::Interval => Type::INTERVAL,
        TypeKind::Inet => Type::INET,
        TypeKind::Array(element) => match element {
            TypeKind::Bool => Type::BOOL_ARRAY,
            TypeKind::SmallInt => Type::INT2_ARRAY,
            TypeKind::Integer => Type::INT4_ARRAY,
            TypeKind::BigInt => Type::INT8_ARRAY,
            TypeKind::Float => Type::FLOAT4_ARRAY,
            TypeKind::Double => Type::FLOAT8_ARRAY,
            TypeKind::Text => Type::TEXT_ARRAY,
            TypeKind::Binary => Type::BYTEA_ARRAY,
            TypeKind::Date => Type::DATE_ARRAY,
            TypeKind::Time => Type::TIME_ARRAY,
            TypeKind::Timestamp => Type::TIMESTAMP_ARRAY,
            TypeKind::Timestamptz => Type::TIMESTAMPTZ_ARRAY,
            TypeKind::Numeric => Type::NUMERIC_ARRAY,
            TypeKind::Uuid => Type::UUID_ARRAY,
            TypeKind::Json => Type::JSON_ARRAY,
            TypeKind::Jsonb => Type::JSONB_ARRAY,
            TypeKind::Interval => Type::INTERVAL_ARRAY,
            TypeKind::Inet => Type::INET_ARRAY,
            _ => return None,
        },
        _ => return None,
    })
}
