//! Oracle: [`Oracle`] for 12c and later, [`Oracle11g`] for the releases before.

use philtre::QueryResult;
use philtre::backend::{
    Backend, ConcatStyle, PlaceholderStyle, ReturningStyle, RowLimiting, SqlWriter,
    SupportsReturning,
};
use philtre::expression::LiteralValue;
use philtre::schema::ddl::{standard_type, unsupported};
use philtre::schema::{AutoIncrement, ColumnDescription, CommentStyle, SchemaDialect, TypeKind};
use philtre::types::{self, FromSql, Nullable, ToSql};

use crate::quoting::{ORACLE_RESERVED, push_identifier};
use crate::value::{Value, standard_values};

/// The Oracle type `CAST(x AS …)` names for SQL type `kind`.
fn cast_type_name(kind: TypeKind) -> &'static str {
    match kind {
        // Oracle's CAST to a character type needs a length.
        TypeKind::Text => "VARCHAR2(4000 CHAR)",
        TypeKind::Bool => "NUMBER(1)",
        TypeKind::BigInt => "NUMBER(19)",
        TypeKind::Float => "BINARY_FLOAT",
        TypeKind::Double => "BINARY_DOUBLE",
        other => philtre::backend::standard_cast_type_name(other),
    }
}

/// The Oracle type of a column.
fn column_type(column: &ColumnDescription) -> QueryResult<String> {
    Ok(match column.kind {
        // No boolean type: 0 and 1, as SQLAlchemy stores them.
        TypeKind::Bool => "SMALLINT".into(),
        TypeKind::BigInt => "NUMBER(19)".into(),
        // IEEE floats, so that an `f32` / `f64` reads back the same bits.
        TypeKind::Float => "BINARY_FLOAT".into(),
        TypeKind::Double => "BINARY_DOUBLE".into(),
        // Lengths in characters, not bytes (which is the default in most databases).
        TypeKind::Text => match column.max_length {
            Some(n) => format!("VARCHAR2({n} CHAR)"),
            None => "CLOB".into(),
        },
        TypeKind::Binary => "BLOB".into(),
        // A DATE holds a time of day too; there is no TIME type.
        TypeKind::Time
        | TypeKind::Uuid
        | TypeKind::Json
        | TypeKind::Jsonb
        | TypeKind::Interval
        | TypeKind::Inet
        | TypeKind::Enum(_)
        | TypeKind::Array(_)
        | TypeKind::Unsigned(_) => return Err(unsupported(column, "Oracle")),
        _ => standard_type(column)?,
    })
}

