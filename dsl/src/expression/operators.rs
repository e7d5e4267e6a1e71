//! Operator nodes: comparisons, boolean connectives, arithmetic, `LIKE`, `IN`, `BETWEEN`.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, ConcatStyle, IntegerDivision, SqlWriter};
use crate::error::QueryResult;
use crate::types::{Bool, Nullability, SqlType, Text};

use super::{Aggregation, AppearsIn, Expression, PromotesWith, QueryFragment};

/// The SQL type a comparison of `L` and `R` yields: `Bool`, or `Nullable<Bool>` when either
/// side may be NULL.
pub type NullableIfEither<L, R, Out> = <<<L as SqlType>::Nullability as Nullability>::Or<
    <R as SqlType>::Nullability,
> as Nullability>::Apply<Out>;

/// An infix operator: its SQL spelling and the SQL type it yields.
pub trait BinaryOperator {
    /// The operator as written in SQL, with surrounding spaces.
    const SQL: &'static str;
    /// Whether the whole operation is wrapped in parentheses (arithmetic and AND/OR are, so
    /// that nesting never depends on precedence).
    const PARENS: bool;
    /// Whether the operation is a condition (a comparison, LIKE, AND, OR), not a value (see
    /// [`QueryFragment::condition_form`]).
    const CONDITION: bool = false;
    /// The operator's spelling on backend `DB`, given the operands' SQL types.
    fn sql<DB: Backend, L: SqlType, R: SqlType>() -> &'static str {
        Self::SQL
    }
    /// Where backend `DB` writes the operation as a function of the two operands instead
    /// (`MOD(a, b)`, Oracle's `TRUNC(a / b)` for two integers): its opening, the text between
    /// the operands, and its closing.
    fn function_form<DB: Backend, L: SqlType, R: SqlType>()
    -> Option<(&'static str, &'static str, &'static str)> {
        None
    }
}

/// The SQL type operator `Self` yields for operands of SQL types `L` and `R`: `Bool` for a
/// comparison (nullable when either side is), the promoted numeric type for arithmetic
/// (`INTEGER * NUMERIC` is `NUMERIC`; see [`super::PromotesWith`]).
pub trait OperatorResult<L: SqlType, R: SqlType> {
    /// The result type.
    type Output: SqlType;
}

/// Operator markers. Users meet them only in type names.
pub mod op {
    use super::*;

    macro_rules! operators {
        ($($(#[$doc:meta])* $name:ident = $sql:literal, $parens:literal, $kind:ident;)*) => {$(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, Default)]
            pub struct $name;
            impl BinaryOperator for $name {
                const SQL: &'static str = $sql;
                const PARENS: bool = $parens;
                const CONDITION: bool = operators!(@condition $kind);
                operators!(@sql $name);
            }
            operators!(@output $kind $name);
        )*};
        (@condition boolean) => { true };
        (@condition arithmetic) => { false };
        (@output boolean $name:ident) => {
            impl<L: SqlType, R: SqlType> OperatorResult<L, R> for $name {
                type Output = NullableIfEither<L, R, Bool>;
            }
        };
        (@output arithmetic $name:ident) => {
            impl<L: SqlType, R: SqlType> OperatorResult<L, R> for $name
            where
                L::NotNull: PromotesWith<R::NotNull>,
            {
                type Output =
                    NullableIfEither<L, R, <L::NotNull as PromotesWith<R::NotNull>>::Output>;
            }
        };
        // Two integers divide as integers (`DIV` on MySQL); with a float or NUMERIC on either
        // side, `/` is exact division everywhere.
        // Oracle's `/` keeps the fraction: two integers divide as `TRUNC(a / b)` there.
        (@sql Div) => {
            fn sql<DB: Backend, L: SqlType, R: SqlType>() -> &'static str {
                match DB::INTEGER_DIVISION {
                    IntegerDivision::DivOperator if L::IS_INTEGER && R::IS_INTEGER => " DIV ",
                    _ => Self::SQL,
                }
            }
            fn function_form<DB: Backend, L: SqlType, R: SqlType>()
            -> Option<(&'static str, &'static str, &'static str)> {
                let truncated = DB::INTEGER_DIVISION == IntegerDivision::TruncatedQuotient;
                (truncated && L::IS_INTEGER && R::IS_INTEGER).then_some(("TRUNC(", " / ", ")"))
            }
        };
        // `MOD(a, b)` where the backend writes the remainder as a function (Oracle).
        (@sql Rem) => {
            fn function_form<DB: Backend, L: SqlType, R: SqlType>()
            -> Option<(&'static str, &'static str, &'static str)> {
                DB::MODULO_FUNCTION.then_some(("MOD(", ", ", ")"))
            }
        };
        (@sql $other:ident) => {};
    }

