//! The [`Backend`] trait: everything about SQL text and values that differs between databases.
//!
//! Query fragments are generic over a backend and ask it, through [`SqlWriter`], how to write
//! placeholders, identifiers, `LIMIT`/`OFFSET` and the few constructs whose spelling varies.
//! A backend that lacks a feature simply does not implement the matching capability trait
//! (such as [`SupportsReturning`]), so a query using it does not compile for that backend.

use std::fmt;
use std::marker::PhantomData;

use crate::error::QueryResult;
/// Re-exported here, where generic code looks for backend bounds.
pub use crate::types::StandardBackend;

/// How a backend spells a bind parameter in SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceholderStyle {
    /// `?` for every parameter (SQLite, MySQL).
    Question,
    /// `$1`, `$2`, … (PostgreSQL).
    DollarNumber,
    /// `:1`, `:2`, … (Oracle).
    ColonNumber,
    /// `@P1`, `@P2`, … (SQL Server).
    AtPNumber,
}

/// How a backend concatenates two strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConcatStyle {
    /// The standard `a || b` operator.
    PipesOperator,
    /// The `CONCAT(a, b)` function (MySQL, where `||` means OR).
    ConcatFunction,
    /// The `a + b` operator (SQL Server).
    PlusOperator,
}

/// How a backend writes an upsert (see [`Backend::UPSERT_FORM`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertForm {
    /// `INSERT … ON CONFLICT …` / `ON DUPLICATE KEY UPDATE` (SQLite, PostgreSQL, MySQL).
    OnConflict,
    /// `MERGE INTO t USING (…) excluded ON (…) WHEN MATCHED THEN UPDATE SET … [WHERE …] WHEN
    /// NOT MATCHED THEN INSERT …` (Oracle).
    OracleMerge,
    /// `MERGE INTO t USING (VALUES …) AS excluded (…) ON (…) WHEN MATCHED [AND …] THEN UPDATE
    /// SET … WHEN NOT MATCHED THEN INSERT … [OUTPUT …];` (SQL Server).
    SqlServerMerge,
}

/// How a backend limits the rows a SELECT returns (see [`Backend::ROW_LIMITING`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowLimiting {
    /// `LIMIT n OFFSET m` at the end, through [`Backend::push_limit_offset`] (SQLite,
    /// PostgreSQL, MySQL).
    LimitOffset,
    /// `OFFSET m ROWS FETCH NEXT n ROWS ONLY` at the end, the OFFSET's value bound first
    /// (SQL:2008; Oracle 12c+, SQL Server 2012+), through [`Backend::push_limit_offset`].
    OffsetFetch,
    /// Oracle before 12c, as SQLAlchemy 1.3 writes it: `SELECT * FROM (query) WHERE ROWNUM
    /// <= :n`, and for an offset one more level numbering the rows `ora_rn`.
    Rownum,
    /// SQL Server before 2012, as SQLAlchemy 1.3 writes it: `SELECT TOP (n) …` for a limit,
    /// and for an offset `ROW_NUMBER() OVER (ORDER BY …) AS mssql_rn` in a derived table.
    TopOrRowNumber,
}

/// A database dialect: how SQL is spelled and how values travel to and from the driver.
///
/// The standard SQL name of type `kind` in `CAST(x AS …)`; a backend that spells a type its own
/// way overrides [`Backend::cast_type_name`] for that type and calls this for the rest.
pub fn standard_cast_type_name(kind: crate::schema::TypeKind) -> &'static str {
    use crate::schema::TypeKind as K;
    match kind {
        K::Bool => "BOOLEAN",
        K::SmallInt => "SMALLINT",
        K::Integer => "INTEGER",
        K::BigInt => "BIGINT",
        K::Float => "REAL",
        K::Double => "DOUBLE PRECISION",
        K::Text => "TEXT",
        K::Binary => "BLOB",
        K::Date => "DATE",
        K::Time => "TIME",
        K::Timestamp => "TIMESTAMP",
        K::Timestamptz => "TIMESTAMP WITH TIME ZONE",
        K::Numeric => "NUMERIC",
        K::Custom(name) => name,
        _ => "TEXT",
    }
}

/// How a backend truncates a date or timestamp (see [`Backend::DATE_TRUNCATION`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateTruncation {
    /// `date_trunc('month', x)` (PostgreSQL).
    DateTrunc,
    /// `strftime('%Y-%m-01', x)`, the text SQLite stores dates and timestamps as.
    Strftime,
    /// `CAST(DATE_FORMAT(x, '%Y-%m-01') AS DATE)` (MySQL, MariaDB).
    DateFormat,
    /// `TRUNC(x, 'MM')`, cast back to `TIMESTAMP` for a timestamp (Oracle).
    Trunc,
    /// `CAST(DATEADD(MONTH, DATEDIFF(MONTH, 0, x), 0) AS DATE)` (SQL Server before 2022's
    /// `DATETRUNC`).
    DateAddDateDiff,
}

/// How a backend divides two integers (see [`Backend::INTEGER_DIVISION`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerDivision {
    /// `a / b`, which truncates for integers (PostgreSQL, SQLite, SQL Server).
    Slash,
    /// `a DIV b` (MySQL, MariaDB, whose `/` gives a DECIMAL).
    DivOperator,
    /// `TRUNC(a / b)` (Oracle, whose `/` keeps the fraction).
    TruncatedQuotient,
}

/// How a backend reads a part of a date (see [`Backend::DATE_PARTS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePartStyle {
    /// `CAST(EXTRACT(YEAR FROM x) AS INTEGER)`.
    ExtractFrom,
    /// `CAST(strftime('%Y', x) AS INTEGER)` (SQLite).
    Strftime,
    /// `DATEPART(YEAR, x)`, an integer already (SQL Server).
    Datepart,
}

/// How a backend writes the larger and the smaller of two values (see [`Backend::EXTREMES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extremes {
    /// `GREATEST(a, b)`, `LEAST(a, b)`, which skip a NULL argument (PostgreSQL).
    SkipNulls,
    /// Functions that return NULL for a NULL argument (MySQL `GREATEST`, SQLite `MAX`,
    /// Oracle), written `name(COALESCE(a, b), COALESCE(b, a))`.
    NullIfAny {
        /// The function giving the larger value.
        greatest: &'static str,
        /// The function giving the smaller value.
        least: &'static str,
    },
    /// No such function: `CASE WHEN b IS NULL OR a >= b THEN a ELSE b END` (SQL Server before
    /// 2022).
    CaseWhen,
}