macro_rules! oracle_backend {
    ($(#[$doc:meta])* $name:ident, $display:literal, $limiting:ident, $max_name:literal, $identity:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;

        impl Backend for $name {
            const NAME: &'static str = $display;
            const PLACEHOLDER: PlaceholderStyle = PlaceholderStyle::ColonNumber;
            const CONCAT: ConcatStyle = ConcatStyle::PipesOperator;
            // Rows of a multi-row INSERT are SELECTs from DUAL, where DEFAULT cannot stand.
            const DEFAULT_IN_VALUES: bool = false;
            const MULTI_ROW_VALUES: bool = false;
            const FROM_NOTHING: Option<&'static str> = Some("DUAL");
            const TABLE_ALIAS_AS: bool = false;
            const EXCEPT: &'static str = " MINUS ";
            const MODULO_FUNCTION: bool = true;
            // `/` of two NUMBERs keeps the fraction.
            const INTEGER_DIVISION: philtre::backend::IntegerDivision =
                philtre::backend::IntegerDivision::TruncatedQuotient;
            const RECURSIVE_KEYWORD: bool = false;
            // No boolean values: `CASE WHEN … THEN 1 ELSE 0 END` in a select list, `flag = 1`
            // in WHERE.
            const BOOLEAN_CONDITIONS_ARE_VALUES: bool = false;
            const ROW_LIMITING: RowLimiting = RowLimiting::$limiting;
            const UPSERT_FORM: philtre::backend::UpsertForm = philtre::backend::UpsertForm::OracleMerge;
            // CURRENT_TIMESTAMP carries the session's time zone; a timestamp without one is
            // LOCALTIMESTAMP. CURRENT_DATE is a DATE with the time of day in it.
            const LOCAL_TIMESTAMP: &'static str = "LOCALTIMESTAMP";
            const CURRENT_DATE: &'static str = "TRUNC(CURRENT_DATE)";
            const RANDOM: &'static str = "DBMS_RANDOM.VALUE";
            const POSITION_IN: bool = false;
            const DATE_TRUNCATION: philtre::backend::DateTruncation =
                philtre::backend::DateTruncation::Trunc;
            const DATE_DIFFERENCE: philtre::backend::DateDifference =
                philtre::backend::DateDifference::OracleSubtraction;
            const DATE_ARITHMETIC: philtre::backend::DateArithmetic =
                philtre::backend::DateArithmetic::OracleIntervals;
            const STRING_AGGREGATION: philtre::backend::StringAggregation =
                philtre::backend::StringAggregation::ListAgg;
            const AGGREGATE_FILTER: bool = false;
            // `DECODE` compares NULL with NULL as equal, which is what IS [NOT] DISTINCT FROM
            // asks; Oracle before 23ai has neither.
            const IS_DISTINCT_FROM: [&'static str; 3] = ["DECODE(", ", ", ", 0, 1) = 1"];
            const IS_NOT_DISTINCT_FROM: [&'static str; 3] = ["DECODE(", ", ", ", 0, 1) = 0"];
            // An IN list takes at most 1,000 expressions (ORA-01795); the ORM's key lists are
            // cut there.
            const MAX_BIND_PARAMETERS: usize = 1_000;
            crate::value::value_backend_items!();

            fn cast_type_name(kind: TypeKind) -> &'static str {
                cast_type_name(kind)
            }

            fn push_identifier(out: &mut String, name: &str) {
                push_identifier(out, name, ORACLE_RESERVED, '"', '"');
            }

            /// Oracle has no `DEFAULT VALUES`: the first column that is not generated is named
            /// and given its default (`INSERT INTO t (id) VALUES (DEFAULT)`), which leaves
            /// every other column to its own.
            fn push_insert_default_values(
                table: &'static philtre::schema::TableDescription,
                out: &mut SqlWriter<Self>,
            ) {
                // Not a generated column, which takes no value, not even DEFAULT. (A table of
                // generated columns only has nothing an INSERT could write.)
                let written = table.columns.iter().find(|column| column.generated.is_none());
                if let Some(first) = written {
                    out.push_sql(" (");
                    out.push_identifier(first.name);
                    out.push_sql(") VALUES (DEFAULT)");
                }
            }

            /// `OFFSET :m ROWS FETCH NEXT :n ROWS ONLY` (12c); before 12c the nested ROWNUM
            /// queries never reach here.
            fn push_limit_offset(
                out: &mut SqlWriter<Self>,
                has_limit: bool,
                has_offset: bool,
                _ordered: bool,
            ) {
                if has_offset {
                    out.push_sql(" OFFSET ");
                    out.push_bind_param();
                    out.push_sql(" ROWS");
                }
                if has_limit {
                    out.push_sql(" FETCH NEXT ");
                    out.push_bind_param();
                    out.push_sql(" ROWS ONLY");
                }
            }
        }

        /// `RETURNING … INTO :n`: the values come back in output parameters
        /// ([`Value::Output`]).
        #[diagnostic::do_not_recommend]
        impl SupportsReturning for $name {
            const RETURNING_STYLE: ReturningStyle = ReturningStyle::ReturningInto;
            fn output_parameter<'a>() -> Option<<Self as Backend>::BindValue<'a>> {
                Some(Value::Output)
            }
        }
        /// `FOR UPDATE [NOWAIT | SKIP LOCKED]`. Oracle has no shared row lock: `for_share()`
        /// takes the exclusive one, as SQLAlchemy does.
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsRowLocking for $name {
            const FOR_SHARE: &'static str = " FOR UPDATE";
        }
        /// `name.NEXTVAL`.
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsSequences for $name {
            fn push_next_value(out: &mut SqlWriter<Self>, name: &str) {
                out.push_identifier(name);
                out.push_sql(".NEXTVAL");
            }
        }
        crate::shared_capabilities!($name);
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsOrderedSetAggregates for $name {}

        standard_values!($name);

        impl SchemaDialect for $name {
            fn column_type(column: &ColumnDescription, _in_key: bool) -> QueryResult<String> {
                column_type(column)
            }

            fn auto_increment(column: &ColumnDescription) -> QueryResult<AutoIncrement> {
                match column.kind {
                    TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt if $identity => {
                        Ok(AutoIncrement::Suffix("GENERATED BY DEFAULT ON NULL AS IDENTITY"))
                    }
                    _ => Err(unsupported(
                        column,
                        concat!($display, "'s auto-increment (use a sequence and `next_value`)"),
                    )),
                }
            }

            /// Oracle computes generated columns on read only (`VIRTUAL`).
            fn generated_column(sql: &str, stored: bool) -> QueryResult<String> {
                if stored {
                    return Err(philtre::Error::new(
                        philtre::ErrorKind::InvalidQuery,
                        "Oracle has no stored generated columns; declare it virtual",
                    ));
                }
                Ok(format!(" GENERATED ALWAYS AS ({sql}) VIRTUAL"))
            }

            const COMMENTS: CommentStyle = CommentStyle::Statements;
            const DATABASE: &'static str = $display;
            const MAX_NAME_LENGTH: usize = $max_name;
            const PARTIAL_INDEXES: bool = false;
            const SCHEMA_ON_INDEX_NAME: bool = true;
            const DEFAULT_BEFORE_NOT_NULL: bool = true;
            // Its rows last for the transaction (ON COMMIT DELETE ROWS, the default).
            const TEMPORARY_TABLE: Option<&'static str> = Some("GLOBAL TEMPORARY ");
        }
    };
}

oracle_backend! {
    /// Oracle 12c and later: `OFFSET … FETCH` for LIMIT and OFFSET, identity columns for
    /// auto-increment. Render with `debug_query::<Oracle, _>(&query)`.
    Oracle, "Oracle", OffsetFetch, 128, true
}

oracle_backend! {
    /// Oracle before 12c, as SQLAlchemy 1.3 writes it: LIMIT and OFFSET through nested
    /// `ROWNUM` queries, no identity columns (use a sequence), names of at most 30 bytes.
    Oracle11g, "Oracle 11g", Rownum, 30, false
}