    operators! {
        /// `=`
        Eq = " = ", false, boolean;
        /// `<>`
        Ne = " <> ", false, boolean;
        /// `>`
        Gt = " > ", false, boolean;
        /// `>=`
        Ge = " >= ", false, boolean;
        /// `<`
        Lt = " < ", false, boolean;
        /// `<=`
        Le = " <= ", false, boolean;
        /// `LIKE`
        Like = " LIKE ", false, boolean;
        /// `NOT LIKE`
        NotLike = " NOT LIKE ", false, boolean;
        /// `AND`
        And = " AND ", true, boolean;
        /// `OR`
        Or = " OR ", true, boolean;
        /// `+`
        Add = " + ", true, arithmetic;
        /// `-`
        Sub = " - ", true, arithmetic;
        /// `*`
        Mul = " * ", true, arithmetic;
        /// `/`
        Div = " / ", true, arithmetic;
        /// `%`: the remainder of integer division (the sign of the dividend).
        Rem = " % ", true, arithmetic;
    }

    /// `IS NULL`
    #[derive(Debug, Clone, Copy, Default)]
    pub struct IsNull;
    /// `IS NOT NULL`
    #[derive(Debug, Clone, Copy, Default)]
    pub struct IsNotNull;
    /// `IN (…)`
    #[derive(Debug, Clone, Copy, Default)]
    pub struct In;
    /// `NOT IN (…)`
    #[derive(Debug, Clone, Copy, Default)]
    pub struct NotIn;
}

/// `left OP right`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Binary<Op, L, R> {
    left: L,
    right: R,
    _op: PhantomData<Op>,
}

impl<Op, L, R> Binary<Op, L, R> {
    /// Combines two expressions with operator `Op`.
    pub fn new(left: L, right: R) -> Self {
        Binary {
            left,
            right,
            _op: PhantomData,
        }
    }

    /// The left operand.
    pub fn left(&self) -> &L {
        &self.left
    }

    /// The right operand.
    pub fn right(&self) -> &R {
        &self.right
    }

    /// The two operands, left and right.
    pub fn into_operands(self) -> (L, R) {
        (self.left, self.right)
    }
}

/// `a = b`
pub type Eq<L, R> = Binary<op::Eq, L, R>;
/// `a <> b`
pub type Ne<L, R> = Binary<op::Ne, L, R>;
/// `a > b`
pub type Gt<L, R> = Binary<op::Gt, L, R>;
/// `a >= b`
pub type Ge<L, R> = Binary<op::Ge, L, R>;
/// `a < b`
pub type Lt<L, R> = Binary<op::Lt, L, R>;
/// `a <= b`
pub type Le<L, R> = Binary<op::Le, L, R>;
/// `a LIKE b`
pub type Like<L, R> = Binary<op::Like, L, R>;
/// `a NOT LIKE b`
pub type NotLike<L, R> = Binary<op::NotLike, L, R>;
/// `a AND b`
pub type And<L, R> = Binary<op::And, L, R>;
/// `a OR b`
pub type Or<L, R> = Binary<op::Or, L, R>;
/// `a + b`
pub type Add<L, R> = Binary<op::Add, L, R>;
/// `a - b`
pub type Sub<L, R> = Binary<op::Sub, L, R>;
/// `a * b`
pub type Mul<L, R> = Binary<op::Mul, L, R>;
/// `a / b`
pub type Div<L, R> = Binary<op::Div, L, R>;
/// `a % b`
pub type Rem<L, R> = Binary<op::Rem, L, R>;

