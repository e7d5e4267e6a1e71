//! Numeric functions: `floor`, `ceil`, `round_to`, `sqrt`, `power`, `exp`, `ln`, `random`,
//! and `greatest` / `least` of two values — the same result on every backend.
//!
//! SQLite's bundled build has no math functions; `philtre-sqlite` registers `floor`, `ceil`,
//! `sqrt`, `power`, `exp` and `ln` on each connection it opens.

use crate::backend::{Backend, BindSink, Extremes, SqlWriter};
use crate::error::QueryResult;
use crate::schema::TypeKind;
use crate::types::{self, Double, Integer, Nullability, SqlType};

use super::functions::{NotNullOf, Roundable, write_call};
use super::operators::NullableIfEither;
use super::{AsExpression, Comparand, Expression, Func, QueryFragment};

/// Names of the numeric functions.
pub mod math_fn {
    macro_rules! names {
        ($($ty:ident = $sql:literal;)*) => {$(
            #[doc = concat!("`", $sql, "`")]
            #[derive(Debug, Clone, Copy, Default)]
            pub struct $ty;
            impl crate::expression::SqlFunction for $ty {
                const NAME: &'static str = $sql;
            }
        )*};
    }
    names! {
        Floor = "FLOOR";
        Ceil = "CEIL";
        Sqrt = "SQRT";
        Power = "POWER";
        Exp = "EXP";
        Ln = "LN";
    }
}

/// `FLOOR(number)`: the largest whole number not above it, keeping the type.
pub fn floor<E: Expression>(number: E) -> Func<math_fn::Floor, (E,), E::SqlType>
where
    NotNullOf<E>: Roundable,
{
    Func::new((number,))
}

/// `CEIL(number)`: the smallest whole number not below it, keeping the type.
pub fn ceil<E: Expression>(number: E) -> Func<math_fn::Ceil, (E,), E::SqlType>
where
    NotNullOf<E>: Roundable,
{
    Func::new((number,))
}

/// Rule: `sqrt`, `power`, `exp` and `ln` take a number.
#[diagnostic::on_unimplemented(
    message = "`sqrt`, `power`, `exp` and `ln` need a numeric argument, found SQL type `{Self}`",
    label = "not a number"
)]
pub trait MathOperand: SqlType {}

/// The SQL type `sqrt`, `power`, `exp` and `ln` give for an argument of this type: `Double`
/// for integers and floats, `Numeric` for a `Numeric`. Defined for the other SQL types too (as
/// `Double`, never used), so that a non-number is reported once, by [`MathOperand`], and not
/// again wherever the call's type is asked for.
pub trait MathResultType {
    /// The result's SQL type, before NULL is added.
    type Result: SqlType;
}

macro_rules! math_results {
    ($operand:ident: $($st:ty => $result:ty),*) => {$(
        impl MathResultType for $st {
            type Result = $result;
        }
        math_results!(@rule $operand $st);
    )*};
    (@rule yes $st:ty) => { impl MathOperand for $st {} };
    (@rule no $st:ty) => {};
}

math_results!(yes:
    types::SmallInt => Double,
    Integer => Double,
    types::BigInt => Double,
    types::Float => Double,
    Double => Double,
    types::Numeric => types::Numeric
);
math_results!(no:
    types::Bool => Double,
    types::Text => Double,
    types::Binary => Double,
    types::Date => Double,
    types::Time => Double,
    types::Timestamp => Double,
    types::Timestamptz => Double,
    types::Uuid => Double,
    types::Json => Double,
    types::Jsonb => Double
);
impl<ST: SqlType> MathResultType for types::Unsigned<ST> {
    type Result = Double;
}
impl<ST: MathOperand> MathOperand for types::Unsigned<ST> where types::Unsigned<ST>: SqlType {}
impl<ST: SqlType> MathResultType for types::Array<ST> {
    type Result = Double;
}

/// The type of `sqrt(x)` and its kin: [`MathResultType::Result`], nullable when `x` is.
pub type MathResult<E> =
    <<<E as Expression>::SqlType as SqlType>::Nullability as Nullability>::Apply<
        <NotNullOf<E> as MathResultType>::Result,
    >;