/// How a backend pads text (see [`Backend::PADDING`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Padding {
    /// `LPAD(s, n, fill)` (PostgreSQL).
    Native,
    /// `COALESCE(LPAD(s, n, fill), LEFT(s, n))`: MySQL's `LPAD` gives NULL for an empty fill
    /// where PostgreSQL gives the text as it is.
    NativeButNullForEmptyFill,
    /// Built from `substr`, `replace` and `zeroblob` (SQLite has no `lpad`).
    Substr,
    /// Built from `LEFT` and `REPLICATE` (SQL Server has no `LPAD`).
    Replicate,
}

/// How a backend measures the distance between dates (see [`Backend::DATE_DIFFERENCE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateDifference {
    /// `end - start` (PostgreSQL; `EXTRACT(EPOCH FROM …)` for seconds).
    Subtraction,
    /// `DATEDIFF(end, start)`, `TIMESTAMPDIFF(MICROSECOND, start, end)` (MySQL, MariaDB).
    Functions,
    /// `julianday(end) - julianday(start)`, `unixepoch(…, 'subsec')` (SQLite).
    JulianDays,
    /// `end - start` for dates; for timestamps the INTERVAL DAY TO SECOND that subtraction
    /// gives, summed field by field with `EXTRACT` (Oracle).
    OracleSubtraction,
    /// `DATEDIFF(DAY, start, end)`, `DATEDIFF_BIG(MICROSECOND, start, end)` (SQL Server 2016+).
    DateDiffFunction,
    /// `DATEDIFF(DAY, start, end)`; seconds as the days times 86400 plus the milliseconds
    /// left over (`DATEDIFF` in smaller units overflows its INTEGER; SQL Server before 2016).
    DateDiffByDays,
}

/// How a backend reads inside JSON values (see [`Backend::JSON_ACCESS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonAccess {
    /// `data -> 'key'`, `data ->> 'key'`, `jsonb_typeof` (PostgreSQL).
    Operators,
    /// `JSON_EXTRACT(data, '$."key"')`, `JSON_UNQUOTE`, `JSON_TYPE` (MySQL, MariaDB).
    ExtractFunctions,
    /// `data -> '$."key"'` with a JSON path, `json_type` (SQLite).
    PathArrows,
}

/// How a backend moves a date or timestamp by an interval (see [`Backend::DATE_ARITHMETIC`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateArithmetic {
    /// `x + make_interval(days => n)` (PostgreSQL).
    MakeInterval,
    /// `date(x, printf('%+d days', n), 'floor')`: SQLite's date modifiers.
    Modifier,
    /// `DATE_ADD(x, INTERVAL n DAY)` (MySQL, MariaDB).
    DateAdd,
    /// `DATEADD(DAY, n, x)` (SQL Server).
    DateAddFunction,
    /// `x + NUMTODSINTERVAL(n, 'DAY')`, and `ADD_MONTHS(x, n)` for months and years (Oracle).
    OracleIntervals,
}

/// How a backend aggregates text with a separator (see [`Backend::STRING_AGGREGATION`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringAggregation {
    /// `string_agg(x, sep ORDER BY …)` (PostgreSQL).
    StringAgg,
    /// `group_concat(x, sep ORDER BY …)` (SQLite 3.44+).
    GroupConcat,
    /// `GROUP_CONCAT(x ORDER BY … SEPARATOR 'sep')`, the separator a literal (MySQL, MariaDB).
    GroupConcatSeparator,
    /// `LISTAGG(x, sep) WITHIN GROUP (ORDER BY …)` (Oracle).
    ListAgg,
    /// `STRING_AGG(x, sep) WITHIN GROUP (ORDER BY …)` (SQL Server 2017+).
    StringAggWithinGroup,
}

/// How a backend hands back the keys a multi-row INSERT generated (see
/// [`Backend::GENERATED_KEYS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratedKeys {
    /// `INSERT … RETURNING key`: the keys come back as rows. Keys are generated in the order
    /// the VALUES rows are inserted and increase within the statement, so the session sorts
    /// them and pairs them with its rows in order, whatever order RETURNING gives them in
    /// (SQLite and PostgreSQL).
    ReturnedRows,
    /// `LAST_INSERT_ID()` after the INSERT is the first row's key, and the statement's keys
    /// are consecutive, stepping by `@@auto_increment_increment`: InnoDB guarantees this for a
    /// "simple insert" (an INSERT whose row count is known in advance, every row leaving the
    /// key to the server) in every `innodb_autoinc_lock_mode` (MySQL, MariaDB).
    FirstInsertId,
    /// The keys above the table's largest key, read just before the INSERT: with one writer
    /// at a time (SQLite holds its write lock for the transaction) each new row gets a key
    /// larger than every existing one (the largest plus one), so the statement's `n` rows are
    /// inserted with ascending keys. If the last row's key (`last_insert_rowid()`) is then the
    /// old largest plus `n`, the `n` keys are exactly `max + 1 ..= max + n`, in VALUES order —
    /// no other row (a trigger's) can be among them. Anything else is an error, never a guess.
    /// One index lookup instead of RETURNING, which SQLite buffers row by row.
    AboveMax,
}

/// How a backend writes many rows' UPDATEs of the same columns (see [`Backend::BATCH_UPDATE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchUpdate {
    /// One prepared UPDATE run once per row.
    RowByRow,
    /// `WITH v(p0, p1, …) AS (VALUES (?, ?), …) UPDATE t SET c = v.p1 FROM v WHERE t.k = v.p0`
    /// (SQLite 3.33+).
    CteValues,
    /// `UPDATE t SET c = v.c FROM (VALUES (CAST($1 AS …), …), …) AS v(…) WHERE t.k = v.k`
    /// (PostgreSQL).
    FromValues,
    /// `UPDATE t JOIN (SELECT ? AS k, ? AS c UNION ALL SELECT ?, ? …) AS v ON t.k = v.k
    /// SET t.c = v.c` (MySQL, MariaDB).
    JoinUnion,
}

