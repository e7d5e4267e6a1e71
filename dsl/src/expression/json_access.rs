//! Reading inside JSON values: SQLAlchemy's JSON index and path access (`col["key"]`,
//! `.as_string()`, `.as_integer()`), one API over three spellings — PostgreSQL's `->` / `->>`,
//! MySQL's `JSON_EXTRACT`, SQLite's `->` with JSON paths.
//!
//! `docs::data.get("author").get("name").as_text()` is the author's name as text, NULL where a
//! key is missing or the value is JSON `null`. A typed reading (`as_integer`, `as_float`,
//! `as_bool`) of a value of another JSON type is an error on every database — never a number
//! made up from a string (MySQL's and SQLite's own casts would give `0`).

use crate::backend::{Backend, BindSink, JsonAccess, SqlWriter, SupportsJsonAccess};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::schema::TypeKind;
use crate::types::{self, BigInt, Bool, Double, Integer, Nullable, SqlType, Text, ToSql};

use super::{Bound, Expression, QueryFragment};

/// The SQL types that hold JSON documents: `Json` and `Jsonb`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a JSON type: `.get(key)` reads inside JSON documents only",
    label = "not JSON",
    note = "declare the column as `Json` or `Jsonb`"
)]
pub trait JsonType: SqlType {}

impl JsonType for types::Json {}
impl JsonType for types::Jsonb {}

/// A key of a JSON object (`&str`, `String`) or a position in a JSON array (`i32`, counted
/// from 0 as JSON does).
pub trait JsonKey {
    /// The step.
    fn into_step(self) -> JsonStep;
}

impl JsonKey for &str {
    fn into_step(self) -> JsonStep {
        JsonStep::key(self.to_owned())
    }
}

impl JsonKey for String {
    fn into_step(self) -> JsonStep {
        JsonStep::key(self)
    }
}

impl JsonKey for i32 {
    fn into_step(self) -> JsonStep {
        JsonStep {
            operand: StepOperand::Index(Bound::new(self)),
            path: Bound::new(format!("$[{self}]")),
            refused: (self < 0).then_some("a negative JSON array position"),
        }
    }
}

/// One step into a JSON value, as each database writes it: an operand of PostgreSQL's `->`
/// and a JSON path (`$."key"`, `$[0]`) for MySQL and SQLite.
#[derive(Debug, Clone)]
pub struct JsonStep {
    operand: StepOperand,
    path: Bound<Text, String>,
    /// Why the step cannot be written as a JSON path, if it cannot.
    refused: Option<&'static str>,
}

#[derive(Debug, Clone)]
enum StepOperand {
    Key(Bound<Text, String>),
    Index(Bound<Integer, i32>),
}

impl JsonStep {
    fn key(key: String) -> Self {
        // A JSON path quotes the key; a `"` or `\` in it has no spelling both MySQL and SQLite
        // read the same way.
        let refused = (key.contains('"') || key.contains('\\'))
            .then_some("a JSON key with `\"` or `\\` in a JSON path");
        JsonStep {
            path: Bound::new(format!("$.\"{key}\"")),
            operand: StepOperand::Key(Bound::new(key)),
            refused,
        }
    }
}

/// `base.get(key)`: the JSON value under `key` (see [`super::ExpressionMethods::get`]).
#[derive(Debug, Clone)]
pub struct JsonGet<E> {
    base: E,
    step: JsonStep,
}

/// The JSON value under a key read as an SQL value of type `ST` (see [`JsonGet::as_text`]).
#[derive(Debug, Clone)]
pub struct JsonValue<E, ST> {
    element: JsonGet<E>,
    _type: std::marker::PhantomData<ST>,
}

impl<E> JsonGet<E> {
    pub(crate) fn new(base: E, step: JsonStep) -> Self {
        JsonGet { base, step }
    }
}

// No `JsonType` bound here: `.get` checks it, and a second report of the same mistake
// would only repeat it.
impl<E: Expression> Expression for JsonGet<E> {
    type SqlType = Nullable<<E::SqlType as SqlType>::NotNull>;
}

impl<E> JsonGet<E> {
    fn value<ST>(self) -> JsonValue<E, ST> {
        JsonValue {
            element: self,
            _type: std::marker::PhantomData,
        }
    }

    /// The value as text: a string without its quotes, a number or boolean as JSON writes it,
    /// an object or array as JSON text; NULL for a missing key or JSON `null` (PostgreSQL's
    /// `->>`).
    pub fn as_text(self) -> JsonValue<E, Text> {
        self.value()
    }

    /// The value as a `BIGINT`; an error if it is not a whole number.
    pub fn as_integer(self) -> JsonValue<E, BigInt> {
        self.value()
    }

    /// The value as a `DOUBLE PRECISION`; an error if it is not a number.
    pub fn as_float(self) -> JsonValue<E, Double> {
        self.value()
    }

    /// The value as a `BOOLEAN`; an error if it is not `true` or `false`.
    pub fn as_bool(self) -> JsonValue<E, Bool> {
        self.value()
    }
}

