use philtre::QueryResult;
use philtre::backend::{
    Backend, ConcatStyle, PlaceholderStyle, SqlWriter, SupportsConflictTarget, SupportsReturning,
    SupportsUpsert,
};
use rusqlite::types::{ToSqlOutput, ValueRef};

/// The SQLite dialect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sqlite;

impl Backend for Sqlite {
    const NAME: &'static str = "SQLite";
    const PLACEHOLDER: PlaceholderStyle = PlaceholderStyle::Question;
    const CONCAT: ConcatStyle = ConcatStyle::PipesOperator;
    const DEFAULT_IN_VALUES: bool = false;
    const DATE_PARTS: philtre::backend::DatePartStyle = philtre::backend::DatePartStyle::Strftime;
    const DATE_TRUNCATION: philtre::backend::DateTruncation =
        philtre::backend::DateTruncation::Strftime;
    const POSITION_IN: bool = false;
    const DATE_DIFFERENCE: philtre::backend::DateDifference =
        philtre::backend::DateDifference::JulianDays;
    const PADDING: philtre::backend::Padding = philtre::backend::Padding::Substr;
    const JSON_ACCESS: philtre::backend::JsonAccess = philtre::backend::JsonAccess::PathArrows;
    const DATE_ARITHMETIC: philtre::backend::DateArithmetic =
        philtre::backend::DateArithmetic::Modifier;
    // `random()` is a 64-bit integer; its remainder by 10^15 scaled into [0, 1).
    const RANDOM: &'static str = "(abs(random() % 1000000000000000) / 1000000000000000.0)";
    const EXTREMES: philtre::backend::Extremes = philtre::backend::Extremes::NullIfAny {
        greatest: "MAX",
        least: "MIN",
    };
    const ROUND_NEGATIVE_DIGITS: bool = false;
    const ROW_IN_LIST_AS_VALUES: bool = true;
    const STRING_AGGREGATION: philtre::backend::StringAggregation =
        philtre::backend::StringAggregation::GroupConcat;
    const PARENTHESIZED_COMPOUNDS: bool = false;
    const GENERATED_KEYS: philtre::backend::GeneratedKeys =
        philtre::backend::GeneratedKeys::AboveMax;
    const BATCH_UPDATE: philtre::backend::BatchUpdate = philtre::backend::BatchUpdate::CteValues;
    type BindValue<'a> = ToSqlOutput<'a>;
    type RawValue<'a> = ValueRef<'a>;
    type Row<'a> = rusqlite::Row<'a>;

    // SQLite has no date and time types: `CAST(x AS DATE)` or `AS TIMESTAMP` would give the
    // NUMERIC affinity, turning '2024-05-01' into 2024. A date comes from `date(x)` (also the
    // date part of a timestamp); times and timestamps stay text as written, so a value of
    // another shape is an error when read, never a number. (`time(x)` and `datetime(x)`
    // would drop the fractional seconds.)
    fn cast_function(kind: philtre::schema::TypeKind) -> Option<&'static str> {
        (kind == philtre::schema::TypeKind::Date).then_some("date")
    }

    fn cast_type_name(kind: philtre::schema::TypeKind) -> &'static str {
        use philtre::schema::TypeKind as K;
        match kind {
            K::Time | K::Timestamp | K::Timestamptz => "TEXT",
            other => philtre::backend::standard_cast_type_name(other),
        }
    }

    fn limit_value(count: &i64) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(rusqlite::types::Value::Integer(*count))
    }

    #[inline]
    fn column_value<'r>(
        row: &'r rusqlite::Row<'_>,
        index: usize,
    ) -> QueryResult<Option<ValueRef<'r>>> {
        match row.get_ref(index) {
            Ok(ValueRef::Null) => Ok(None),
            Ok(value) => Ok(Some(value)),
            Err(e) => Err(missing_column(index, &e)),
        }
    }

    fn column_name(row: &rusqlite::Row<'_>, index: usize) -> String {
        let stmt: &rusqlite::Statement<'_> = row.as_ref();
        stmt.column_name(index)
            .map_or_else(|_| format!("#{index}"), str::to_owned)
    }

    fn debug_bind(value: &ToSqlOutput<'_>) -> String {
        let value = match value {
            ToSqlOutput::Borrowed(v) => *v,
            ToSqlOutput::Owned(v) => ValueRef::from(v),
            other => return format!("{other:?}"),
        };
        match value {
            ValueRef::Null => "NULL".to_owned(),
            ValueRef::Integer(i) => i.to_string(),
            ValueRef::Real(r) => r.to_string(),
            ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
            ValueRef::Blob(b) => format!("<{} bytes>", b.len()),
        }
    }

    fn push_limit_offset(
        out: &mut SqlWriter<Self>,
        has_limit: bool,
        has_offset: bool,
        _ordered: bool,
    ) {
        // SQLite accepts OFFSET only after a LIMIT; -1 means "no limit".
        out.push_sql(" LIMIT ");
        if has_limit {
            out.push_bind_param();
        } else {
            out.push_sql("-1");
        }
        if has_offset {
            out.push_sql(" OFFSET ");
            out.push_bind_param();
        }
    }
}

#[diagnostic::do_not_recommend]
impl SupportsReturning for Sqlite {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsFullJoin for Sqlite {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsJsonAccess for Sqlite {}
#[diagnostic::do_not_recommend]
impl SupportsUpsert for Sqlite {}
#[diagnostic::do_not_recommend]
impl SupportsConflictTarget for Sqlite {}

/// The error of a row narrower than the Rust type reading it; out of line, off the hot path.
#[cold]
#[inline(never)]
fn missing_column(index: usize, cause: &rusqlite::Error) -> philtre::Error {
    philtre::Error::deserialization(
        &format!("#{index}"),
        format!("the query returned fewer columns than the Rust type reads ({cause})"),
    )
}