/// Implemented by a zero-sized type in each backend crate (for example `philtre_sqlite::Sqlite`).
pub trait Backend: Sized + 'static {
    /// The backend's name, for messages.
    const NAME: &'static str;
    /// Placeholder spelling.
    const PLACEHOLDER: PlaceholderStyle;
    /// String concatenation spelling.
    const CONCAT: ConcatStyle;
    /// Whether `DEFAULT` may stand for a value inside `INSERT … VALUES (…)`.
    const DEFAULT_IN_VALUES: bool;
    /// How two integers divide to an integer, as philtre types the quotient.
    const INTEGER_DIVISION: IntegerDivision = IntegerDivision::Slash;
    /// How a part of a date or timestamp (`year(x)`, `hour(x)` …) is read.
    const DATE_PARTS: DatePartStyle = DatePartStyle::ExtractFrom;
    /// The current date and time without a time zone.
    const LOCAL_TIMESTAMP: &'static str = "CURRENT_TIMESTAMP";
    /// The current date.
    const CURRENT_DATE: &'static str = "CURRENT_DATE";
    /// The current time of day without a time zone (PostgreSQL: `LOCALTIME`).
    const LOCAL_TIME: &'static str = "CURRENT_TIME";
    /// How a date or timestamp is truncated to a unit ([`crate::expression::date_trunc`]).
    const DATE_TRUNCATION: DateTruncation = DateTruncation::DateTrunc;
    /// How a date or timestamp is moved by a number of units ([`crate::expression::date_add`]).
    const DATE_ARITHMETIC: DateArithmetic = DateArithmetic::MakeInterval;
    /// How the distance between dates and timestamps is measured
    /// ([`crate::expression::days_between`]).
    const DATE_DIFFERENCE: DateDifference = DateDifference::Subtraction;
    /// How values inside JSON documents are read ([`crate::expression::JsonExpressionMethods`]).
    const JSON_ACCESS: JsonAccess = JsonAccess::Operators;
    /// `random()`: a `Double` in `[0, 1)`, different per row.
    const RANDOM: &'static str = "random()";
    /// How [`crate::expression::greatest`] and [`crate::expression::least`] are written, so
    /// that a NULL argument is skipped everywhere.
    const EXTREMES: Extremes = Extremes::NullIfAny {
        greatest: "GREATEST",
        least: "LEAST",
    };
    /// Whether there is an `nth_value` window function (not on SQL Server, where using one is
    /// an [`crate::error::ErrorKind::InvalidQuery`] error when the statement is rendered).
    const NTH_VALUE: bool = true;
    /// Whether `SUM` and `AVG` of integers keep the integer type (SQL Server: the sum
    /// overflows at 2^31, the average loses its fraction): the argument is cast first to the
    /// type philtre gives the result (`BIGINT`, `DECIMAL(38, 0)`; `DECIMAL(19, 0)` for AVG,
    /// whose average keeps 6 decimal places).
    const INTEGER_AGGREGATES_KEEP_TYPE: bool = false;
    /// Whether `ROUND(x, digits)` needs a NUMERIC `x` (PostgreSQL has no `round(double, int)`).
    const ROUND_DIGITS_NEEDS_NUMERIC: bool = false;
    /// Whether `ROUND(x, digits)` takes a negative `digits` (rounding to tens, hundreds…);
    /// SQLite reads it as 0, so there it is written with `POWER(10, -digits)`.
    const ROUND_NEGATIVE_DIGITS: bool = true;
    /// Whether a row value's IN list is written as a VALUES subquery, `(a, b) IN (VALUES (1, 2),
    /// …)`: SQLite takes only a subquery on the right of a row value's IN.
    const ROW_IN_LIST_AS_VALUES: bool = false;
    /// How text is aggregated ([`crate::expression::string_agg`]).
    const STRING_AGGREGATION: StringAggregation = StringAggregation::StringAgg;
    /// `a IS DISTINCT FROM b` as prefix, infix, suffix (MySQL: `NOT (a <=> b)`).
    const IS_DISTINCT_FROM: [&'static str; 3] = ["", " IS DISTINCT FROM ", ""];
    /// `a IS NOT DISTINCT FROM b` as prefix, infix, suffix (MySQL: `a <=> b`).
    const IS_NOT_DISTINCT_FROM: [&'static str; 3] = ["", " IS NOT DISTINCT FROM ", ""];
    /// How `lpad` / `rpad` are written.
    const PADDING: Padding = Padding::Native;
    /// Whether `POSITION(needle IN text)` is written so (PostgreSQL, MySQL); SQLite has
    /// `instr(text, needle)`.
    const POSITION_IN: bool = true;
    /// Whether the position of text in text is `CHARINDEX(needle, text)` (SQL Server).
    const POSITION_CHARINDEX: bool = false;
    /// The function that counts characters of text (`LENGTH`, MySQL `CHAR_LENGTH`).
    const CHAR_LENGTH: &'static str = "LENGTH";
    /// Whether HAVING can name only the columns GROUP BY lists (and the select list's), not the
    /// columns inside a computed key (MySQL, MariaDB). There a [`crate::query::grouped`] key in
    /// HAVING is written `MIN(key)`: every row of a group has the same key, so its minimum is
    /// the key, and an aggregate may use any column.
    const HAVING_RESOLVES_ONLY_GROUPED_COLUMNS: bool = false;
    /// The table a SELECT without FROM names where the grammar wants one (`DUAL` on MySQL and
    /// MariaDB, which need it before WHERE); `None` where FROM can be left out.
    const FROM_NOTHING: Option<&'static str> = None;
    /// Whether aggregates take `FILTER (WHERE …)` (PostgreSQL, SQLite 3.30+); where not (MySQL,
    /// MariaDB) the condition moves into the argument as `CASE WHEN … THEN arg END`.
    const AGGREGATE_FILTER: bool = true;
    /// Whether ORDER BY takes `NULLS FIRST` / `NULLS LAST` (PostgreSQL, SQLite 3.30+). Where
    /// not (MySQL, MariaDB), `.nulls_first()` / `.nulls_last()` are written as an `IS NULL` key
    /// before the key itself.
    const NULLS_ORDERING: bool = true;
    /// Whether a compound SELECT on the left of another set operator is parenthesised
    /// (SQLite allows no parentheses there and evaluates left to right).
    const PARENTHESIZED_COMPOUNDS: bool = true;
    /// How LIMIT and OFFSET are written.
    const ROW_LIMITING: RowLimiting = RowLimiting::LimitOffset;
    /// How an upsert (`on_conflict(..)`) is written, where the backend has one
    /// ([`SupportsUpsert`]).
    const UPSERT_FORM: UpsertForm = UpsertForm::OnConflict;
    /// Whether a table alias may follow `AS` (`FROM users AS u`); Oracle takes only `users u`.
    const TABLE_ALIAS_AS: bool = true;
    /// Whether a derived table names its columns after its alias, `(query) AS t (a, b)` (SQL
    /// Server, which takes no WITH inside a subquery), rather than through a WITH inside it,
    /// `(WITH t (a, b) AS (query) SELECT * FROM t) AS t` (Oracle has no column list on an
    /// alias).
    const DERIVED_COLUMN_ALIASES: bool = false;
    /// Whether an INSERT takes several rows in one VALUES (`VALUES (…), (…)`); where not
    /// (Oracle before 23ai), the rows are written `SELECT … FROM DUAL UNION ALL SELECT …`.
    const MULTI_ROW_VALUES: bool = true;
    /// Whether a recursive CTE is announced with `WITH RECURSIVE` (Oracle and SQL Server find
    /// the recursion themselves and reject the word).
    const RECURSIVE_KEYWORD: bool = true;
    /// Whether a condition is a value (`SELECT a > b`, `SET flag = a > b`) and a boolean column
    /// a condition (`WHERE flag`). Where not (Oracle, SQL Server), a condition used as a value
    /// is written `CASE WHEN … THEN 1 ELSE 0 END`, and a boolean value used as a condition
    /// `… = 1`.
    const BOOLEAN_CONDITIONS_ARE_VALUES: bool = true;
    /// The keyword of the set difference (Oracle: `MINUS`).
    const EXCEPT: &'static str = " EXCEPT ";
    /// Whether the remainder of a division is written `MOD(a, b)` (Oracle) rather than
    /// `a % b`.
    const MODULO_FUNCTION: bool = false;
    /// The most bind parameters one statement may carry (SQLite's default limit, 32,766;
    /// PostgreSQL and MySQL take 65,535). The ORM's selectin loading splits longer key lists
    /// into several statements.
    const MAX_BIND_PARAMETERS: usize = 32_766;

    /// How the ORM's flush learns the keys the database generates for a multi-row INSERT.
    const GENERATED_KEYS: GeneratedKeys = GeneratedKeys::ReturnedRows;

    /// How the ORM's flush writes many rows' UPDATEs of the same columns.
    const BATCH_UPDATE: BatchUpdate = BatchUpdate::RowByRow;

    /// Whether [`Backend::array_bind`] binds a list of keys as one array parameter: the ORM
    /// then sends a one-column key list longer than one statement's bind parameters as one
    /// array instead of splitting it (shorter lists are written out on every backend).
    const ARRAY_KEY_LISTS: bool = false;

    /// Whether the ORM writes a list of composite keys `(a, b) IN (VALUES (?, ?), …)` rather
    /// than `(a, b) IN ((?, ?), …)`. PostgreSQL expands the second form into a chain of ORs
    /// and runs out of stack between 2,000 and 10,000 rows (measured, default
    /// `max_stack_depth`); a VALUES list has no such limit.
    const ROW_KEY_LISTS_AS_VALUES: bool = false;

    /// A list of key values bound as one array parameter, for `key IN (SELECT unnest($1))`:
    /// one statement whatever the number of keys, used for key lists longer than a statement's
    /// bind parameters. `None` (the default) where the backend has no array parameters; the
    /// ORM then splits such lists into several `key IN (?, ?, …)` statements.
    fn array_bind<'a>(
        elements: Vec<Self::BindValue<'a>>,
        element_type: crate::schema::TypeKind,
    ) -> Option<Self::BindValue<'a>> {
        let _ = (elements, element_type);
        None
    }

    /// The type name `CAST(x AS …)` uses for SQL type `kind` ([`standard_cast_type_name`]
    /// unless the backend spells it otherwise).
    fn cast_type_name(kind: crate::schema::TypeKind) -> &'static str {
        standard_cast_type_name(kind)
    }

    /// The function that converts a value to SQL type `kind` where `CAST` would give the
    /// wrong kind of value (SQLite: `CAST('2024-05-01' AS DATE)` is the number 2024, where
    /// `date(x)` is the date); `None`, the default, writes `CAST(x AS …)`.
    fn cast_function(kind: crate::schema::TypeKind) -> Option<&'static str> {
        let _ = kind;
        None
    }

    /// Whether row locks are table hints ([`Backend::lock_table_hint`]) rather than a clause.
    const ROW_LOCKS_AS_TABLE_HINTS: bool = false;
    /// The table hint that takes the row lock `lock` (` FOR UPDATE`, ` FOR UPDATE NOWAIT`…),
    /// where the backend locks rows through hints written after each table of the FROM clause
    /// (SQL Server: `UPDLOCK, ROWLOCK`); `None`, the default, writes the clause itself.
    fn lock_table_hint(lock: &str) -> Option<&'static str> {
        let _ = lock;
        None
    }

    /// A value ready to be bound to a statement parameter.
    type BindValue<'a>: fmt::Debug;
    /// A borrowed, non-NULL value read from a result row.
    type RawValue<'a>;
    /// A result row as the driver hands it out.
    type Row<'a>;

    /// The bind value of a LIMIT or OFFSET count. Part of the backend, so that code generic
    /// over the backend needs no conversion bound for every SELECT.
    fn limit_value(count: &i64) -> Self::BindValue<'_>;

    /// Reads column `index` (0-based) of `row`; `Ok(None)` means SQL NULL.
    fn column_value<'r>(
        row: &'r Self::Row<'_>,
        index: usize,
    ) -> QueryResult<Option<Self::RawValue<'r>>>;

    /// The name of column `index` of `row`, for error messages.
    fn column_name(row: &Self::Row<'_>, index: usize) -> String;

    /// Shows a bind value for [`crate::query::debug_query`]. The default uses `Debug`.
    fn debug_bind(value: &Self::BindValue<'_>) -> String {
        format!("{value:?}")
    }

    /// Writes a quoted identifier. The default is the SQL standard: `"name"`, with `"` doubled.
    fn push_identifier(out: &mut String, name: &str) {
        out.push('"');
        for c in name.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    }

    /// Writes `LIMIT`/`OFFSET` with bound values at the end of a statement (the caller binds
    /// limit first, then offset; for [`RowLimiting::OffsetFetch`] offset first). `ordered` says
    /// whether the statement has an ORDER BY (SQL Server's OFFSET needs one).
    ///
    /// The default writes `LIMIT ?` and `OFFSET ?`; backends that need a LIMIT before an OFFSET
    /// override it.
    fn push_limit_offset(
        out: &mut SqlWriter<Self>,
        has_limit: bool,
        has_offset: bool,
        ordered: bool,
    ) {
        let _ = ordered;
        if has_limit {
            out.push_sql(" LIMIT ");
            out.push_bind_param();
        }
        if has_offset {
            out.push_sql(" OFFSET ");
            out.push_bind_param();
        }
    }

    /// How the built-in function `name` (`"CEIL"`, `"LN"`, `"SUBSTR"`, `"TRIM"`, `"ROUND"` …)
    /// is called where the backend spells it otherwise: the text before its arguments and the
    /// text after them (SQL Server: `("CEILING(", ")")`, `("ROUND(", ", 0)")`). `None`, the
    /// default, writes `NAME(args)`.
    fn function_spelling(name: &'static str) -> Option<(&'static str, &'static str)> {
        let _ = name;
        None
    }

    /// Writes the tail of an `INSERT` into `table` that gives no column at all.
    fn push_insert_default_values(
        table: &'static crate::schema::TableDescription,
        out: &mut SqlWriter<Self>,
    ) {
        let _ = table;
        out.push_sql(" DEFAULT VALUES");
    }

    /// Writes a number or boolean of SQL type `kind` as a literal (a GROUP BY key's constants;
    /// see [`crate::expression::LiteralValue`]). The default is standard SQL; a backend adds
    /// what keeps the literal's type (PostgreSQL's `::int8`).
    fn push_literal(
        out: &mut String,
        value: crate::expression::LiteralValue,
        kind: crate::schema::TypeKind,
    ) {
        let _ = kind;
        value.write(out);
    }
}

