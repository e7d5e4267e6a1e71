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
    const DATE_PARTS_VIA_STRFTIME: bool = true;
    const PARENTHESIZED_COMPOUNDS: bool = false;
    const GENERATED_KEYS: philtre::backend::GeneratedKeys =
        philtre::backend::GeneratedKeys::AboveMax;
    const BATCH_UPDATE: philtre::backend::BatchUpdate = philtre::backend::BatchUpdate::CteValues;
    type BindValue<'a> = ToSqlOutput<'a>;
    type RawValue<'a> = ValueRef<'a>;
    type Row<'a> = rusqlite::Row<'a>;

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

    fn push_limit_offset(out: &mut SqlWriter<Self>, has_limit: bool, has_offset: bool) {
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

impl SupportsReturning for Sqlite {}
impl philtre::backend::SupportsFullJoin for Sqlite {}
impl SupportsUpsert for Sqlite {}
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
