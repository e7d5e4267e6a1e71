use philtre::QueryResult;
use philtre::backend::{
    Backend, ConcatStyle, IsolationLevel, PlaceholderStyle, SqlWriter, SupportsDmlLimit,
    SupportsIsolationLevels, SupportsOnDuplicateKey, SupportsRowLocking, SupportsUpsert,
};
use philtre::schema::TableDescription;

/// The MySQL / MariaDB dialect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mysql;

impl Backend for Mysql {
    const NAME: &'static str = "MySQL";
    const PLACEHOLDER: PlaceholderStyle = PlaceholderStyle::Question;
    const CONCAT: ConcatStyle = ConcatStyle::ConcatFunction;
    const DEFAULT_IN_VALUES: bool = true;
    const INTEGER_DIVISION: philtre::backend::IntegerDivision =
        philtre::backend::IntegerDivision::DivOperator;
    const CHAR_LENGTH: &'static str = "CHAR_LENGTH";
    const DATE_TRUNCATION: philtre::backend::DateTruncation =
        philtre::backend::DateTruncation::DateFormat;
    const DATE_DIFFERENCE: philtre::backend::DateDifference =
        philtre::backend::DateDifference::Functions;
    const PADDING: philtre::backend::Padding = philtre::backend::Padding::NativeButNullForEmptyFill;
    const JSON_ACCESS: philtre::backend::JsonAccess =
        philtre::backend::JsonAccess::ExtractFunctions;
    const DATE_ARITHMETIC: philtre::backend::DateArithmetic =
        philtre::backend::DateArithmetic::DateAdd;
    const RANDOM: &'static str = "RAND()";
    const STRING_AGGREGATION: philtre::backend::StringAggregation =
        philtre::backend::StringAggregation::GroupConcatSeparator;
    const IS_DISTINCT_FROM: [&'static str; 3] = ["NOT (", " <=> ", ")"];
    const IS_NOT_DISTINCT_FROM: [&'static str; 3] = ["(", " <=> ", ")"];
    const HAVING_RESOLVES_ONLY_GROUPED_COLUMNS: bool = true;
    const NULLS_ORDERING: bool = false;
    const AGGREGATE_FILTER: bool = false;
    const FROM_NOTHING: Option<&'static str> = Some("DUAL");
    const MAX_BIND_PARAMETERS: usize = 65_535;
    const GENERATED_KEYS: philtre::backend::GeneratedKeys =
        philtre::backend::GeneratedKeys::FirstInsertId;
    const BATCH_UPDATE: philtre::backend::BatchUpdate = philtre::backend::BatchUpdate::JoinUnion;

    fn cast_type_name(kind: philtre::schema::TypeKind) -> &'static str {
        use philtre::schema::TypeKind as K;
        // MySQL casts only to a few type names.
        match kind {
            K::Bool | K::SmallInt | K::Integer | K::BigInt => "SIGNED",
            K::Float | K::Double => "DOUBLE",
            K::Text => "CHAR",
            K::Binary => "BINARY",
            K::Date => "DATE",
            // With microseconds: `TIME` and `DATETIME` alone would drop the fraction.
            K::Time => "TIME(6)",
            K::Timestamp | K::Timestamptz => "DATETIME(6)",
            K::Numeric => "DECIMAL(65, 30)",
            _ => "CHAR",
        }
    }
    type BindValue<'a> = mysql::Value;
    type RawValue<'a> = &'a mysql::Value;
    type Row<'a> = mysql::Row;

    /// A float literal ends in `e0`, so that MySQL reads a DOUBLE and not a DECIMAL.
    fn push_literal(
        out: &mut String,
        value: philtre::expression::LiteralValue,
        kind: philtre::schema::TypeKind,
    ) {
        let _ = kind;
        value.write(out);
        if let philtre::expression::LiteralValue::Float(_) = value {
            out.push_str("e0");
        }
    }

    fn limit_value(count: &i64) -> mysql::Value {
        mysql::Value::Int(*count)
    }

    fn column_value(row: &mysql::Row, index: usize) -> QueryResult<Option<&mysql::Value>> {
        match row.as_ref(index) {
            Some(mysql::Value::NULL) => Ok(None),
            Some(value) => Ok(Some(value)),
            None => Err(philtre::Error::deserialization(
                &format!("#{index}"),
                "the query returned fewer columns than the Rust type reads",
            )),
        }
    }

    fn column_name(row: &mysql::Row, index: usize) -> String {
        row.columns_ref()
            .get(index)
            .map_or_else(|| format!("#{index}"), |c| c.name_str().into_owned())
    }

    fn debug_bind(value: &mysql::Value) -> String {
        value.as_sql(false)
    }

    /// MySQL quotes identifiers with backticks (double quotes are strings unless ANSI_QUOTES).
    fn push_identifier(out: &mut String, name: &str) {
        out.push('`');
        for c in name.chars() {
            if c == '`' {
                out.push('`');
            }
            out.push(c);
        }
        out.push('`');
    }

    fn push_limit_offset(
        out: &mut SqlWriter<Self>,
        has_limit: bool,
        has_offset: bool,
        _ordered: bool,
    ) {
        // MySQL accepts OFFSET only after a LIMIT; the largest BIGINT UNSIGNED means "all".
        out.push_sql(" LIMIT ");
        if has_limit {
            out.push_bind_param();
        } else {
            out.push_sql("18446744073709551615");
        }
        if has_offset {
            out.push_sql(" OFFSET ");
            out.push_bind_param();
        }
    }

    fn push_insert_default_values(_: &'static TableDescription, out: &mut SqlWriter<Self>) {
        out.push_sql(" () VALUES ()");
    }
}

#[diagnostic::do_not_recommend]
impl SupportsRowLocking for Mysql {
    // `LOCK IN SHARE MODE` is understood by both MySQL 8 and MariaDB; `FOR SHARE` only by MySQL.
    const FOR_SHARE: &'static str = " LOCK IN SHARE MODE";
}

/// `GROUP BY a, b WITH ROLLUP`. MariaDB refuses an ORDER BY beside it (it returns the groups
/// ordered by their keys, each level's subtotal after its groups).
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsRollup for Mysql {
    const ROLLUP_AS_SUFFIX: bool = true;
}

/// `NEXTVAL(name)`: MariaDB 10.3+ (MySQL itself has no sequences).
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsSequences for Mysql {
    fn push_next_value(out: &mut SqlWriter<Self>, name: &str) {
        out.push_sql("NEXTVAL(");
        out.push_identifier(name);
        out.push_sql(")");
    }
}

#[diagnostic::do_not_recommend]
impl SupportsUpsert for Mysql {
    /// MySQL has no "do nothing": a no-op assignment of the primary key has that meaning
    /// (unlike `INSERT IGNORE`, which would also hide other errors).
    fn push_on_conflict_do_nothing(out: &mut SqlWriter<Self>, primary_key: &str) {
        out.push_sql(" ON DUPLICATE KEY UPDATE ");
        out.push_identifier(primary_key);
        out.push_sql(" = ");
        out.push_identifier(primary_key);
    }

    /// `VALUES(col)`: understood by MariaDB and by MySQL 8 (which deprecates it in favour of
    /// row aliases MariaDB lacks).
    fn push_excluded(out: &mut SqlWriter<Self>, column: &str) {
        out.push_sql("VALUES(");
        out.push_identifier(column);
        out.push_sql(")");
    }
}

#[diagnostic::do_not_recommend]
impl SupportsOnDuplicateKey for Mysql {}

#[diagnostic::do_not_recommend]
impl SupportsDmlLimit for Mysql {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsQuantifiedComparison for Mysql {}
#[diagnostic::do_not_recommend]
impl philtre::backend::SupportsJsonAccess for Mysql {}

#[diagnostic::do_not_recommend]
impl SupportsIsolationLevels for Mysql {
    /// MySQL sets the level for the next transaction, then starts it.
    fn begin_with_isolation(level: IsolationLevel) -> Vec<String> {
        vec![
            format!("SET TRANSACTION ISOLATION LEVEL {}", level.sql()),
            "START TRANSACTION".to_owned(),
        ]
    }
}
