use philtre::QueryResult;
use philtre::backend::{
    Backend, ConcatStyle, PlaceholderStyle, SupportsConflictTarget, SupportsDistinctOn,
    SupportsIlike, SupportsIsolationLevels, SupportsReturning, SupportsRowLocking,
    SupportsShareLockModifiers, SupportsUpsert,
};
use philtre::expression::LiteralValue;
use philtre::schema::TypeKind;
use tokio_postgres::types::{FromSql, IsNull, Kind, ToSql, Type};

/// The PostgreSQL dialect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pg;

/// A value to bind: borrowed from the query wherever possible.
#[derive(Debug)]
pub enum PgBind<'a> {
    /// A value the driver can send as it is.
    Value(&'a (dyn ToSql + Sync)),
    /// Text borrowed from a `&str`.
    Text(&'a str),
    /// Bytes borrowed from a `&[u8]`.
    Bytes(&'a [u8]),
    /// A value converted for the driver (owned).
    Owned(Box<dyn ToSql + Send + Sync + 'a>),
}

impl PgBind<'_> {
    /// The value as the driver takes it.
    pub fn as_to_sql(&self) -> &(dyn ToSql + Sync) {
        match self {
            PgBind::Value(v) => *v,
            PgBind::Text(s) => s,
            PgBind::Bytes(b) => b,
            PgBind::Owned(v) => v.as_ref(),
        }
    }
}

/// Bind values sent as one PostgreSQL array (`key = ANY($1)`), each element encoded by its own
/// conversion; the array's element type comes from the parameter's type.
#[derive(Debug)]
struct BindArray<'a>(Vec<PgBind<'a>>);

impl ToSql for BindArray<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use bytes::BufMut;
        let Kind::Array(member) = ty.kind() else {
            return Err(format!("a list of keys needs an array parameter, not `{ty}`").into());
        };
        let length = i32::try_from(self.0.len()).map_err(|_| "too many keys for one array")?;
        // PostgreSQL's binary array: dimensions, has-NULL flag, element type, then the one
        // dimension's length and lower bound, then each element as length + bytes.
        out.put_i32(1);
        let null_flag_at = out.len();
        out.put_i32(0);
        out.put_u32(member.oid());
        out.put_i32(length);
        out.put_i32(1);
        for element in &self.0 {
            let length_at = out.len();
            out.put_i32(0);
            let written = match element.as_to_sql().to_sql_checked(member, out)? {
                IsNull::Yes => {
                    out[null_flag_at..null_flag_at + 4].copy_from_slice(&1i32.to_be_bytes());
                    -1
                }
                IsNull::No => i32::try_from(out.len() - length_at - 4)
                    .map_err(|_| "an array element over 2 GiB")?,
            };
            out[length_at..length_at + 4].copy_from_slice(&written.to_be_bytes());
        }
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        matches!(ty.kind(), Kind::Array(_))
    }

    tokio_postgres::types::to_sql_checked!();
}

/// A non-NULL value of a result row, in PostgreSQL's binary format, with its column type.
#[derive(Debug, Clone, Copy)]
pub struct PgValue<'a> {
    /// The column's type.
    pub ty: &'a Type,
    /// The raw bytes.
    pub raw: &'a [u8],
}

/// The raw bytes of any column, taken from the driver without conversion.
struct RawBytes<'a>(&'a [u8]);

impl<'a> FromSql<'a> for RawBytes<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawBytes(raw))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

impl Backend for Pg {
    const NAME: &'static str = "PostgreSQL";
    const PLACEHOLDER: PlaceholderStyle = PlaceholderStyle::DollarNumber;
    const CONCAT: ConcatStyle = ConcatStyle::PipesOperator;
    const DEFAULT_IN_VALUES: bool = true;
    // CURRENT_TIMESTAMP is `timestamptz` in PostgreSQL.
    const LOCAL_TIMESTAMP: &'static str = "LOCALTIMESTAMP";
    const LOCAL_TIME: &'static str = "LOCALTIME";
    const EXTREMES: philtre::backend::Extremes = philtre::backend::Extremes::SkipNulls;
    const ROUND_DIGITS_NEEDS_NUMERIC: bool = true;
    const MAX_BIND_PARAMETERS: usize = 65_535;
    const BATCH_UPDATE: philtre::backend::BatchUpdate = philtre::backend::BatchUpdate::FromValues;
    const ARRAY_KEY_LISTS: bool = true;
    const ROW_KEY_LISTS_AS_VALUES: bool = true;
    type BindValue<'a> = PgBind<'a>;
    type RawValue<'a> = PgValue<'a>;
    type Row<'a> = tokio_postgres::Row;