impl<Op, L, R> Expression for Binary<Op, L, R>
where
    Op: BinaryOperator + OperatorResult<L::SqlType, R::SqlType>,
    L: Expression,
    R: Expression,
{
    type SqlType = <Op as OperatorResult<L::SqlType, R::SqlType>>::Output;
}

impl<Op, L, R, QS, IL, IR> AppearsIn<QS, (IL, IR)> for Binary<Op, L, R>
where
    L: AppearsIn<QS, IL>,
    R: AppearsIn<QS, IR>,
    Self: crate::expression::Expression,
{
    type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
    type Aggregation = <L::Aggregation as Aggregation>::And<R::Aggregation>;
    type SqlRow = crate::expression::Seen<
        <Self as crate::expression::AppearsIn<QS, (IL, IR)>>::Nullability,
        <Self as crate::expression::Expression>::SqlType,
    >;
}

impl<Op, L, R, DB> QueryFragment<DB> for Binary<Op, L, R>
where
    DB: Backend,
    Op: BinaryOperator,
    L: Expression + QueryFragment<DB>,
    R: Expression + QueryFragment<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        if let Some((open, between, close)) = Op::function_form::<DB, L::SqlType, R::SqlType>() {
            out.push_sql(open);
            super::write_value(&self.left, out);
            out.push_sql(between);
            super::write_value(&self.right, out);
            out.push_sql(close);
            return;
        }
        let operator = Op::sql::<DB, L::SqlType, R::SqlType>();
        if Op::PARENS {
            out.push_sql("(");
        }
        // The sides of AND and OR are conditions; of any other operator, values.
        if operator == op::And::SQL || operator == op::Or::SQL {
            super::write_condition(&self.left, out);
            out.push_sql(operator);
            super::write_condition(&self.right, out);
        } else {
            super::write_value(&self.left, out);
            out.push_sql(operator);
            super::write_value(&self.right, out);
        }
        if Op::PARENS {
            out.push_sql(")");
        }
    }
    fn condition_form(&self) -> Option<bool> {
        Some(Op::CONDITION)
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.left.collect_binds(out)?;
        self.right.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.left.has_static_sql() && self.right.has_static_sql()
    }
    fn sql_shape(&self, shape: &mut super::SqlShape) -> bool {
        self.left.sql_shape(shape) && self.right.sql_shape(shape)
    }
}

/// A postfix operator such as `IS NULL`.
pub trait PostfixOperator {
    /// The SQL, with a leading space.
    const SQL: &'static str;
}
impl PostfixOperator for op::IsNull {
    const SQL: &'static str = " IS NULL";
}
impl PostfixOperator for op::IsNotNull {
    const SQL: &'static str = " IS NOT NULL";
}

/// `expr IS NULL` / `expr IS NOT NULL`.
#[derive(Debug, Clone, Copy)]
pub struct Postfix<Op, E> {
    expr: E,
    _op: PhantomData<Op>,
}

impl<Op, E> Postfix<Op, E> {
    /// Applies `Op` to `expr`.
    pub fn new(expr: E) -> Self {
        Postfix {
            expr,
            _op: PhantomData,
        }
    }
}

/// `expr IS NULL`
pub type IsNull<E> = Postfix<op::IsNull, E>;
/// `expr IS NOT NULL`
pub type IsNotNull<E> = Postfix<op::IsNotNull, E>;

impl<Op, E: Expression> Expression for Postfix<Op, E> {
    type SqlType = Bool;
}