/// Marker: the backend supports `RETURNING` on INSERT, UPDATE and DELETE.
#[diagnostic::on_unimplemented(
    message = "`RETURNING` is not supported by the `{Self}` backend",
    label = "this statement uses RETURNING",
    note = "run a separate SELECT after the statement instead"
)]
pub trait SupportsReturning: Backend {
    /// Where and how the returned columns are written.
    const RETURNING_STYLE: ReturningStyle = ReturningStyle::Standard;
    /// The bind value standing for an output parameter of `RETURNING … INTO :n`
    /// ([`ReturningStyle::ReturningInto`]); `None` where there is none.
    fn output_parameter<'a>() -> Option<Self::BindValue<'a>> {
        None
    }
}

/// How a backend writes RETURNING (see [`SupportsReturning::RETURNING_STYLE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturningStyle {
    /// ` RETURNING a, b` at the end (SQLite, PostgreSQL, MariaDB). Not named `Returning`: a
    /// variant of that name would make rustc spell the `Returning` clause type out in full in
    /// every compile error that names it.
    Standard,
    /// ` OUTPUT inserted.a, inserted.b` before VALUES (INSERT), WHERE (UPDATE) or after the
    /// table (DELETE; `deleted.a`) — SQL Server.
    Output,
    /// ` RETURNING a, b INTO :3, :4`: the values come back through output parameters, one bind
    /// value ([`SupportsReturning::output_parameter`]) each (Oracle).
    ReturningInto,
}

