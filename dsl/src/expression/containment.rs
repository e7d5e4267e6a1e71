//! PostgreSQL's operators on arrays and JSONB documents: containment (`@>`, `<@`), overlap
//! (`&&`), key presence (`?`), an array's element (`a[i]`), its size (`cardinality`) and
//! `x = ANY (array)`. A query using one does not compile for a backend without arrays or JSONB.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter, SupportsArrays, SupportsJsonb};
use crate::error::QueryResult;
use crate::types::{self, Bool, Integer, Nullability, Nullable, SqlType, ToSql};

use super::operators::NullableIfEither;
use super::{AppearsIn, AsExpression, Bound, Expression, QueryFragment};

/// The SQL types of PostgreSQL arrays, and the type of their elements.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an array type",
    label = "not an array",
    note = "array operators apply to columns declared `Array<…>` (PostgreSQL)"
)]
pub trait ArrayType: SqlType {
    /// The elements' SQL type.
    type Element: SqlType;
}

impl<ST: SqlType> ArrayType for types::Array<ST> {
    type Element = ST;
}

/// An operator of this module, and the capability a backend needs for it.
pub trait ContainmentOperator {
    /// The SQL, spaces around.
    const SQL: &'static str;
}

/// Marker: backend `Self` has operator `Op` (arrays or JSONB, PostgreSQL).
pub trait HasOperator<Op> {}

/// Writes `left OP right` on backend `Self`, where the backend has the operator.
pub trait WritesOperator<Op, L, R>: Backend {
    /// See [`QueryFragment::to_sql`].
    fn write(left: &L, right: &R, out: &mut SqlWriter<Self>);
    /// See [`QueryFragment::collect_binds`].
    fn binds<'a>(left: &'a L, right: &'a R, out: &mut dyn BindSink<'a, Self>) -> QueryResult<()>;
    /// See [`QueryFragment::has_static_sql`].
    fn is_static(left: &L, right: &R) -> bool;
}

impl<Op, L, R, DB> WritesOperator<Op, L, R> for DB
where
    DB: Backend + HasOperator<Op>,
    Op: ContainmentOperator,
    L: QueryFragment<DB>,
    R: QueryFragment<DB>,
{
    fn write(left: &L, right: &R, out: &mut SqlWriter<Self>) {
        out.push_sql("(");
        left.to_sql(out);
        out.push_sql(Op::SQL);
        right.to_sql(out);
        out.push_sql(")");
    }
    fn binds<'a>(left: &'a L, right: &'a R, out: &mut dyn BindSink<'a, Self>) -> QueryResult<()> {
        left.collect_binds(out)?;
        right.collect_binds(out)
    }
    fn is_static(left: &L, right: &R) -> bool {
        left.has_static_sql() && right.has_static_sql()
    }
}

macro_rules! containment_operators {
    ($($(#[$doc:meta])* $name:ident = $sql:literal, $capability:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl ContainmentOperator for $name {
            const SQL: &'static str = $sql;
        }
        impl<DB: $capability> HasOperator<$name> for DB {}
    )*};
}

containment_operators! {
    /// `@>` on arrays.
    ArrayContains = " @> ", SupportsArrays;
    /// `<@` on arrays.
    ArrayContainedBy = " <@ ", SupportsArrays;
    /// `&&` on arrays.
    ArrayOverlaps = " && ", SupportsArrays;
    /// `@>` on JSONB.
    JsonbContains = " @> ", SupportsJsonb;
    /// `<@` on JSONB.
    JsonbContainedBy = " <@ ", SupportsJsonb;
    /// `?` on JSONB.
    JsonbHasKey = " ? ", SupportsJsonb;
    /// `?|` on JSONB.
    JsonbHasAnyKey = " ?| ", SupportsJsonb;
    /// `?&` on JSONB.
    JsonbHasAllKeys = " ?& ", SupportsJsonb;
}

/// `left OP right` for an operator of this module; a `BOOLEAN`.
#[derive(Debug, Clone, Copy)]
pub struct Containment<Op, L, R> {
    left: L,
    right: R,
    _op: PhantomData<Op>,
}

impl<Op, L, R> Containment<Op, L, R> {
    pub(crate) fn new(left: L, right: R) -> Self {
        Containment {
            left,
            right,
            _op: PhantomData,
        }
    }
}

impl<Op, L: Expression, R: Expression> Expression for Containment<Op, L, R> {
    type SqlType = NullableIfEither<L::SqlType, R::SqlType, Bool>;
}

impl<Op, L, R, QS, IL, IR> AppearsIn<QS, (IL, IR)> for Containment<Op, L, R>
where
    L: AppearsIn<QS, IL>,
    R: AppearsIn<QS, IR>,
    Self: Expression,
{
    type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
    type Aggregation = <L::Aggregation as super::Aggregation>::And<R::Aggregation>;
    type SqlRow =
        super::Seen<<Self as AppearsIn<QS, (IL, IR)>>::Nullability, <Self as Expression>::SqlType>;
}

impl<Op, L, R, DB> QueryFragment<DB> for Containment<Op, L, R>
where
    DB: WritesOperator<Op, L, R>,
{
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        DB::write(&self.left, &self.right, out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        DB::binds(&self.left, &self.right, out)
    }
    fn has_static_sql(&self) -> bool {
        DB::is_static(&self.left, &self.right)
    }
}

