//! SQL Server: [`Mssql`] for 2012 and later, [`Mssql2008`] for the releases before.

use philtre::QueryResult;
use philtre::backend::{
    Backend, ConcatStyle, PlaceholderStyle, ReturningStyle, RowLimiting, SqlWriter, StringEscapes,
    SupportsReturning,
};
use philtre::expression::LiteralValue;
use philtre::schema::ddl::{refuse_nul, standard_type, unsupported};
use philtre::schema::{AutoIncrement, ColumnDescription, CommentStyle, SchemaDialect, TypeKind};
use philtre::types::{self, FromSql, Nullable, ToSql};

use crate::quoting::{MSSQL_RESERVED, push_identifier};
use crate::value::{Value, standard_values};

/// The SQL Server type `CAST(x AS …)` names for SQL type `kind`.
fn cast_type_name(kind: TypeKind) -> &'static str {
    match kind {
        TypeKind::Text => "NVARCHAR(max)",
        TypeKind::Bool => "BIT",
        TypeKind::Double => "FLOAT",
        TypeKind::Binary => "VARBINARY(max)",
        TypeKind::Timestamp => "DATETIME2",
        TypeKind::Timestamptz => "DATETIMEOFFSET",
        other => philtre::backend::standard_cast_type_name(other),
    }
}

/// The SQL Server type of a column.
fn column_type(column: &ColumnDescription) -> QueryResult<String> {
    Ok(match column.kind {
        TypeKind::Bool => "BIT".into(),
        TypeKind::Double => "FLOAT".into(),
        // Unicode text: a Rust `String` holds any character (SQLAlchemy's `String` is VARCHAR).
        TypeKind::Text => match column.max_length {
            Some(n) => format!("NVARCHAR({n})"),
            None => "NVARCHAR(max)".into(),
        },
        TypeKind::Binary => "VARBINARY(max)".into(),
        // DATETIME keeps 1/300 s; DATETIME2 the microseconds a `time` value has.
        TypeKind::Timestamp => "DATETIME2".into(),
        TypeKind::Timestamptz => "DATETIMEOFFSET".into(),
        TypeKind::Uuid
        | TypeKind::Json
        | TypeKind::Jsonb
        | TypeKind::Interval
        | TypeKind::Inet
        | TypeKind::Enum(_)
        | TypeKind::Array(_)
        | TypeKind::Unsigned(_) => return Err(unsupported(column, "SQL Server")),
        _ => standard_type(column)?,
    })
}