/// Marker: DELETE and UPDATE take `ORDER BY` and `LIMIT` (MySQL, MariaDB).
#[diagnostic::on_unimplemented(
    message = "`ORDER BY` and `LIMIT` on DELETE and UPDATE are not supported by the `{Self}` backend",
    label = "this statement orders or limits the rows it changes",
    note = "MySQL and MariaDB have them; elsewhere pick the rows by key in a subquery: `.filter(table::id.eq_any(table::table.select(table::id).order(..).limit(n)))`"
)]
pub trait SupportsDmlLimit: Backend {}

/// Marker: the backend has the case-insensitive `ILIKE` operator (PostgreSQL).
#[diagnostic::on_unimplemented(
    message = "`ILIKE` is not supported by the `{Self}` backend",
    label = "this query uses ILIKE",
    note = "compare lowered text instead: `lower(column).like(pattern)`"
)]
pub trait SupportsIlike: Backend {}

/// Marker: the backend has array values and `array_agg` (PostgreSQL).
#[diagnostic::on_unimplemented(
    message = "arrays (`array_agg`, array columns) are not supported by the `{Self}` backend",
    label = "this query builds an array",
    note = "join the values into text with `string_agg`, or load the rows and collect them in Rust"
)]
pub trait SupportsArrays: Backend {}

/// Marker: the backend has INTERVAL values and their arithmetic (PostgreSQL).
#[diagnostic::on_unimplemented(
    message = "INTERVAL values and their arithmetic are not supported by the `{Self}` backend",
    label = "this query uses an INTERVAL",
    note = "move a timestamp by a number of units with `date_add(ts, n, IntervalUnit::…)`, and measure one with `seconds_between`"
)]
pub trait SupportsIntervals: Backend {}

/// Marker: philtre reads inside JSON values on the backend (`.get(key)`, `.as_text()` …:
/// PostgreSQL, MySQL, MariaDB, SQLite). Not on the render-only Oracle and SQL Server
/// dialects: there a typed reading could not keep its rule (a value of another JSON type is an
/// error) in SQL checked against nothing but a parser.
#[diagnostic::on_unimplemented(
    message = "reading inside JSON values is not supported by the `{Self}` backend",
    label = "this reads inside a JSON value",
    note = "write the database's own JSON function as raw SQL: `sql::<Nullable<Text>>(\"JSON_VALUE(data, '$.name')\")`"
)]
pub trait SupportsJsonAccess: Backend {}

/// Marker: the backend has JSONB and its operators (`@>`, `<@`, `?`; PostgreSQL).
#[diagnostic::on_unimplemented(
    message = "JSONB operators are not supported by the `{Self}` backend",
    label = "this uses a JSONB operator",
    note = "read inside JSON with `.get(key)` and compare the values, which SQLite, MySQL and PostgreSQL can do"
)]
pub trait SupportsJsonb: Backend {}