/// `IS NULL` is never NULL itself, even on the nullable side of an outer join.
impl<Op, E: AppearsIn<QS, I>, QS, I> AppearsIn<QS, I> for Postfix<Op, E>
where
    Self: crate::expression::Expression,
{
    type Nullability = crate::types::NotNullable;
    type Aggregation = E::Aggregation;
    type SqlRow = crate::expression::Seen<
        <Self as crate::expression::AppearsIn<QS, I>>::Nullability,
        <Self as crate::expression::Expression>::SqlType,
    >;
}

impl<Op: PostfixOperator, E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Postfix<Op, E> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        super::write_value(&self.expr, out);
        out.push_sql(Op::SQL);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.expr.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.expr.has_static_sql()
    }
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
}

/// `-(expr)`: unary minus, of the same numeric type.
#[derive(Debug, Clone, Copy)]
pub struct Negated<E> {
    expr: E,
}

impl<E> Negated<E> {
    /// `-(expr)`.
    pub fn new(expr: E) -> Self {
        Negated { expr }
    }
}

impl<E: Expression> Expression for Negated<E> {
    type SqlType = E::SqlType;
}

crate::__impl_wrapper_appears_in!([E] Negated<E>, E);

impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Negated<E> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("-(");
        self.expr.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.expr.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.expr.has_static_sql()
    }
}

crate::__impl_arithmetic!([E] Negated<E>);
crate::__impl_as_expression!([E] Negated<E>);

/// `NOT (expr)`.
#[derive(Debug, Clone, Copy)]
pub struct Not<E> {
    expr: E,
}

impl<E> Not<E> {
    /// Negates `expr`.
    pub fn new(expr: E) -> Self {
        Not { expr }
    }
}

impl<E: Expression> Expression for Not<E> {
    type SqlType = E::SqlType;
}

impl<E: AppearsIn<QS, I>, QS, I> AppearsIn<QS, I> for Not<E>
where
    Self: crate::expression::Expression,
{
    type Nullability = E::Nullability;
    type Aggregation = E::Aggregation;
    type SqlRow = crate::expression::Seen<
        <Self as crate::expression::AppearsIn<QS, I>>::Nullability,
        <Self as crate::expression::Expression>::SqlType,
    >;
}

impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Not<E> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("NOT (");
        super::write_condition(&self.expr, out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.expr.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.expr.has_static_sql()
    }
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
}

/// `expr BETWEEN low AND high`.
#[derive(Debug, Clone, Copy)]
pub struct Between<E, Lo, Hi> {
    expr: E,
    low: Lo,
    high: Hi,
}

impl<E, Lo, Hi> Between<E, Lo, Hi> {
    /// `expr BETWEEN low AND high`.
    pub fn new(expr: E, low: Lo, high: Hi) -> Self {
        Between { expr, low, high }
    }
}

impl<E: Expression, Lo, Hi> Expression for Between<E, Lo, Hi> {
    type SqlType = <<E::SqlType as SqlType>::Nullability as Nullability>::Apply<Bool>;
}

impl<E, Lo, Hi, QS, IE, IL, IH> AppearsIn<QS, (IE, IL, IH)> for Between<E, Lo, Hi>
where
    E: AppearsIn<QS, IE>,
    Lo: AppearsIn<QS, IL>,
    Hi: AppearsIn<QS, IH>,
    Self: crate::expression::Expression,
{
    type SqlRow = crate::expression::Seen<
        <Self as AppearsIn<QS, (IE, IL, IH)>>::Nullability,
        <Self as Expression>::SqlType,
    >;
    type Nullability =
        <<E::Nullability as Nullability>::Or<Lo::Nullability> as Nullability>::Or<Hi::Nullability>;
    type Aggregation = <<E::Aggregation as Aggregation>::And<Lo::Aggregation> as Aggregation>::And<
        Hi::Aggregation,
    >;
}

impl<E, Lo, Hi, DB> QueryFragment<DB> for Between<E, Lo, Hi>
where
    DB: Backend,
    E: QueryFragment<DB>,
    Lo: QueryFragment<DB>,
    Hi: QueryFragment<DB>,
{
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.expr.to_sql(out);
        out.push_sql(" BETWEEN ");
        self.low.to_sql(out);
        out.push_sql(" AND ");
        self.high.to_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.expr.collect_binds(out)?;
        self.low.collect_binds(out)?;
        self.high.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.expr.has_static_sql() && self.low.has_static_sql() && self.high.has_static_sql()
    }
}