    fn cast_type_name(kind: TypeKind) -> &'static str {
        match kind {
            TypeKind::Binary => "BYTEA",
            TypeKind::Uuid => "UUID",
            TypeKind::Json => "JSON",
            TypeKind::Jsonb => "JSONB",
            other => philtre::backend::standard_cast_type_name(other),
        }
    }

    fn array_bind<'a>(
        elements: Vec<Self::BindValue<'a>>,
        _: TypeKind,
    ) -> Option<Self::BindValue<'a>> {
        Some(PgBind::Owned(Box::new(BindArray(elements))))
    }

    fn limit_value(count: &i64) -> PgBind<'_> {
        PgBind::Value(count)
    }

    #[inline(always)]
    fn column_value<'r>(
        row: &'r tokio_postgres::Row,
        index: usize,
    ) -> QueryResult<Option<PgValue<'r>>> {
        match row.try_get::<_, Option<RawBytes<'r>>>(index) {
            // `try_get` has checked the index.
            Ok(value) => Ok(value.map(|v| PgValue {
                ty: row.columns()[index].type_(),
                raw: v.0,
            })),
            Err(e) => Err(column_value_error(row, index, e)),
        }
    }

    fn column_name(row: &tokio_postgres::Row, index: usize) -> String {
        row.columns()
            .get(index)
            .map_or_else(|| format!("#{index}"), |c| c.name().to_owned())
    }

    fn debug_bind(value: &PgBind<'_>) -> String {
        format!("{:?}", value.as_to_sql())
    }

    /// A literal keeps the SQL type the bound value would have had: `7::int8`, `0.5::float8`.
    fn push_literal(out: &mut String, value: LiteralValue, kind: TypeKind) {
        value.write(out);
        let cast = match (value, kind) {
            (LiteralValue::Integer(_) | LiteralValue::Unsigned(_), TypeKind::SmallInt) => "::int2",
            (LiteralValue::Integer(_) | LiteralValue::Unsigned(_), TypeKind::BigInt) => "::int8",
            (LiteralValue::Float(_), TypeKind::Float) => "::float4",
            (LiteralValue::Float(_), TypeKind::Double) => "::float8",
            _ => "",
        };
        out.push_str(cast);
    }
}

#[diagnostic::do_not_recommend]
impl SupportsReturning for Pg {}
#[diagnostic::do_not_recommend]
impl SupportsUpsert for Pg {}
#[diagnostic::do_not_recommend]
impl SupportsConflictTarget for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsConflictOnConstraint for Pg {}
#[diagnostic::do_not_recommend]
impl SupportsIlike for Pg {}
#[diagnostic::do_not_recommend]
impl SupportsDistinctOn for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsFullJoin for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsArrays for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsIntervals for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsJsonb for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsJsonAccess for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsQuantifiedComparison for Pg {}
#[diagnostic::do_not_recommend]
impl SupportsRowLocking for Pg {}
#[diagnostic::do_not_recommend]
impl SupportsShareLockModifiers for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsLockingOf for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsRollup for Pg {}

/// `nextval('"name"')`: the name as a quoted identifier inside a string literal, so its case and
/// any odd characters are kept.
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsSequences for Pg {
    fn push_next_value(out: &mut philtre::backend::SqlWriter<Self>, name: &str) {
        let mut quoted = String::new();
        <Pg as philtre::backend::Backend>::push_identifier(&mut quoted, name);
        out.push_sql("nextval('");
        out.push_sql(&quoted.replace('\'', "''"));
        out.push_sql("')");
    }
}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsCube for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsGroupingSets for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsOrderedSetAggregates for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsLateral for Pg {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsDataModifyingCte for Pg {}

#[diagnostic::do_not_recommend]
impl SupportsIsolationLevels for Pg {}

/// The error of a column that could not be taken from the row: one past its end (a row
/// narrower than the Rust type reading it) or refused by the driver; out of line, off the hot
/// path.
#[cold]
#[inline(never)]
fn column_value_error(
    row: &tokio_postgres::Row,
    index: usize,
    e: tokio_postgres::Error,
) -> philtre::Error {
    match row.columns().get(index) {
        Some(column) => philtre::Error::deserialization(column.name(), e),
        None => philtre::Error::deserialization(
            &format!("#{index}"),
            "the query returned fewer columns than the Rust type reads",
        ),
    }
}