/// Marker: the backend compares with `ANY (subquery)` / `ALL (subquery)` (PostgreSQL, MySQL,
/// MariaDB).
#[diagnostic::on_unimplemented(
    message = "`ANY` / `ALL` subquery comparisons are not supported by the `{Self}` backend",
    label = "this query compares with ANY or ALL of a subquery",
    note = "`x = ANY (q)` is `x.eq_any(q)` (IN); `x > ALL (q)` is `x.gt(q.select(max(..)))` when q has no NULLs, or `not(exists(q.correlate(outer_table).filter(col.ge(x))))`"
)]
pub trait SupportsQuantifiedComparison: Backend {}

/// Marker: the backend has `FULL OUTER JOIN` (SQLite 3.39+, PostgreSQL; not MySQL/MariaDB).
#[diagnostic::on_unimplemented(
    message = "`FULL OUTER JOIN` is not supported by the `{Self}` backend",
    label = "this query uses a full outer join",
    note = "combine a LEFT and a RIGHT join with `union`"
)]
pub trait SupportsFullJoin: Backend {}

/// Marker: the backend has `SELECT DISTINCT ON (…)` (PostgreSQL).
#[diagnostic::on_unimplemented(
    message = "`DISTINCT ON` is not supported by the `{Self}` backend",
    label = "this query uses DISTINCT ON",
    note = "use GROUP BY, or DISTINCT over the selected columns"
)]
pub trait SupportsDistinctOn: Backend {}

/// Marker: the backend has row locks, `SELECT … FOR UPDATE` / `FOR SHARE` (PostgreSQL, MySQL).
#[diagnostic::on_unimplemented(
    message = "row locking (`FOR UPDATE` / `FOR SHARE`) is not supported by the `{Self}` backend",
    label = "this query locks rows",
    note = "SQLite locks the whole database for writing; use a transaction instead"
)]
pub trait SupportsRowLocking: Backend {
    /// The clause for a shared row lock.
    const FOR_SHARE: &'static str = " FOR SHARE";
}

/// Marker: `GROUP BY ROLLUP (…)` (PostgreSQL; MySQL and MariaDB write it `GROUP BY … WITH
/// ROLLUP`).
#[diagnostic::on_unimplemented(
    message = "`ROLLUP` is not supported by the `{Self}` backend",
    label = "this query groups with subtotal rows",
    note = "SQLite has no ROLLUP: run the query once per level of subtotals and combine them with `union_all`"
)]
pub trait SupportsRollup: Backend {
    /// Whether ROLLUP is written after the keys (`a, b WITH ROLLUP`, MySQL) rather than
    /// around them (`ROLLUP (a, b)`).
    const ROLLUP_AS_SUFFIX: bool = false;
}

/// Capability: sequences and `next_value` (PostgreSQL, MariaDB).
#[diagnostic::on_unimplemented(
    message = "sequences are not supported by the `{Self}` backend",
    label = "this takes the next value of a sequence",
    note = "SQLite has no sequences: use an auto-increment column, or a one-row counter table updated with RETURNING"
)]
pub trait SupportsSequences: Backend {
    /// Writes the next value of sequence `name`.
    fn push_next_value(out: &mut SqlWriter<Self>, name: &str);
}

/// Marker: an INSERT, UPDATE or DELETE with RETURNING may be a CTE's body (PostgreSQL):
/// `WITH new_user AS (INSERT … RETURNING id) SELECT …`.
pub trait SupportsDataModifyingCte: Backend {}

/// Marker: `GROUP BY CUBE (…)` (PostgreSQL).
#[diagnostic::on_unimplemented(
    message = "`CUBE` is not supported by the `{Self}` backend",
    label = "this query groups by every combination of its keys",
    note = "only PostgreSQL has CUBE; MySQL and MariaDB have `rollup(..)`"
)]
pub trait SupportsCube: Backend {}

/// Marker: `JOIN LATERAL` (PostgreSQL; MySQL 8.0.14 has it but MariaDB does not, and
/// philtre's MySQL backend serves both).
#[diagnostic::on_unimplemented(
    message = "`LATERAL` joins are not supported by the `{Self}` backend",
    label = "this query joins a lateral subquery",
    note = "write the per-row subquery as a correlated scalar subquery (`.single_value()`), or a window function over a join (`row_number().over(..)` filtered in a derived table)"
)]
pub trait SupportsLateral: Backend {}

/// Marker: ordered-set aggregates, `percentile_cont(f) WITHIN GROUP (ORDER BY x)`
/// (PostgreSQL; MariaDB has the percentiles only as window functions).
#[diagnostic::on_unimplemented(
    message = "percentiles (`WITHIN GROUP`) are not supported by the `{Self}` backend",
    label = "this query computes a percentile",
    note = "load the group's values sorted and pick the percentile in Rust"
)]
pub trait SupportsOrderedSetAggregates: Backend {}

/// Marker: `GROUP BY GROUPING SETS (…)` and `GROUPING(key)` (PostgreSQL; MySQL 8 has
/// `GROUPING()` but MariaDB does not, and neither has GROUPING SETS).
#[diagnostic::on_unimplemented(
    message = "`GROUPING SETS` and `GROUPING()` are not supported by the `{Self}` backend",
    label = "this query groups by grouping sets",
    note = "run one query per grouping set and combine them with `union_all`; a ROLLUP's total rows are the ones whose rolled-up keys read NULL"
)]
pub trait SupportsGroupingSets: Backend {}

/// Marker: a row lock may name the tables it locks, `FOR UPDATE OF t` (PostgreSQL).
#[diagnostic::on_unimplemented(
    message = "`FOR UPDATE OF` / `FOR SHARE OF` a table is not supported by the `{Self}` backend",
    label = "this query locks the rows of one table only",
    note = "MariaDB and SQL Server have no `OF`: lock the rows of every table of the query (leave out `.of(..)`), or select the table's rows on their own"
)]
pub trait SupportsLockingOf: SupportsRowLocking {}

/// Marker: the backend accepts `NOWAIT` / `SKIP LOCKED` after a shared row lock.
#[diagnostic::on_unimplemented(
    message = "`NOWAIT` / `SKIP LOCKED` after a shared lock is not supported by the `{Self}` backend",
    label = "this query uses a shared lock with a modifier",
    note = "MySQL 8 and MariaDB spell shared locks differently; use `for_update()` with the modifier"
)]
pub trait SupportsShareLockModifiers: SupportsRowLocking {}

