//! SQL functions: a generic call node, the common scalar functions rendered per dialect, and
//! [`sql_function!`](crate::sql_function) to declare a typed function in one line.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::query::UngroupedScope;
use crate::types::{self, Integer, Nullability, SqlType, Text, TextOperand};

use super::{Aggregation, AppearsIn, AsExpression, Expression, QueryFragment, Seen};

/// A function's SQL name.
pub trait SqlFunction {
    /// The name as written in SQL.
    const NAME: &'static str;
}

/// A scalar function: evaluated per row.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scalar;
/// An aggregate function: evaluated per group.
#[derive(Debug, Clone, Copy, Default)]
pub struct AggregateFn;

/// `NAME(args)`: a call of function `F` (scalar or aggregate per `K`) returning SQL type `ST`.
#[derive(Debug, Clone, Copy)]
pub struct Func<F, Args, ST, K = Scalar> {
    args: Args,
    _f: PhantomData<(F, ST, K)>,
}

impl<F, Args, ST, K> Func<F, Args, ST, K> {
    /// Calls `F` with `args` (a tuple of expressions).
    pub fn new(args: Args) -> Self {
        Func {
            args,
            _f: PhantomData,
        }
    }
}

impl<F, Args, ST: SqlType, K> Expression for Func<F, Args, ST, K> {
    type SqlType = ST;
}

impl<F, Args, ST: SqlType, QS, I> AppearsIn<QS, I> for Func<F, Args, ST, Scalar>
where
    Args: AppearsIn<QS, I>,
{
    type Nullability = Args::Nullability;
    type Aggregation = Args::Aggregation;
    type SqlRow = Seen<Args::Nullability, ST>;
}

impl<F, Args, ST: SqlType, QS, I> AppearsIn<QS, I> for Func<F, Args, ST, AggregateFn>
where
    QS: UngroupedScope,
    Args: AppearsIn<QS::Ungrouped, I>,
{
    type Nullability = types::NotNullable;
    type Aggregation = <Args::Aggregation as Aggregation>::Aggregated;
    type SqlRow = ST;
}

impl<F: SqlFunction, Args: QueryFragment<DB>, ST, K, DB: Backend> QueryFragment<DB>
    for Func<F, Args, ST, K>
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

/// `QueryFragment` for a one-field wrapper that is written `open inner)` on backends with
/// `capability`: `cardinality(a)`, `unnest(a)`, `GROUPING(k)`, `CUBE (k)`.
macro_rules! call_fragment {
    ($wrapper:ident, $capability:path, $open:literal) => {
        impl<Inner, DB> $crate::expression::QueryFragment<DB> for $wrapper<Inner>
        where
            Inner: $crate::expression::QueryFragment<DB>,
            DB: $capability,
        {
            fn to_sql(&self, out: &mut $crate::backend::SqlWriter<DB>) {
                out.push_sql($open);
                self.0.to_sql(out);
                out.push_sql(")");
            }
            fn collect_binds<'a>(
                &'a self,
                out: &mut dyn $crate::backend::BindSink<'a, DB>,
            ) -> $crate::error::QueryResult<()> {
                self.0.collect_binds(out)
            }
            fn has_static_sql(&self) -> bool {
                self.0.has_static_sql()
            }
        }
    };
}
pub(crate) use call_fragment;

/// Writes `name(args)`: a function call, scalar, aggregate or window.
pub(crate) fn write_call<A: QueryFragment<DB>, DB: Backend>(
    name: &'static str,
    args: &A,
    out: &mut SqlWriter<DB>,
) {
    let (open, close) = match DB::function_spelling(name) {
        Some(spelling) => spelling,
        None => {
            out.push_sql(name);
            ("(", ")")
        }
    };
    out.push_sql(open);
    args.to_sql(out);
    out.push_sql(close);
}

crate::__impl_arithmetic!([F, Args, ST, K] Func<F, Args, ST, K>);
crate::__impl_as_expression!([F, Args, ST, K] Func<F, Args, ST, K>);