impl<E: Expression, ST: SqlType> Expression for JsonValue<E, ST>
where
    ST::NotNull: SqlType,
{
    type SqlType = Nullable<ST::NotNull>;
}

crate::__impl_wrapper_appears_in!([E] JsonGet<E>, E);
crate::__impl_as_expression!([E] JsonGet<E>);

impl<__QS, __I, E, ST> super::AppearsIn<__QS, __I> for JsonValue<E, ST>
where
    E: super::AppearsIn<__QS, __I>,
    Self: Expression,
{
    type Nullability = <E as super::AppearsIn<__QS, __I>>::Nullability;
    type Aggregation = <E as super::AppearsIn<__QS, __I>>::Aggregation;
    type SqlRow = super::Seen<Self::Nullability, <Self as Expression>::SqlType>;
}
crate::__impl_as_expression!([E, ST] JsonValue<E, ST>);
crate::__impl_arithmetic!([E, ST] JsonValue<E, ST>);

/// A piece of the SQL of a JSON reading. The SQL is built as a list once per backend, then
/// walked twice — to write it and to collect its bound values — so both agree on the order
/// even where the element is written more than once.
#[derive(Debug, Clone, Copy)]
enum Piece {
    Sql(&'static str),
    /// The document read from.
    Base,
    /// The step as PostgreSQL's `->` takes it.
    Operand,
    /// The step as a JSON path.
    Path,
    /// The whole element (base and step).
    Element,
}

use Piece::{Base, Element, Operand, Path, Sql};

type Pieces = super::sql_pieces::SqlPieces<Piece>;

fn element_pieces<DB: Backend>() -> Pieces {
    match DB::JSON_ACCESS {
        JsonAccess::Operators => Pieces::of(&[Sql("("), Base, Sql(" -> "), Operand, Sql(")")]),
        JsonAccess::ExtractFunctions => {
            Pieces::of(&[Sql("JSON_EXTRACT("), Base, Sql(", "), Path, Sql(")")])
        }
        JsonAccess::PathArrows => Pieces::of(&[Sql("("), Base, Sql(" -> "), Path, Sql(")")]),
    }
}

/// The SQL of reading the element as SQL type `kind`.
fn value_pieces<DB: Backend>(kind: TypeKind, base_kind: TypeKind) -> Pieces {
    let typeof_fn = if base_kind == TypeKind::Jsonb {
        "jsonb_typeof("
    } else {
        "json_typeof("
    };
    match (DB::JSON_ACCESS, kind) {
        (JsonAccess::Operators, TypeKind::Text) => {
            Pieces::of(&[Sql("("), Base, Sql(" ->> "), Operand, Sql(")")])
        }
        (JsonAccess::Operators, _) => {
            let (json_type, sql_type, what) = match kind {
                TypeKind::Bool => (
                    "'boolean'",
                    "BOOLEAN",
                    "'philtre: the JSON value is not a boolean: '",
                ),
                TypeKind::Double => (
                    "'number'",
                    "DOUBLE PRECISION",
                    "'philtre: the JSON value is not a number: '",
                ),
                _ => (
                    "'number'",
                    "BIGINT",
                    "'philtre: the JSON value is not a whole number: '",
                ),
            };
            Pieces::of(&[
                Sql("CASE COALESCE("),
                Sql(typeof_fn),
                Element,
                Sql("), 'null') WHEN "),
                Sql(json_type),
                Sql(" THEN CAST(("),
                Base,
                Sql(" ->> "),
                Operand,
                Sql(") AS "),
                Sql(sql_type),
                // The error names the value; it is built from the row so that PostgreSQL
                // cannot fold it to a constant and raise it while planning.
                Sql(") WHEN 'null' THEN NULL ELSE CAST(("),
                Sql(what),
                Sql(" || ("),
                Base,
                Sql(" ->> "),
                Operand,
                Sql(")) AS "),
                Sql(sql_type),
                Sql(") END"),
            ])
        }
        (JsonAccess::ExtractFunctions, TypeKind::Text) => Pieces::of(&[
            Sql("CASE COALESCE(JSON_TYPE("),
            Element,
            Sql("), 'NULL') WHEN 'NULL' THEN NULL ELSE JSON_UNQUOTE("),
            Element,
            Sql(") END"),
        ]),
        (JsonAccess::ExtractFunctions, _) => {
            let mut pieces =
                Pieces::of(&[Sql("CASE COALESCE(JSON_TYPE("), Element, Sql("), 'NULL')")]);
            match kind {
                TypeKind::Bool => pieces.extend([
                    Sql(" WHEN 'BOOLEAN' THEN (JSON_UNQUOTE("),
                    Element,
                    Sql(") = 'true')"),
                ]),
                TypeKind::Double => pieces.extend([
                    Sql(" WHEN 'INTEGER' THEN CAST("),
                    Element,
                    Sql(" AS DOUBLE) WHEN 'UNSIGNED INTEGER' THEN CAST("),
                    Element,
                    Sql(" AS DOUBLE) WHEN 'DOUBLE' THEN CAST("),
                    Element,
                    Sql(" AS DOUBLE) WHEN 'DECIMAL' THEN CAST("),
                    Element,
                    Sql(" AS DOUBLE)"),
                ]),
                _ => pieces.extend([
                    Sql(" WHEN 'INTEGER' THEN CAST("),
                    Element,
                    Sql(" AS SIGNED) WHEN 'UNSIGNED INTEGER' THEN CAST("),
                    Element,
                    Sql(" AS SIGNED)"),
                ]),
            }
            // MySQL has no way to raise an error inside an expression; a scalar subquery of
            // two rows is one ("Subquery returns more than 1 row").
            pieces.push(Sql(
                " WHEN 'NULL' THEN NULL ELSE (SELECT 0 UNION ALL SELECT 1) END",
            ));
            pieces
        }
        (JsonAccess::PathArrows, TypeKind::Text) => Pieces::of(&[
            Sql("CASE COALESCE(json_type("),
            Element,
            Sql("), 'null') WHEN 'null' THEN NULL WHEN 'text' THEN ("),
            Element,
            Sql(" ->> '$') ELSE "),
            Element,
            Sql(" END"),
        ]),
        (JsonAccess::PathArrows, _) => {
            let mut pieces =
                Pieces::of(&[Sql("CASE COALESCE(json_type("), Element, Sql("), 'null')")]);
            match kind {
                TypeKind::Bool => pieces.push(Sql(" WHEN 'true' THEN 1 WHEN 'false' THEN 0")),
                TypeKind::Double => pieces.extend([
                    Sql(" WHEN 'integer' THEN CAST("),
                    Element,
                    Sql(" AS REAL) WHEN 'real' THEN CAST("),
                    Element,
                    Sql(" AS REAL)"),
                ]),
                _ => pieces.extend([
                    Sql(" WHEN 'integer' THEN CAST("),
                    Element,
                    Sql(" AS INTEGER)"),
                ]),
            }
            // `json()` of text that is not JSON is SQLite's error ("malformed JSON").
            pieces.push(Sql(
                " WHEN 'null' THEN NULL ELSE json('philtre: the JSON value is not of the type read') END",
            ));
            pieces
        }
    }
}

impl<E> JsonGet<E> {
    fn write<DB>(&self, pieces: &Pieces, out: &mut SqlWriter<DB>)
    where
        DB: Backend,
        E: QueryFragment<DB>,
        String: ToSql<Text, DB>,
        i32: ToSql<Integer, DB>,
    {
        for piece in pieces.iter() {
            match piece {
                Sql(sql) => out.push_sql(sql),
                Base => self.base.to_sql(out),
                Operand => match &self.step.operand {
                    StepOperand::Key(key) => key.to_sql(out),
                    StepOperand::Index(index) => index.to_sql(out),
                },
                Path => self.step.path.to_sql(out),
                Element => self.write(&element_pieces::<DB>(), out),
            }
        }
    }