crate::__impl_as_expression!([Op, L, R] Containment<Op, L, R>);

pub(crate) type NotNullOf<E> = <<E as Expression>::SqlType as SqlType>::NotNull;
type ElementOf<E> = <NotNullOf<E> as ArrayType>::Element;

/// `array[index]`: see [`super::ExpressionMethods::at`].
#[derive(Debug, Clone)]
pub struct ArrayElement<E> {
    array: E,
    index: Bound<Integer, i32>,
}

impl<E> ArrayElement<E> {
    pub(crate) fn new(array: E, index: i32) -> Self {
        ArrayElement {
            array,
            index: Bound::new(index),
        }
    }
}

impl<E: Expression> Expression for ArrayElement<E>
where
    NotNullOf<E>: ArrayType,
{
    type SqlType = Nullable<<ElementOf<E> as SqlType>::NotNull>;
}

crate::__impl_wrapper_appears_in!([E] ArrayElement<E>, E);
crate::__impl_as_expression!([E] ArrayElement<E>);
crate::__impl_arithmetic!([E] ArrayElement<E>);

impl<E, DB> QueryFragment<DB> for ArrayElement<E>
where
    DB: SupportsArrays,
    E: QueryFragment<DB>,
    i32: ToSql<Integer, DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("(");
        self.array.to_sql(out);
        out.push_sql(")[");
        self.index.to_sql(out);
        out.push_sql("]");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.array.collect_binds(out)?;
        self.index.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.array.has_static_sql()
    }
}

/// `cardinality(array)`: see [`super::ExpressionMethods::cardinality`].
#[derive(Debug, Clone, Copy)]
pub struct Cardinality<E>(pub(crate) E);

impl<E: Expression> Expression for Cardinality<E>
where
    NotNullOf<E>: ArrayType,
{
    type SqlType = <<E::SqlType as SqlType>::Nullability as Nullability>::Apply<Integer>;
}

crate::__impl_wrapper_appears_in!([E] Cardinality<E>, E);
crate::__impl_as_expression!([E] Cardinality<E>);
crate::__impl_arithmetic!([E] Cardinality<E>);

super::functions::call_fragment!(Cardinality, SupportsArrays, "cardinality(");

/// `ANY (array)` on the right of a comparison: `lit("rust").eq(array_any(posts::labels))` holds
/// when some element equals `'rust'` (SQLAlchemy's `any_(array)`).
pub fn array_any<E: Expression>(array: E) -> ArrayQuantified<E, false>
where
    NotNullOf<E>: ArrayType,
{
    ArrayQuantified(array)
}

/// `ALL (array)` on the right of a comparison: `posts::score.ge(array_all(limits))` holds when
/// it is at least every element (and for an empty array).
pub fn array_all<E: Expression>(array: E) -> ArrayQuantified<E, true>
where
    NotNullOf<E>: ArrayType,
{
    ArrayQuantified(array)
}

/// See [`array_any`] (`ALL` is `false`) and [`array_all`].
#[derive(Debug, Clone, Copy)]
pub struct ArrayQuantified<E, const ALL: bool>(E);

#[diagnostic::do_not_recommend]
impl<E, ST, const ALL: bool> AsExpression<ST> for ArrayQuantified<E, ALL>
where
    E: Expression,
    ST: SqlType,
    NotNullOf<E>: ArrayType,
    <ElementOf<E> as SqlType>::NotNull: super::SameSqlType<ST::NotNull>,
{
    type Expression = ArrayQuantifiedOperand<E, ST, ALL>;
    fn into_expression(self) -> Self::Expression {
        ArrayQuantifiedOperand(self.0, PhantomData)
    }
}

/// `ANY (array)` / `ALL (array)` compared as SQL type `ST` (nullable: a NULL element can make
/// the comparison NULL).
#[derive(Debug, Clone, Copy)]
pub struct ArrayQuantifiedOperand<E, ST, const ALL: bool>(E, PhantomData<ST>);

impl<E, ST: SqlType, const ALL: bool> Expression for ArrayQuantifiedOperand<E, ST, ALL> {
    type SqlType = Nullable<ST::NotNull>;
}

impl<E, ST, QS, I, const ALL: bool> AppearsIn<QS, I> for ArrayQuantifiedOperand<E, ST, ALL>
where
    E: AppearsIn<QS, I>,
    ST: SqlType,
{
    type Nullability = E::Nullability;
    type Aggregation = E::Aggregation;
    type SqlRow = Nullable<ST::NotNull>;
}

impl<E, ST, DB, const ALL: bool> QueryFragment<DB> for ArrayQuantifiedOperand<E, ST, ALL>
where
    E: QueryFragment<DB>,
    DB: SupportsArrays,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(if ALL { "ALL (" } else { "ANY (" });
        self.0.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

/// The SQL type JSONB, alone: its containment and key operators apply to it only.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not JSONB: `@>`, `<@` and `?` apply to `Jsonb` columns (PostgreSQL)",
    label = "not JSONB",
    note = "read inside a `Json` document with `.get(key)` and compare the values"
)]
pub trait JsonbType: SqlType {}

impl JsonbType for types::Jsonb {}

/// `keys` as a bound `TEXT[]`, for `?|` and `?&`.
pub(crate) fn key_array(keys: &[&str]) -> Bound<types::Array<types::Text>, Vec<String>> {
    Bound::new(keys.iter().map(|k| (*k).to_owned()).collect())
}