/// Declares a typed SQL function in one line:
///
/// ```
/// philtre::sql_function!(
///     /// `reverse(text)`
///     fn reverse(text: philtre::types::Text) -> philtre::types::Text
/// );
/// philtre::sql_function!(
///     /// `group_concat(text)`, an aggregate
///     aggregate fn group_concat(text: philtre::types::Text) -> philtre::types::Nullable<philtre::types::Text>
/// );
/// philtre::sql_function!(
///     /// `pi()`: no arguments; the Rust name differs from the SQL one.
///     #[sql_name = "pi"]
///     fn circle_constant() -> philtre::types::Double
/// );
/// # let _ = reverse("abc");
/// # let _ = circle_constant();
/// ```
///
/// Each argument accepts a Rust value or an expression of its SQL type; the call has the
/// declared result type. An `aggregate fn` follows the GROUP BY rules of aggregates. The SQL
/// name is the Rust name unless `#[sql_name = "…"]` says otherwise (for a name that is a Rust
/// keyword, or to give a database's function a clearer Rust name). A function may take no
/// arguments.
#[macro_export]
macro_rules! sql_function {
    // Attributes are read one at a time, so `#[sql_name]` may stand among the doc comments.
    (@attrs [$($doc:tt)*] [$($sql:tt)*] #[sql_name = $name:literal] $($rest:tt)*) => {
        $crate::sql_function!(@attrs [$($doc)*] [$name] $($rest)*);
    };
    (@attrs [$($doc:tt)*] [$($sql:tt)*] #[$meta:meta] $($rest:tt)*) => {
        $crate::sql_function!(@attrs [$($doc)* #[$meta]] [$($sql)*] $($rest)*);
    };
    (@attrs [$($doc:tt)*] [$($sql:tt)*] fn $name:ident($($arg:ident : $st:ty),* $(,)?) -> $ret:ty) => {
        $crate::sql_function!(@emit [$($doc)*] [$($sql)*] $name [$($arg: $st),*] $ret, $crate::expression::Scalar);
    };
    (@attrs [$($doc:tt)*] [$($sql:tt)*] aggregate fn $name:ident($($arg:ident : $st:ty),* $(,)?) -> $ret:ty) => {
        $crate::sql_function!(@emit [$($doc)*] [$($sql)*] $name [$($arg: $st),*] $ret, $crate::expression::AggregateFn);
    };
    (@sql_name [] $name:ident) => { stringify!($name) };
    (@sql_name [$sql:literal] $name:ident) => { $sql };
    (@emit [$($doc:tt)*] [$($sql:tt)*] $name:ident [$($arg:ident: $st:ty),*] $ret:ty, $kind:ty) => {
        $($doc)*
        #[allow(non_camel_case_types, dead_code)]
        pub fn $name<$($arg: $crate::expression::AsExpression<$st>),*>(
            $($arg: $arg),*
        ) -> $crate::expression::Func<
            $name::Name,
            ($(<$arg as $crate::expression::AsExpression<$st>>::Expression,)*),
            $ret,
            $kind,
        > {
            $crate::expression::Func::new(($($arg.into_expression(),)*))
        }
        $($doc)*
        #[allow(non_camel_case_types, dead_code)]
        pub mod $name {
            /// The function's name marker.
            #[derive(Debug, Clone, Copy, Default)]
            pub struct Name;
            impl $crate::expression::SqlFunction for Name {
                const NAME: &'static str = $crate::sql_function!(@sql_name [$($sql)*] $name);
            }
        }
    };
    (@attrs [$($doc:tt)*] [$($sql:tt)*] $($rest:tt)*) => {
        compile_error!(
            "sql_function!: expected `fn name(argument: SqlType, …) -> SqlType` or `aggregate fn …`"
        );
    };
    ($($input:tt)*) => {
        $crate::sql_function!(@attrs [] [] $($input)*);
    };
}

macro_rules! builtin_names {
    ($($(#[$doc:meta])* $ty:ident = $sql:literal;)*) => {
        /// Names of the built-in functions.
        pub mod builtin {
            $(
                $(#[$doc])*
                #[derive(Debug, Clone, Copy, Default)]
                pub struct $ty;
                impl super::SqlFunction for $ty {
                    const NAME: &'static str = $sql;
                }
            )*
        }
    };
}

builtin_names! {
    /// `LOWER`
    Lower = "LOWER";
    /// `UPPER`
    Upper = "UPPER";
    /// `TRIM`
    Trim = "TRIM";
    /// `SUBSTR`
    Substr = "SUBSTR";
    /// `REPLACE`
    Replace = "REPLACE";
    /// `ABS`
    Abs = "ABS";
    /// `ROUND`
    Round = "ROUND";
}

pub(super) type NotNullOf<E> = <<E as Expression>::SqlType as SqlType>::NotNull;

/// `Text`, nullable where `E` is: what a text function of `E` returns. Written as `Text` rather
/// than `E`'s own type, so that a text function of a number is one error (the argument's), not
/// a second one where its result is read as text.
pub type TextOf<E> =
    <<<E as Expression>::SqlType as SqlType>::Nullability as Nullability>::Apply<Text>;

/// `LOWER(text)`.
pub fn lower<E: Expression>(text: E) -> Func<builtin::Lower, (E,), TextOf<E>>
where
    E::SqlType: TextOperand,
{
    Func::new((text,))
}

/// `UPPER(text)`.
pub fn upper<E: Expression>(text: E) -> Func<builtin::Upper, (E,), TextOf<E>>
where
    E::SqlType: TextOperand,
{
    Func::new((text,))
}

/// `TRIM(text)`: without leading and trailing spaces.
pub fn trim<E: Expression>(text: E) -> Func<builtin::Trim, (E,), TextOf<E>>
where
    E::SqlType: TextOperand,
{
    Func::new((text,))
}

/// `SUBSTR(text, start, count)`: `count` characters from position `start` (1-based).
pub fn substr<E: Expression, S: AsExpression<Integer>, C: AsExpression<Integer>>(
    text: E,
    start: S,
    count: C,
) -> Func<builtin::Substr, (E, S::Expression, C::Expression), E::SqlType>
where
    E::SqlType: TextOperand,
{
    Func::new((text, start.into_expression(), count.into_expression()))
}

/// `REPLACE(text, from, to)`: every `from` in `text` replaced by `to`.
pub fn replace<E, F, T>(
    text: E,
    from: F,
    to: T,
) -> Func<builtin::Replace, (E, F::Expression, T::Expression), E::SqlType>
where
    E: Expression,
    E::SqlType: TextOperand,
    F: AsExpression<types::Text>,
    T: AsExpression<types::Text>,
{
    Func::new((text, from.into_expression(), to.into_expression()))
}

/// `ABS(number)`.
pub fn abs<E: Expression>(number: E) -> Func<builtin::Abs, (E,), E::SqlType>
where
    E::SqlType: types::ArithmeticOperand,
{
    Func::new((number,))
}

/// Rule: `ROUND` takes a floating-point or decimal number.
#[diagnostic::on_unimplemented(
    message = "ROUND needs a `Double`, `Float` or `Numeric` argument, found `{Self}`",
    label = "an integer is already round"
)]
pub trait Roundable {}
impl Roundable for types::Double {}
impl Roundable for types::Float {}
impl Roundable for types::Numeric {}

/// `ROUND(number)`: to the nearest whole number, keeping the type.
pub fn round<E: Expression>(number: E) -> Func<builtin::Round, (E,), E::SqlType>
where
    NotNullOf<E>: Roundable,
{
    Func::new((number,))
}

/// `LENGTH(text)`: the number of characters (MySQL: `CHAR_LENGTH`).
pub fn length<E: Expression>(text: E) -> Length<E>
where
    E::SqlType: TextOperand,
{
    Length(text)
}

/// `CHAR_LENGTH(text)`, SQLAlchemy's `func.char_length`: the same as [`length`].
pub fn char_length<E: Expression>(text: E) -> Length<E>
where
    E::SqlType: TextOperand,
{
    Length(text)
}

/// See [`length`].
#[derive(Debug, Clone, Copy)]
pub struct Length<E>(E);

impl<E: Expression> Expression for Length<E> {
    type SqlType = <<E::SqlType as SqlType>::Nullability as Nullability>::Apply<Integer>;
}

crate::__impl_wrapper_appears_in!([E] Length<E>, E);

impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Length<E> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        write_call(DB::CHAR_LENGTH, &self.0, out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.0.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql()
    }
}

crate::__impl_arithmetic!([E] Length<E>);
crate::__impl_as_expression!([E] Length<E>);

/// `POSITION(needle IN text)`: where `needle` first starts in `text`, counted from 1; 0 when it
/// does not occur (SQLite: `instr(text, needle)`).
pub fn position<N, E>(needle: N, text: E) -> Position<N::Expression, E>
where
    E: Expression,
    E::SqlType: TextOperand,
    N: AsExpression<NotNullOf<E>>,
{
    Position(needle.into_expression(), text)
}

/// See [`position`].
#[derive(Debug, Clone, Copy)]
pub struct Position<N, E>(N, E);

impl<N: Expression, E: Expression> Expression for Position<N, E> {
    type SqlType = <<<E::SqlType as SqlType>::Nullability as Nullability>::Or<
        <N::SqlType as SqlType>::Nullability,
    > as Nullability>::Apply<Integer>;
}

impl<N, E, QS, IN, IE> AppearsIn<QS, (IN, IE)> for Position<N, E>
where
    N: AppearsIn<QS, IN>,
    E: AppearsIn<QS, IE>,
    Self: Expression,
{
    type Nullability = <N::Nullability as Nullability>::Or<E::Nullability>;
    type Aggregation = <N::Aggregation as super::Aggregation>::And<E::Aggregation>;
    type SqlRow =
        Seen<<Self as AppearsIn<QS, (IN, IE)>>::Nullability, <Self as Expression>::SqlType>;
}

impl<N: QueryFragment<DB>, E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Position<N, E> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        if DB::POSITION_CHARINDEX {
            // The needle first, as POSITION's: the binds keep their order.
            out.push_sql("CHARINDEX(");
            self.0.to_sql(out);
            out.push_sql(", ");
            self.1.to_sql(out);
        } else if DB::POSITION_IN {
            out.push_sql("POSITION(");
            self.0.to_sql(out);
            out.push_sql(" IN ");
            self.1.to_sql(out);
        } else {
            out.push_sql("instr(");
            self.1.to_sql(out);
            out.push_sql(", ");
            self.0.to_sql(out);
        }
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if DB::POSITION_IN {
            self.0.collect_binds(out)?;
            self.1.collect_binds(out)
        } else {
            self.1.collect_binds(out)?;
            self.0.collect_binds(out)
        }
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && self.1.has_static_sql()
    }
}