/// Marker: the backend can resolve INSERT conflicts (all three do, spelled differently).
#[diagnostic::on_unimplemented(message = "upsert is not supported by the `{Self}` backend")]
pub trait SupportsUpsert: Backend {
    /// Writes "on a conflict with any unique key, do nothing"; `primary_key` names a column
    /// that a no-op assignment may use.
    fn push_on_conflict_do_nothing(out: &mut SqlWriter<Self>, primary_key: &str) {
        let _ = primary_key;
        out.push_sql(" ON CONFLICT DO NOTHING");
    }
    /// Writes the value the conflicting INSERT proposed for `column`.
    fn push_excluded(out: &mut SqlWriter<Self>, column: &str) {
        out.push_sql("excluded.");
        out.push_identifier(column);
    }
}

/// Marker: conflicts can be resolved for one named unique key, `ON CONFLICT (cols)`
/// (PostgreSQL, SQLite).
#[diagnostic::on_unimplemented(
    message = "`ON CONFLICT (…)` with a conflict target is not supported by the `{Self}` backend",
    label = "this INSERT names the unique key its conflict resolution applies to",
    note = "MySQL resolves conflicts on every unique key at once: use `on_duplicate_key_update(..)` or `on_conflict_do_nothing()`"
)]
pub trait SupportsConflictTarget: SupportsUpsert {}

/// Marker: a conflict target may name a constraint, `ON CONFLICT ON CONSTRAINT name`
/// (PostgreSQL).
#[diagnostic::on_unimplemented(
    message = "`ON CONFLICT ON CONSTRAINT` is not supported by the `{Self}` backend",
    label = "this INSERT names its conflict's constraint",
    note = "name the constraint's columns instead: `.on_conflict((table::a, table::b))`"
)]
pub trait SupportsConflictOnConstraint: SupportsConflictTarget {}

/// Marker: `ON DUPLICATE KEY UPDATE` (MySQL, MariaDB).
#[diagnostic::on_unimplemented(
    message = "`ON DUPLICATE KEY UPDATE` is not supported by the `{Self}` backend",
    label = "this INSERT updates on a conflict with any unique key",
    note = "name the conflicting key instead: `on_conflict(column).do_update().set(..)`"
)]
pub trait SupportsOnDuplicateKey: SupportsUpsert {}

/// A transaction isolation level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IsolationLevel {
    /// `READ UNCOMMITTED`
    ReadUncommitted,
    /// `READ COMMITTED`
    ReadCommitted,
    /// `REPEATABLE READ`
    RepeatableRead,
    /// `SERIALIZABLE`
    Serializable,
}

impl IsolationLevel {
    /// The level as SQL spells it.
    pub fn sql(self) -> &'static str {
        match self {
            IsolationLevel::ReadUncommitted => "READ UNCOMMITTED",
            IsolationLevel::ReadCommitted => "READ COMMITTED",
            IsolationLevel::RepeatableRead => "REPEATABLE READ",
            IsolationLevel::Serializable => "SERIALIZABLE",
        }
    }
}

/// Marker: transactions can choose an isolation level (PostgreSQL, MySQL).
#[diagnostic::on_unimplemented(
    message = "the `{Self}` backend has no transaction isolation levels",
    label = "this transaction asks for an isolation level",
    note = "SQLite transactions are always serializable; use `transaction(..)`"
)]
pub trait SupportsIsolationLevels: Backend {
    /// The statements that start a transaction at `level`.
    fn begin_with_isolation(level: IsolationLevel) -> Vec<String> {
        vec![format!("START TRANSACTION ISOLATION LEVEL {}", level.sql())]
    }
}

/// How a server reads a backslash inside a quoted string literal.
#[doc(alias = "NO_BACKSLASH_ESCAPES")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringEscapes {
    /// As an ordinary character (SQL standard: SQLite, PostgreSQL, MySQL with
    /// `NO_BACKSLASH_ESCAPES`).
    Standard,
    /// As the start of an escape, `\n` being a newline (MySQL and MariaDB by default).
    Backslash,
}

/// Accumulates SQL text for one statement, numbering bind parameters as it goes.
pub struct SqlWriter<DB> {
    sql: String,
    binds: usize,
    qualify_columns: bool,
    inline_literals: bool,
    in_having: bool,
    insert_values_mark: Option<usize>,
    column_table: Option<&'static str>,
    lock_hint: Option<&'static str>,
    schema_map: crate::schema::SharedSchemaMap,
    _backend: PhantomData<DB>,
}

impl<DB: Backend> Default for SqlWriter<DB> {
    fn default() -> Self {
        Self::new()
    }
}

impl<DB: Backend> SqlWriter<DB> {
    /// An empty writer.
    pub fn new() -> Self {
        SqlWriter {
            sql: String::with_capacity(128),
            binds: 0,
            qualify_columns: true,
            inline_literals: false,
            in_having: false,
            insert_values_mark: None,
            column_table: None,
            lock_hint: None,
            schema_map: None,
            _backend: PhantomData,
        }
    }

    /// Writes tables' schemas through `map` ([`crate::schema::SchemaTranslateMap`]).
    pub fn with_schema_map(mut self, map: crate::schema::SharedSchemaMap) -> Self {
        self.schema_map = map;
        self
    }