/// `F(number)` or `F(number, other)`: a math function whose type follows its first argument
/// ([`MathOperand`]). Its own type, so that a wrong argument is reported once, at the call.
#[derive(Debug, Clone, Copy)]
pub struct MathCall<F, Args> {
    args: Args,
    _f: std::marker::PhantomData<F>,
}

impl<F, Args> MathCall<F, Args> {
    fn new(args: Args) -> Self {
        MathCall {
            args,
            _f: std::marker::PhantomData,
        }
    }
}

impl<F, E: Expression> Expression for MathCall<F, (E,)>
where
    NotNullOf<E>: MathResultType,
{
    type SqlType = MathResult<E>;
}

impl<F, E: Expression, X: Expression> Expression for MathCall<F, (E, X)>
where
    NotNullOf<E>: MathResultType,
{
    type SqlType = NullableIfEither<E::SqlType, X::SqlType, MathResult<E>>;
}

impl<F, Args, QS, I> super::AppearsIn<QS, I> for MathCall<F, Args>
where
    Args: super::AppearsIn<QS, I>,
    Self: Expression,
{
    type Nullability = Args::Nullability;
    type Aggregation = Args::Aggregation;
    type SqlRow = super::Seen<Self::Nullability, <Self as Expression>::SqlType>;
}

impl<F: super::SqlFunction, Args: QueryFragment<DB>, DB: Backend> QueryFragment<DB>
    for MathCall<F, Args>
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        write_call(F::NAME, &self.args, out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.args.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.args.has_static_sql()
    }
}

crate::__impl_arithmetic!([F, Args] MathCall<F, Args>);
crate::__impl_as_expression!([F, Args] MathCall<F, Args>);

/// `SQRT(number)`. A negative number is an error (PostgreSQL, SQLite) or NULL (MySQL, read as
/// an error into a non-`Option` value).
pub fn sqrt<E: Expression>(number: E) -> MathCall<math_fn::Sqrt, (E,)>
where
    NotNullOf<E>: MathOperand,
{
    MathCall::new((number,))
}

/// `EXP(number)`: e raised to `number`.
pub fn exp<E: Expression>(number: E) -> MathCall<math_fn::Exp, (E,)>
where
    NotNullOf<E>: MathOperand,
{
    MathCall::new((number,))
}

/// `LN(number)`: the natural logarithm. Zero or a negative number is an error (PostgreSQL,
/// SQLite) or NULL (MySQL).
pub fn ln<E: Expression>(number: E) -> MathCall<math_fn::Ln, (E,)>
where
    NotNullOf<E>: MathOperand,
{
    MathCall::new((number,))
}

/// `POWER(base, exponent)`: the exponent of the base's SQL type (`power(users::score, 2)`).
pub fn power<E, X>(base: E, exponent: X) -> MathCall<math_fn::Power, (E, X::Expression)>
where
    E: Expression,
    NotNullOf<E>: MathOperand,
    X: AsExpression<NotNullOf<E>>,
{
    MathCall::new((base, exponent.into_expression()))
}

/// `ROUND(number, digits)`: rounded to `digits` places after the point (before it when
/// negative), keeping the type. PostgreSQL rounds only NUMERIC to a number of places, so there
/// a float is cast to NUMERIC and back: `CAST(ROUND(CAST(x AS NUMERIC), 2) AS DOUBLE PRECISION)`.
pub fn round_to<E, D>(number: E, digits: D) -> RoundTo<E, D::Expression>
where
    E: Expression,
    NotNullOf<E>: Roundable,
    D: AsExpression<Integer>,
{
    RoundTo(number, digits.into_expression())
}

/// See [`round_to`].
#[derive(Debug, Clone, Copy)]
pub struct RoundTo<E, D>(E, D);

impl<E: Expression, D> Expression for RoundTo<E, D> {
    type SqlType = E::SqlType;
}

crate::__impl_wrapper_appears_in!([E, D] RoundTo<E, D>, E);