/// `expr IN (a, b, …)` or `expr NOT IN (…)` over a list of run-time length.
///
/// An empty list renders as a condition with the same meaning (`1 = 0` for `IN`, `1 = 1` for
/// `NOT IN`), since `IN ()` is not valid SQL.
#[derive(Debug, Clone)]
pub struct InList<Op, E, Item> {
    expr: E,
    items: Vec<Item>,
    _op: PhantomData<Op>,
}

impl<Op, E, Item> InList<Op, E, Item> {
    /// `expr IN items` (or `NOT IN`, per `Op`).
    pub fn new(expr: E, items: Vec<Item>) -> Self {
        InList {
            expr,
            items,
            _op: PhantomData,
        }
    }
}

impl<Op, E: Expression, Item> Expression for InList<Op, E, Item> {
    type SqlType = <<E::SqlType as SqlType>::Nullability as Nullability>::Apply<Bool>;
}

impl<Op, E, Item, QS, IE, II> AppearsIn<QS, (IE, II)> for InList<Op, E, Item>
where
    E: AppearsIn<QS, IE>,
    Item: AppearsIn<QS, II>,
    Self: crate::expression::Expression,
{
    type Nullability = <E::Nullability as Nullability>::Or<Item::Nullability>;
    type Aggregation = <E::Aggregation as Aggregation>::And<Item::Aggregation>;
    type SqlRow = crate::expression::Seen<
        <Self as crate::expression::AppearsIn<QS, (IE, II)>>::Nullability,
        <Self as crate::expression::Expression>::SqlType,
    >;
}

/// Whether an `InList` operator is negated.
pub trait InOperator {
    /// `true` for `NOT IN`.
    const NEGATED: bool;
}
impl InOperator for op::In {
    const NEGATED: bool = false;
}
impl InOperator for op::NotIn {
    const NEGATED: bool = true;
}

impl<Op, E, Item, DB> QueryFragment<DB> for InList<Op, E, Item>
where
    DB: Backend,
    Op: InOperator,
    E: QueryFragment<DB>,
    Item: QueryFragment<DB>,
{
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        if self.items.is_empty() {
            out.push_sql(if Op::NEGATED { "1 = 1" } else { "1 = 0" });
            return;
        }
        self.expr.to_sql(out);
        out.push_sql(if Op::NEGATED { " NOT IN (" } else { " IN (" });
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            item.to_sql(out);
        }
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if self.items.is_empty() {
            return Ok(());
        }
        self.expr.collect_binds(out)?;
        for item in &self.items {
            item.collect_binds(out)?;
        }
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        false
    }
    fn sql_shape(&self, shape: &mut super::SqlShape) -> bool {
        shape.push(self.items.len());
        self.expr.sql_shape(shape) && self.items.iter().all(|item| item.has_static_sql())
    }
}

/// String concatenation: `a || b`, or `CONCAT(a, b)` where the backend wants it.
#[derive(Debug, Clone, Copy)]
pub struct Concat<L, R> {
    left: L,
    right: R,
}

impl<L, R> Concat<L, R> {
    /// Concatenates two text expressions.
    pub fn new(left: L, right: R) -> Self {
        Concat { left, right }
    }
}

impl<L: Expression, R: Expression> Expression for Concat<L, R> {
    type SqlType = NullableIfEither<L::SqlType, R::SqlType, Text>;
}

impl<L, R, QS, IL, IR> AppearsIn<QS, (IL, IR)> for Concat<L, R>
where
    L: AppearsIn<QS, IL>,
    R: AppearsIn<QS, IR>,
    Self: crate::expression::Expression,
{
    type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
    type Aggregation = <L::Aggregation as Aggregation>::And<R::Aggregation>;
    type SqlRow = crate::expression::Seen<
        <Self as crate::expression::AppearsIn<QS, (IL, IR)>>::Nullability,
        <Self as crate::expression::Expression>::SqlType,
    >;
}