crate::__impl_arithmetic!([N, E] Position<N, E>);
crate::__impl_as_expression!([N, E] Position<N, E>);

/// `LPAD(text, length, fill)`: `text` filled on the left with `fill` up to `length` characters,
/// or cut to `length` when longer (as PostgreSQL and MySQL do; SQLite, which has no `lpad`,
/// gets the same from `substr`, `replace` and `zeroblob`).
pub fn lpad<E, N, F>(text: E, length: N, fill: F) -> Pad<E, N::Expression, F::Expression, true>
where
    E: Expression,
    E::SqlType: TextOperand,
    N: AsExpression<Integer>,
    F: AsExpression<Text>,
{
    Pad(text, length.into_expression(), fill.into_expression())
}

/// `RPAD(text, length, fill)`: as [`lpad`], filled on the right.
pub fn rpad<E, N, F>(text: E, length: N, fill: F) -> Pad<E, N::Expression, F::Expression, false>
where
    E: Expression,
    E::SqlType: TextOperand,
    N: AsExpression<Integer>,
    F: AsExpression<Text>,
{
    Pad(text, length.into_expression(), fill.into_expression())
}

/// See [`lpad`] (`LEFT`) and [`rpad`].
#[derive(Debug, Clone, Copy)]
pub struct Pad<E, N, F, const LEFT: bool>(E, N, F);