impl<E, D, DB> QueryFragment<DB> for RoundTo<E, D>
where
    E: Expression + QueryFragment<DB>,
    D: QueryFragment<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        let kind = <NotNullOf<E> as SqlType>::KIND;
        let through_numeric = DB::ROUND_DIGITS_NEEDS_NUMERIC && kind != TypeKind::Numeric;
        if through_numeric {
            out.push_sql("CAST(ROUND(CAST(");
            self.0.to_sql(out);
            out.push_sql(" AS NUMERIC), ");
            self.1.to_sql(out);
            out.push_sql(") AS ");
            out.push_sql(DB::cast_type_name(kind));
            out.push_sql(")");
        } else if DB::ROUND_NEGATIVE_DIGITS {
            // Not `write_call`: a backend's one-argument ROUND spelling is not this one's.
            out.push_sql("ROUND(");
            (&self.0, &self.1).to_sql(out);
            out.push_sql(")");
        } else {
            // SQLite takes a negative count of places as 0; there, round a multiple of a
            // power of ten (exact for whole powers) instead.
            out.push_sql("CASE WHEN ");
            self.1.to_sql(out);
            out.push_sql(" >= 0 THEN ROUND(");
            self.0.to_sql(out);
            out.push_sql(", ");
            self.1.to_sql(out);
            out.push_sql(") ELSE ROUND(");
            self.0.to_sql(out);
            out.push_sql(" / POWER(10, -");
            self.1.to_sql(out);
            out.push_sql(")) * POWER(10, -");
            self.1.to_sql(out);
            out.push_sql(") END");
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if DB::ROUND_NEGATIVE_DIGITS {
            self.0.collect_binds(out)?;
            return self.1.collect_binds(out);
        }
        // In the order of the CASE above: digits, number, digits, number, digits, digits.
        for part in [1, 0, 1, 0, 1, 1] {
            if part == 0 {
                self.0.collect_binds(out)?;
            } else {
                self.1.collect_binds(out)?;
            }
        }
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && self.1.has_static_sql()
    }
}

crate::__impl_arithmetic!([E, D] RoundTo<E, D>);
crate::__impl_as_expression!([E, D] RoundTo<E, D>);

/// `SIGN(number)`: -1, 0 or 1, an `Integer` (PostgreSQL's `sign` gives a float or a decimal:
/// cast to INTEGER there).
pub fn sign<E: Expression>(number: E) -> Sign<E>
where
    E::SqlType: types::ArithmeticOperand,
{
    Sign(number)
}

/// See [`sign`].
#[derive(Debug, Clone, Copy)]
pub struct Sign<E>(E);

impl<E: Expression> Expression for Sign<E> {
    type SqlType =
        <<E::SqlType as SqlType>::Nullability as crate::types::Nullability>::Apply<types::Integer>;
}

crate::__impl_wrapper_appears_in!([E] Sign<E>, E);

impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Sign<E> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("CAST(SIGN(");
        self.0.to_sql(out);
        out.push_sql(") AS ");
        out.push_sql(DB::cast_type_name(crate::schema::TypeKind::Integer));
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

crate::__impl_arithmetic!([E] Sign<E>);
crate::__impl_as_expression!([E] Sign<E>);

/// `random()`: a `Double` in `[0, 1)`, drawn anew for each row (MySQL: `RAND()`; SQLite's
/// integer `random()` scaled into that range). `order(random()).limit(n)` picks `n` rows at
/// random.
pub fn random() -> Random {
    Random
}

/// See [`random`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Random;

impl Expression for Random {
    type SqlType = Double;
}

crate::__impl_constant_appears_in!([] Random);

impl<DB: Backend> QueryFragment<DB> for Random {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql(DB::RANDOM);
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

crate::__impl_arithmetic!([] Random);
crate::__impl_as_expression!([] Random);

/// `GREATEST(a, b)`: the larger of two values of the same SQL type. A NULL argument is
/// skipped, as PostgreSQL does (the result is NULL only when both are): MySQL, SQLite and
/// Oracle, whose `GREATEST` / `MAX(a, b)` would return NULL, get `GREATEST(COALESCE(a, b),
/// COALESCE(b, a))`; SQL Server, with no `GREATEST` before 2022, `CASE WHEN b IS NULL OR a >=
/// b THEN a ELSE b END`.
pub fn greatest<A, B, How>(a: A, b: B) -> Extreme<true, A, B::Expression>
where
    A: Expression,
    B: Comparand<NotNullOf<A>, How>,
    How: UnpromotedRoute,
{
    Extreme((a, b.into_comparand()))
}

/// `LEAST(a, b)`: the smaller of two values; NULLs skipped as for [`greatest`].
pub fn least<A, B, How>(a: A, b: B) -> Extreme<false, A, B::Expression>
where
    A: Expression,
    B: Comparand<NotNullOf<A>, How>,
    How: UnpromotedRoute,
{
    Extreme((a, b.into_comparand()))
}

/// Rule: `greatest` and `least` compare two values of one SQL type (the result has it); a
/// number of another numeric type is not promoted as a comparison would promote it.
#[diagnostic::on_unimplemented(
    message = "`greatest` and `least` take two values of the same SQL type",
    label = "a number of another numeric type",
    note = "convert one side with `cast::<SqlType, _>(..)`"
)]
pub trait UnpromotedRoute {}