    fn binds<'a, DB>(&'a self, pieces: &Pieces, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>
    where
        DB: Backend,
        E: QueryFragment<DB>,
        String: ToSql<Text, DB>,
        i32: ToSql<Integer, DB>,
    {
        if let (Some(why), JsonAccess::ExtractFunctions | JsonAccess::PathArrows) =
            (self.step.refused, DB::JSON_ACCESS)
        {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "{why} cannot be read on this database ({:?})",
                    self.step.path.value()
                ),
            ));
        }
        for piece in pieces.iter() {
            match piece {
                Sql(_) => {}
                Base => self.base.collect_binds(out)?,
                Operand => match &self.step.operand {
                    StepOperand::Key(key) => key.collect_binds(out)?,
                    StepOperand::Index(index) => index.collect_binds(out)?,
                },
                Path => self.step.path.collect_binds(out)?,
                Element => self.binds(&element_pieces::<DB>(), out)?,
            }
        }
        Ok(())
    }
}

impl<E, DB> QueryFragment<DB> for JsonGet<E>
where
    DB: SupportsJsonAccess,
    E: QueryFragment<DB>,
    String: ToSql<Text, DB>,
    i32: ToSql<Integer, DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.write(&element_pieces::<DB>(), out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.binds(&element_pieces::<DB>(), out)
    }
    fn has_static_sql(&self) -> bool {
        self.base.has_static_sql()
    }
}

impl<E, ST, DB> QueryFragment<DB> for JsonValue<E, ST>
where
    DB: SupportsJsonAccess,
    E: QueryFragment<DB> + Expression,
    ST: SqlType,
    String: ToSql<Text, DB>,
    i32: ToSql<Integer, DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        let pieces = value_pieces::<DB>(ST::KIND, base_kind::<E>());
        self.element.write(&pieces, out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        let pieces = value_pieces::<DB>(ST::KIND, base_kind::<E>());
        self.element.binds(&pieces, out)
    }
    fn has_static_sql(&self) -> bool {
        self.element.base.has_static_sql()
    }
}

/// The JSON type of the document read from: PostgreSQL tells `json` from `jsonb` values by
/// different functions.
fn base_kind<E: Expression>() -> TypeKind {
    <<E::SqlType as SqlType>::NotNull as SqlType>::KIND
}