impl<E: Expression, N: Expression, F: Expression, const LEFT: bool> Expression
    for Pad<E, N, F, LEFT>
{
    type SqlType = E::SqlType;
}

impl<E, N, F, QS, IE, IN, IF, const LEFT: bool> AppearsIn<QS, (IE, (IN, IF))> for Pad<E, N, F, LEFT>
where
    E: AppearsIn<QS, IE>,
    N: AppearsIn<QS, IN>,
    F: AppearsIn<QS, IF>,
    Self: Expression,
{
    type Nullability =
        <E::Nullability as Nullability>::Or<<N::Nullability as Nullability>::Or<F::Nullability>>;
    type Aggregation = <E::Aggregation as super::Aggregation>::And<
        <N::Aggregation as super::Aggregation>::And<F::Aggregation>,
    >;
    type SqlRow =
        Seen<<Self as AppearsIn<QS, (IE, (IN, IF))>>::Nullability, <Self as Expression>::SqlType>;
}

type PadPieces = super::sql_pieces::SqlPieces<PadPiece>;

#[derive(Clone, Copy)]
enum PadPiece {
    Sql(&'static str),
    Text,
    Length,
    Fill,
}

/// The pieces of `lpad` / `rpad` as `padding` writes them; walked once to write and once to
/// bind, so the repeated operands bind in order.
fn pad_pieces(padding: crate::backend::Padding, left: bool) -> PadPieces {
    use crate::backend::Padding;
    use PadPiece::{Fill, Length, Sql, Text};
    let native = [
        Sql(if left { "LPAD(" } else { "RPAD(" }),
        Text,
        Sql(", "),
        Length,
        Sql(", "),
        Fill,
        Sql(")"),
    ];
    match padding {
        Padding::Native => return PadPieces::of(&native),
        Padding::NativeButNullForEmptyFill => {
            let mut pieces = PadPieces::of(&[Sql("COALESCE(")]);
            pieces.extend(native);
            pieces.extend([Sql(", LEFT("), Text, Sql(", "), Length, Sql("))")]);
            return pieces;
        }
        Padding::Substr => {}
        // `LEN` ignores trailing spaces; `LEN(s + 'x') - 1` counts them.
        Padding::Replicate => {
            let filler = [
                Sql("LEFT(REPLICATE("),
                Fill,
                Sql(", "),
                Length,
                Sql("), "),
                Length,
                Sql(" - (LEN("),
                Text,
                Sql(" + 'x') - 1))"),
            ];
            let mut pieces = PadPieces::of(&[
                Sql("CASE WHEN LEN("),
                Text,
                Sql(" + 'x') - 1 >= "),
                Length,
                Sql(" THEN LEFT("),
                Text,
                Sql(", "),
                Length,
                Sql(") ELSE "),
            ]);
            if left {
                pieces.extend(filler);
                pieces.extend([Sql(" + "), Text]);
            } else {
                pieces.extend([Text, Sql(" + ")]);
                pieces.extend(filler);
            }
            pieces.push(Sql(" END"));
            return pieces;
        }
    }
    let filler = [
        Sql("substr(replace(hex(zeroblob("),
        Length,
        Sql(")), '00', "),
        Fill,
        Sql("), 1, "),
        Length,
        Sql(" - length("),
        Text,
        Sql("))"),
    ];
    let mut pieces = PadPieces::of(&[
        Sql("CASE WHEN length("),
        Text,
        Sql(") >= "),
        Length,
        Sql(" THEN substr("),
        Text,
        Sql(", 1, "),
        Length,
        Sql(") ELSE "),
    ]);
    if left {
        pieces.extend(filler);
        pieces.extend([Sql(" || "), Text]);
    } else {
        pieces.extend([Text, Sql(" || ")]);
        pieces.extend(filler);
    }
    pieces.push(Sql(" END"));
    pieces
}

impl<E, N, F, DB, const LEFT: bool> QueryFragment<DB> for Pad<E, N, F, LEFT>
where
    E: QueryFragment<DB>,
    N: QueryFragment<DB>,
    F: QueryFragment<DB>,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        for piece in pad_pieces(DB::PADDING, LEFT).iter() {
            match piece {
                PadPiece::Sql(sql) => out.push_sql(sql),
                PadPiece::Text => self.0.to_sql(out),
                PadPiece::Length => self.1.to_sql(out),
                PadPiece::Fill => self.2.to_sql(out),
            }
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        for piece in pad_pieces(DB::PADDING, LEFT).iter() {
            match piece {
                PadPiece::Sql(_) => {}
                PadPiece::Text => self.0.collect_binds(out)?,
                PadPiece::Length => self.1.collect_binds(out)?,
                PadPiece::Fill => self.2.collect_binds(out)?,
            }
        }
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        self.0.has_static_sql() && self.1.has_static_sql() && self.2.has_static_sql()
    }
}

crate::__impl_as_expression!([E, N, F, const LEFT: bool] Pad<E, N, F, LEFT>);