    /// Appends trusted SQL text (keywords, operators). Never pass user input here.
    pub fn push_sql(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    /// Appends an identifier, quoted the backend's way.
    pub fn push_identifier(&mut self, name: &str) {
        DB::push_identifier(&mut self.sql, name);
    }

    /// Appends a table where a statement names it as a source or target: `schema.table` for a
    /// table declared in a schema (`#[schema = "…"]`), else `table`. Columns are qualified by
    /// the table's own name, which every database resolves against the FROM entry.
    pub fn push_table(&mut self, table: &crate::schema::TableDescription) {
        let schema = match &self.schema_map {
            Some(map) => map.translate(table.schema),
            None => table.schema,
        };
        if let Some(schema) = schema {
            DB::push_identifier(&mut self.sql, schema);
            self.sql.push('.');
        }
        DB::push_identifier(&mut self.sql, table.name);
    }

    /// Writes ` WITH (hint)` after a table of a FROM clause while a row lock is written as table
    /// hints ([`Backend::lock_table_hint`]).
    pub fn push_lock_hint(&mut self) {
        if let Some(hint) = self.lock_hint {
            self.sql.push_str(" WITH (");
            self.sql.push_str(hint);
            self.sql.push(')');
        }
    }

    /// Sets the table hint [`Self::push_lock_hint`] writes; returns the previous one.
    pub(crate) fn set_lock_hint(&mut self, hint: Option<&'static str>) -> Option<&'static str> {
        std::mem::replace(&mut self.lock_hint, hint)
    }

    /// Appends `table.column` (or just `column` where qualification is switched off).
    pub fn push_column(&mut self, table: &str, column: &str) {
        if let Some(table) = self.column_table {
            self.sql.push_str(table);
            self.sql.push('.');
        } else if self.qualify_columns {
            DB::push_identifier(&mut self.sql, table);
            self.sql.push('.');
        }
        DB::push_identifier(&mut self.sql, column);
    }

    /// Qualifies every column by `table` (a keyword such as SQL Server's `inserted`, written as
    /// it is) instead of its own table, or stops doing so; returns the previous setting.
    pub fn set_column_table(&mut self, table: Option<&'static str>) -> Option<&'static str> {
        std::mem::replace(&mut self.column_table, table)
    }

    /// Switches table qualification of columns on or off; returns the previous setting.
    ///
    /// Column lists of INSERT and the targets of UPDATE … SET must not be qualified.
    pub fn set_qualify_columns(&mut self, on: bool) -> bool {
        std::mem::replace(&mut self.qualify_columns, on)
    }

    /// Switches the writing of numbers and booleans as literals on or off (inside GROUP BY
    /// keys); returns the previous setting.
    pub fn set_inline_literals(&mut self, on: bool) -> bool {
        std::mem::replace(&mut self.inline_literals, on)
    }

    /// Whether numbers and booleans are written as literals here.
    pub fn inline_literals(&self) -> bool {
        self.inline_literals
    }

    /// Marks the HAVING clause as being written (or no longer); returns the previous setting.
    pub fn set_in_having(&mut self, on: bool) -> bool {
        std::mem::replace(&mut self.in_having, on)
    }

    /// Whether the HAVING clause is being written.
    pub fn in_having(&self) -> bool {
        self.in_having
    }

    /// Appends a literal of SQL type `kind`.
    pub fn push_literal(
        &mut self,
        value: crate::expression::LiteralValue,
        kind: crate::schema::TypeKind,
    ) {
        DB::push_literal(&mut self.sql, value, kind);
    }

    /// Appends the next bind placeholder.
    pub fn push_bind_param(&mut self) {
        self.binds += 1;
        match DB::PLACEHOLDER {
            PlaceholderStyle::Question => self.sql.push('?'),
            PlaceholderStyle::DollarNumber => self.push_numbered('$'),
            PlaceholderStyle::ColonNumber => self.push_numbered(':'),
            PlaceholderStyle::AtPNumber => {
                self.sql.push('@');
                self.push_numbered('P');
            }
        }
    }

    fn push_numbered(&mut self, prefix: char) {
        use std::fmt::Write;
        self.sql.push(prefix);
        // Writing to a String cannot fail.
        let _ = write!(self.sql, "{}", self.binds);
    }

    pub(crate) fn truncate(&mut self, len: usize) {
        self.sql.truncate(len);
    }

    /// Moves the text written since byte `from` to byte `to` (before it): a clause whose
    /// place comes before clauses written earlier (SQL Server's OUTPUT).
    pub(crate) fn move_text(&mut self, from: usize, to: usize) {
        let moved = self.sql.split_off(from);
        self.sql.insert_str(to, &moved);
    }

    /// An empty writer that goes on numbering placeholders where this one stands, with its
    /// settings: a piece written apart and put in later ([`Self::join_binds`]).
    pub(crate) fn fork(&self) -> Self {
        SqlWriter {
            sql: String::new(),
            binds: self.binds,
            qualify_columns: self.qualify_columns,
            inline_literals: self.inline_literals,
            in_having: self.in_having,
            insert_values_mark: None,
            column_table: self.column_table,
            lock_hint: None,
            schema_map: self.schema_map.clone(),
            _backend: PhantomData,
        }
    }

    /// Takes over the placeholder count of `fork` once its text is in this writer.
    pub(crate) fn join_binds(&mut self, fork: &Self) {
        self.binds = fork.binds;
    }

    /// Marks where an INSERT's values start, after its column list (see
    /// [`Self::insert_values_mark`]).
    pub(crate) fn mark_insert_values(&mut self) {
        self.insert_values_mark = Some(self.sql.len());
    }

    /// Takes the mark [`Self::mark_insert_values`] left.
    pub(crate) fn insert_values_mark(&mut self) -> Option<usize> {
        self.insert_values_mark.take()
    }

    /// The number of placeholders written so far.
    pub fn bind_count(&self) -> usize {
        self.binds
    }

    /// The SQL written so far.
    pub fn as_str(&self) -> &str {
        &self.sql
    }

    /// Finishes and returns the SQL text.
    pub fn finish(self) -> String {
        self.sql
    }
}

/// Receives the bind values of a statement, in placeholder order.
pub trait BindSink<'a, DB: Backend> {
    /// Takes the next value.
    fn push_value(&mut self, value: DB::BindValue<'a>) -> QueryResult<()>;
    /// Takes the next value of a bound expression, with the SQL type the query gives it and
    /// whether its SQL may carry it as a literal instead (a number or boolean: see
    /// [`crate::types::ToSql::to_literal`]). A backend that must tell the server its
    /// parameters' types (PostgreSQL types a parameter in a select list as text) reads the
    /// type; inside a GROUP BY key the literals are left out. The default forgets both.
    fn push_bound(
        &mut self,
        value: DB::BindValue<'a>,
        sql_type: crate::schema::TypeKind,
        literal: bool,
    ) -> QueryResult<()> {
        let _ = (sql_type, literal);
        self.push_value(value)
    }
    /// Says that about `additional` more values follow (a hint: a multi-row INSERT knows its
    /// count); a sink that stores values makes room once instead of growing step by step.
    fn reserve(&mut self, additional: usize) {
        let _ = additional;
    }
}

impl<'a, DB: Backend> BindSink<'a, DB> for Vec<DB::BindValue<'a>> {
    fn push_value(&mut self, value: DB::BindValue<'a>) -> QueryResult<()> {
        self.push(value);
        Ok(())
    }
    fn reserve(&mut self, additional: usize) {
        Vec::reserve(self, additional);
    }
}