impl<L: QueryFragment<DB>, R: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Concat<L, R> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        match DB::CONCAT {
            style @ (ConcatStyle::PipesOperator | ConcatStyle::PlusOperator) => {
                out.push_sql("(");
                self.left.to_sql(out);
                out.push_sql(if style == ConcatStyle::PlusOperator {
                    " + "
                } else {
                    " || "
                });
                self.right.to_sql(out);
                out.push_sql(")");
            }
            ConcatStyle::ConcatFunction => {
                out.push_sql("CONCAT(");
                self.left.to_sql(out);
                out.push_sql(", ");
                self.right.to_sql(out);
                out.push_sql(")");
            }
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.left.collect_binds(out)?;
        self.right.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.left.has_static_sql() && self.right.has_static_sql()
    }
}

/// The right side of the arithmetic operator `Op` after a left side of type `Left`: checks
/// both sides' SQL types and builds the [`Binary`]. Implemented here once for every operand,
/// so that each numeric column's `Add`, `Sub`, … impl carries one bound instead of three (with
/// three, the operator impls were 40% of the compiler's work on a schema of 600 columns; with
/// one, the schema costs 8% less).
///
/// `Self` is the right side, a type parameter in each operator impl, so the compiler takes the
/// bound as given there instead of proving it for every column. A left side of the wrong SQL
/// type is reported by [`ArithmeticOperand`](crate::types::ArithmeticOperand) or
/// [`IntegerOperand`](crate::types::IntegerOperand); a right side that does not fit, by this
/// trait.
#[diagnostic::on_unimplemented(
    message = "arithmetic needs a number: `{Self}` cannot stand on the right of this operator after `{Left}`",
    label = "not a number this operator takes here",
    note = "`+ - * /` combine numbers of any numeric SQL type, `%` integers of one type; use `concat` for text"
)]
pub trait ArithmeticRhs<Left, Op>: Sized {
    /// The expression `left Op right`.
    type Output;
    /// Builds `left Op right`.
    fn combine(left: Left, right: Self) -> Self::Output;
}

macro_rules! arithmetic_rhs {
    ($($op:ident)*) => {$(
        impl<Left, Right> ArithmeticRhs<Left, op::$op> for Right
        where
            Left: Expression,
            Left::SqlType: crate::types::ArithmeticOperand<Right>,
            Right: crate::expression::NumericOperand<Left::SqlType>,
        {
            type Output = Binary<op::$op, Left, Right::Expression>;
            fn combine(left: Left, right: Self) -> Self::Output {
                Binary::new(left, right.into_operand())
            }
        }
    )*};
}
arithmetic_rhs!(Add Sub Mul Div);

// `%` between integers of one type: PostgreSQL has no `%` of floats, and SQLite's would
// truncate them first.
impl<Left, Right> ArithmeticRhs<Left, op::Rem> for Right
where
    Left: Expression,
    Left::SqlType: crate::types::IntegerOperand<Right>,
    Right: crate::expression::AsExpression<Left::SqlType>,
{
    type Output = Binary<op::Rem, Left, Right::Expression>;
    fn combine(left: Left, right: Self) -> Self::Output {
        Binary::new(left, right.into_expression())
    }
}