macro_rules! mssql_backend {
    ($(#[$doc:meta])* $name:ident, $display:literal, $limiting:ident, $difference:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;

        impl Backend for $name {
            const NAME: &'static str = $display;
            const PLACEHOLDER: PlaceholderStyle = PlaceholderStyle::AtPNumber;
            const CONCAT: ConcatStyle = ConcatStyle::PlusOperator;
            const DEFAULT_IN_VALUES: bool = true;
            const DERIVED_COLUMN_ALIASES: bool = true;
            const RECURSIVE_KEYWORD: bool = false;
            // No boolean values: `CASE WHEN … THEN 1 ELSE 0 END` in a select list, `flag = 1`
            // in WHERE.
            const BOOLEAN_CONDITIONS_ARE_VALUES: bool = false;
            const ROW_LIMITING: RowLimiting = RowLimiting::$limiting;
            const UPSERT_FORM: philtre::backend::UpsertForm = philtre::backend::UpsertForm::SqlServerMerge;
            const DATE_PARTS: philtre::backend::DatePartStyle =
                philtre::backend::DatePartStyle::Datepart;
            const DATE_TRUNCATION: philtre::backend::DateTruncation =
                philtre::backend::DateTruncation::DateAddDateDiff;
            const DATE_DIFFERENCE: philtre::backend::DateDifference =
                philtre::backend::DateDifference::$difference;
            // GREATEST and LEAST came with SQL Server 2022.
            const EXTREMES: philtre::backend::Extremes = philtre::backend::Extremes::CaseWhen;
            const INTEGER_AGGREGATES_KEEP_TYPE: bool = true;
            const NTH_VALUE: bool = false;
            const PADDING: philtre::backend::Padding = philtre::backend::Padding::Replicate;
            const LOCAL_TIMESTAMP: &'static str = "CURRENT_TIMESTAMP";
            const CURRENT_DATE: &'static str = "CAST(GETDATE() AS DATE)";
            const LOCAL_TIME: &'static str = "CAST(GETDATE() AS TIME)";
            // RAND() without a seed is one value for the whole statement; a seed from NEWID()
            // gives one per row.
            const RANDOM: &'static str = "RAND(CHECKSUM(NEWID()))";
            const POSITION_CHARINDEX: bool = true;
            const ROW_LOCKS_AS_TABLE_HINTS: bool = true;
            const DATE_ARITHMETIC: philtre::backend::DateArithmetic =
                philtre::backend::DateArithmetic::DateAddFunction;
            const STRING_AGGREGATION: philtre::backend::StringAggregation =
                philtre::backend::StringAggregation::StringAggWithinGroup;
            const AGGREGATE_FILTER: bool = false;
            const NULLS_ORDERING: bool = false;
            // At most 2,100 parameters per request.
            const MAX_BIND_PARAMETERS: usize = 2_100;
            crate::value::value_backend_items!();

            fn function_spelling(name: &'static str) -> Option<(&'static str, &'static str)> {
                match name {
                    "CEIL" => Some(("CEILING(", ")")),
                    // LEN does not count trailing spaces; with one more character it does.
                    "LENGTH" => Some(("(LEN(", " + 'x') - 1)")),
                    "LN" => Some(("LOG(", ")")),
                    "SUBSTR" => Some(("SUBSTRING(", ")")),
                    // TRIM came with SQL Server 2017.
                    "TRIM" => Some(("LTRIM(RTRIM(", "))")),
                    // ROUND takes the number of digits, always.
                    "ROUND" => Some(("ROUND(", ", 0)")),
                    _ => None,
                }
            }

            fn cast_type_name(kind: TypeKind) -> &'static str {
                cast_type_name(kind)
            }

            fn push_identifier(out: &mut String, name: &str) {
                push_identifier(out, name, MSSQL_RESERVED, '[', ']');
            }

            /// `OFFSET @m ROWS FETCH NEXT @n ROWS ONLY`, which needs an ORDER BY (`(SELECT
            /// NULL)` when the query has none) and an OFFSET (0 for a LIMIT alone).
            fn push_limit_offset(
                out: &mut SqlWriter<Self>,
                has_limit: bool,
                has_offset: bool,
                ordered: bool,
            ) {
                if !ordered {
                    out.push_sql(" ORDER BY (SELECT NULL)");
                }
                out.push_sql(" OFFSET ");
                if has_offset {
                    out.push_bind_param();
                } else {
                    out.push_sql("0");
                }
                out.push_sql(" ROWS");
                if has_limit {
                    out.push_sql(" FETCH NEXT ");
                    out.push_bind_param();
                    out.push_sql(" ROWS ONLY");
                }
            }

            /// Row locks are table hints: `FROM t WITH (UPDLOCK, ROWLOCK)` holds update locks on
            /// the rows read until the transaction ends; `READPAST` skips locked rows, `NOWAIT`
            /// fails at once, `HOLDLOCK` holds shared locks.
            fn lock_table_hint(lock: &str) -> Option<&'static str> {
                match lock {
                    " FOR UPDATE" => Some("UPDLOCK, ROWLOCK"),
                    " FOR UPDATE NOWAIT" => Some("UPDLOCK, ROWLOCK, NOWAIT"),
                    " FOR UPDATE SKIP LOCKED" => Some("UPDLOCK, ROWLOCK, READPAST"),
                    " FOR SHARE" => Some("HOLDLOCK, ROWLOCK"),
                    _ => None,
                }
            }
        }

        /// Row locks through table hints ([`Backend::lock_table_hint`]).
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsRowLocking for $name {}

        /// `OUTPUT inserted.…` (`deleted.…` for DELETE), before VALUES or WHERE.
        #[diagnostic::do_not_recommend]
        impl SupportsReturning for $name {
            const RETURNING_STYLE: ReturningStyle = ReturningStyle::Output;
        }
        /// `NEXT VALUE FOR name` (SQL Server 2012+).
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsSequences for $name {
            fn push_next_value(out: &mut SqlWriter<Self>, name: &str) {
                out.push_sql("NEXT VALUE FOR ");
                out.push_identifier(name);
            }
        }
        crate::shared_capabilities!($name);

        standard_values!($name);

        impl SchemaDialect for $name {
            fn column_type(column: &ColumnDescription, _in_key: bool) -> QueryResult<String> {
                column_type(column)
            }

            fn auto_increment(column: &ColumnDescription) -> QueryResult<AutoIncrement> {
                match column.kind {
                    TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt => {
                        Ok(AutoIncrement::Suffix("IDENTITY(1,1)"))
                    }
                    _ => Err(unsupported(column, "SQL Server's IDENTITY")),
                }
            }

            /// A computed column: `amount AS (qty * price) [PERSISTED]`, without a type.
            fn generated_column(sql: &str, stored: bool) -> QueryResult<String> {
                Ok(format!(" AS ({sql}){}", if stored { " PERSISTED" } else { "" }))
            }

            /// `N'…'`: a Unicode literal, so that characters outside the database's code page
            /// survive.
            fn string_literal(text: &str, _: StringEscapes) -> QueryResult<String> {
                refuse_nul(text)?;
                Ok(format!("N'{}'", text.replace('\'', "''")))
            }

            // SQL Server keeps comments as extended properties (`sp_addextendedproperty`),
            // which philtre does not write.
            const COMMENTS: CommentStyle = CommentStyle::None;
            const DATABASE: &'static str = $display;
            const MAX_NAME_LENGTH: usize = 128;
            const DEFERRABLE_CONSTRAINTS: bool = false;
            const DROP_INDEX_ON_TABLE: bool = true;
            const GENERATED_COLUMN_TYPED: bool = false;
            const GENERATED_NOT_NULL: bool = false;
            const EXPLICIT_NULL: bool = true;
            const TEMPORARY_TABLE: Option<&'static str> = None;
        }
    };
}

mssql_backend! {
    /// SQL Server 2012 and later: `OFFSET … FETCH` for LIMIT and OFFSET. Render with
    /// `debug_query::<Mssql, _>(&query)`. Two functions need later versions: `string_agg`
    /// (`STRING_AGG`, 2017) and `seconds_between` (`DATEDIFF_BIG`, 2016).
    Mssql, "SQL Server", OffsetFetch, DateDiffFunction
}

mssql_backend! {
    /// SQL Server before 2012, as SQLAlchemy 1.3 writes it: `TOP (n)` for a LIMIT, and
    /// `ROW_NUMBER() OVER (ORDER BY …)` in a derived table for an OFFSET.
    Mssql2008, "SQL Server 2008", TopOrRowNumber, DateDiffByDays
}