impl UnpromotedRoute for super::promotion::SameSqlTypeRoute {}

/// See [`greatest`] (`GREATEST` is `true`) and [`least`].
#[derive(Debug, Clone, Copy)]
pub struct Extreme<const GREATEST: bool, A, B>((A, B));

impl<const GREATEST: bool, A: Expression, B: Expression> Expression for Extreme<GREATEST, A, B> {
    type SqlType = NullableIfEither<A::SqlType, B::SqlType, NotNullOf<A>>;
}

impl<const GREATEST: bool, A, B, QS, I> super::AppearsIn<QS, I> for Extreme<GREATEST, A, B>
where
    (A, B): super::AppearsIn<QS, I>,
    Self: Expression,
{
    type Nullability = <(A, B) as super::AppearsIn<QS, I>>::Nullability;
    type Aggregation = <(A, B) as super::AppearsIn<QS, I>>::Aggregation;
    type SqlRow = super::Seen<Self::Nullability, <Self as Expression>::SqlType>;
}

/// A piece of the SQL of [`Extreme`]: text, or one of the two values.
#[derive(Debug, Clone, Copy)]
enum ExtremePiece {
    Sql(&'static str),
    A,
    B,
}

/// The SQL of `greatest` (`GREATEST` true) or `least` on backend `DB`, as pieces walked once to
/// write and once to bind, so the values written more than once bind in text order.
fn extreme_pieces<DB: Backend>(greatest: bool) -> super::sql_pieces::SqlPieces<ExtremePiece> {
    use super::sql_pieces::SqlPieces;
    use ExtremePiece::{A, B, Sql};
    let pick = |names: [&'static str; 2]| if greatest { names[0] } else { names[1] };
    match DB::EXTREMES {
        Extremes::SkipNulls => SqlPieces::of(&[
            Sql(pick(["GREATEST(", "LEAST("])),
            A,
            Sql(", "),
            B,
            Sql(")"),
        ]),
        Extremes::NullIfAny {
            greatest: larger,
            least: smaller,
        } => SqlPieces::of(&[
            Sql(pick([larger, smaller])),
            Sql("(COALESCE("),
            A,
            Sql(", "),
            B,
            Sql("), COALESCE("),
            B,
            Sql(", "),
            A,
            Sql("))"),
        ]),
        Extremes::CaseWhen => SqlPieces::of(&[
            Sql("CASE WHEN "),
            B,
            Sql(" IS NULL OR "),
            A,
            Sql(pick([" >= ", " <= "])),
            B,
            Sql(" THEN "),
            A,
            Sql(" ELSE "),
            B,
            Sql(" END"),
        ]),
    }
}

impl<const GREATEST: bool, A, B, DB> QueryFragment<DB> for Extreme<GREATEST, A, B>
where
    A: QueryFragment<DB>,
    B: QueryFragment<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        let (a, b) = &self.0;
        for piece in extreme_pieces::<DB>(GREATEST).iter() {
            // The values are values: a condition among them is written as one where the two
            // differ (Oracle, SQL Server).
            match piece {
                ExtremePiece::Sql(sql) => out.push_sql(sql),
                ExtremePiece::A => super::write_value(a, out),
                ExtremePiece::B => super::write_value(b, out),
            }
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        let (a, b) = &self.0;
        for piece in extreme_pieces::<DB>(GREATEST).iter() {
            match piece {
                ExtremePiece::Sql(_) => {}
                ExtremePiece::A => a.collect_binds(out)?,
                ExtremePiece::B => b.collect_binds(out)?,
            }
        }
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

crate::__impl_arithmetic!([const GREATEST: bool, A, B] Extreme<GREATEST, A, B>);
crate::__impl_as_expression!([const GREATEST: bool, A, B] Extreme<GREATEST, A, B>);