/// Implements `+ - * / %` and unary `-` for an expression type, through [`ArithmeticRhs`].
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_arithmetic {
    ([$($g:tt)*] $ty:ty) => {
        $crate::__impl_arithmetic!(@one [$($g)*] $ty, Add, add);
        $crate::__impl_arithmetic!(@one [$($g)*] $ty, Sub, sub);
        $crate::__impl_arithmetic!(@one [$($g)*] $ty, Mul, mul);
        $crate::__impl_arithmetic!(@one [$($g)*] $ty, Div, div);
        // `%` also states its left side's rule here: when the right side is a literal whose
        // integer type is not known yet, the compiler then refuses `%` at once ("cannot
        // calculate the remainder of `…`"), instead of reporting both sides' rules.
        $crate::__impl_arithmetic!(@one [$($g)*] $ty, Rem, rem,
            $ty: $crate::expression::Expression,
            <$ty as $crate::expression::Expression>::SqlType: $crate::types::IntegerOperand<__Rhs>,
        );
        // `__ST` keeps the bound generic, so a text column's missing `-` is an error where it
        // is used, not where the column is declared.
        impl<__ST, $($g)*> ::std::ops::Neg for $ty
        where
            $ty: $crate::expression::Expression<SqlType = __ST>,
            __ST: $crate::types::SignedOperand,
        {
            type Output = $crate::expression::Negated<$ty>;
            fn neg(self) -> Self::Output {
                $crate::expression::Negated::new(self)
            }
        }
    };
    // `__Rhs` keeps the bound generic, so a column of another type is refused where the
    // operator is used.
    (@one [$($g:tt)*] $ty:ty, $trait:ident, $method:ident $(, $($bound:tt)*)?) => {
        impl<__Rhs, $($g)*> ::std::ops::$trait<__Rhs> for $ty
        where
            __Rhs: $crate::expression::ArithmeticRhs<$ty, $crate::expression::operators_op::$trait>,
            $($($bound)*)?
        {
            type Output = <__Rhs as $crate::expression::ArithmeticRhs<
                $ty,
                $crate::expression::operators_op::$trait,
            >>::Output;
            fn $method(self, rhs: __Rhs) -> Self::Output {
                <__Rhs as $crate::expression::ArithmeticRhs<
                    $ty,
                    $crate::expression::operators_op::$trait,
                >>::combine(self, rhs)
            }
        }
    };
}

__impl_arithmetic!([Op, L, R] Binary<Op, L, R>);

crate::__impl_as_expression!([Op, L, R] Binary<Op, L, R>);
crate::__impl_as_expression!([Op, E] Postfix<Op, E>);
crate::__impl_as_expression!([E] Not<E>);
crate::__impl_as_expression!([E, Lo, Hi] Between<E, Lo, Hi>);
crate::__impl_as_expression!([Op, E, Item] InList<Op, E, Item>);
crate::__impl_as_expression!([L, R] Concat<L, R>);

/// `a ILIKE b`: case-insensitive LIKE, on backends that have it (PostgreSQL).
#[derive(Debug, Clone, Copy)]
pub struct ILike<L, R> {
    left: L,
    right: R,
}

impl<L, R> ILike<L, R> {
    /// `left ILIKE right`.
    pub fn new(left: L, right: R) -> Self {
        ILike { left, right }
    }
}

impl<L: Expression, R: Expression> Expression for ILike<L, R> {
    type SqlType = NullableIfEither<L::SqlType, R::SqlType, Bool>;
}

impl<L, R, QS, IL, IR> AppearsIn<QS, (IL, IR)> for ILike<L, R>
where
    L: AppearsIn<QS, IL>,
    R: AppearsIn<QS, IR>,
    Self: crate::expression::Expression,
{
    type Nullability = <L::Nullability as Nullability>::Or<R::Nullability>;
    type Aggregation = <L::Aggregation as Aggregation>::And<R::Aggregation>;
    type SqlRow = crate::expression::Seen<
        <Self as crate::expression::AppearsIn<QS, (IL, IR)>>::Nullability,
        <Self as crate::expression::Expression>::SqlType,
    >;
}

impl<L, R, DB> QueryFragment<DB> for ILike<L, R>
where
    DB: crate::backend::SupportsIlike,
    L: QueryFragment<DB>,
    R: QueryFragment<DB>,
{
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.left.to_sql(out);
        out.push_sql(" ILIKE ");
        self.right.to_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.left.collect_binds(out)?;
        self.right.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.left.has_static_sql() && self.right.has_static_sql()
    }
}

crate::__impl_as_expression!([L, R] ILike<L, R>);
