//! `a.op("~", b)` and `a.bool_op("~", b)`: a binary operator philtre does not name — a
//! PostgreSQL regular-expression match, a bitwise operator — as SQLAlchemy's `.op()` and
//! `.bool_op()` write it. The operator is SQL text: it is checked to be an operator (symbols, or
//! words such as `REGEXP`) before it is sent, so it cannot carry anything else into the
//! statement.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::types::{Bool, Nullability, SqlType};

use super::operators::NullableIfEither;
use super::{AppearsIn, Expression, QueryFragment};

/// `left OPERATOR right`, typed `ST` (the left side's type for [`op`], `BOOLEAN` for
/// [`bool_op`]).
///
/// [`op`]: super::ExpressionMethods::op
/// [`bool_op`]: super::ExpressionMethods::bool_op
#[derive(Debug, Clone, Copy)]
pub struct CustomOperator<L, R, ST> {
    left: L,
    operator: &'static str,
    right: R,
    _type: PhantomData<ST>,
}

impl<L, R, ST> CustomOperator<L, R, ST> {
    pub(crate) fn new(left: L, operator: &'static str, right: R) -> Self {
        CustomOperator {
            left,
            operator,
            right,
            _type: PhantomData,
        }
    }
}

/// The result type of a custom operator: the left side's for `op`, `Bool` for `bool_op`
/// (nullable when either side is).
pub trait CustomResult<L: SqlType, R: SqlType> {
    /// The SQL type.
    type Output: SqlType;
}

/// Marker for [`super::ExpressionMethods::op`]: typed as the left side.
#[derive(Debug, Clone, Copy)]
pub struct SameAsLeft;

impl<L: SqlType, R: SqlType> CustomResult<L, R> for SameAsLeft
where
    L::NotNull: SqlType,
{
    type Output = NullableIfEither<L, R, L::NotNull>;
}

impl<L: SqlType, R: SqlType> CustomResult<L, R> for Bool {
    type Output = NullableIfEither<L, R, Bool>;
}

impl<L: Expression, R: Expression, ST: CustomResult<L::SqlType, R::SqlType>> Expression
    for CustomOperator<L, R, ST>
{
    type SqlType = ST::Output;
}

impl<L, R, ST, QS, IL, IR> AppearsIn<QS, (IL, IR)> for CustomOperator<L, R, ST>
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

/// Whether `operator` is an operator: symbols (`~`, `@>`, `<->`, `||`), or words of letters
/// and single spaces (`REGEXP`, `SIMILAR TO`) — nothing that could end a string, a comment or
/// the statement.
fn is_operator(operator: &str) -> bool {
    const SYMBOLS: &str = "+-*/<>=~!@#%^&|`?";
    let symbols = !operator.is_empty()
        && operator.chars().all(|c| SYMBOLS.contains(c))
        && !operator.contains("--")
        && !operator.contains("/*");
    let words = !operator.is_empty()
        && !operator.starts_with(' ')
        && !operator.ends_with(' ')
        && !operator.contains("  ")
        && operator
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == ' ');
    symbols || words
}

impl<L, R, ST, DB> QueryFragment<DB> for CustomOperator<L, R, ST>
where
    DB: Backend,
    L: QueryFragment<DB>,
    R: QueryFragment<DB>,
{
    fn condition_form(&self) -> Option<bool> {
        None
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("(");
        self.left.to_sql(out);
        out.push_sql(" ");
        out.push_sql(self.operator);
        out.push_sql(" ");
        self.right.to_sql(out);
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if !is_operator(self.operator) {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "{:?} is not an SQL operator: `.op()` takes symbols (`~`, `@>`) or words \
                     (`REGEXP`), nothing else",
                    self.operator
                ),
            ));
        }
        self.left.collect_binds(out)?;
        self.right.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        // The operator is part of the text: two values of this type may differ in it.
        false
    }
}

crate::__impl_as_expression!([L, R, ST] CustomOperator<L, R, ST>);

#[cfg(test)]
mod tests {
    use super::is_operator;

    #[test]
    fn operators_and_not() {
        for ok in [
            "~",
            "~*",
            "!~",
            "@>",
            "<->",
            "||",
            "&",
            "REGEXP",
            "SIMILAR TO",
            "#>>",
        ] {
            assert!(is_operator(ok), "{ok}");
        }
        for bad in [
            "",
            "'",
            "; DROP TABLE x",
            "--",
            "/* */",
            "=1 OR 1",
            "a  b",
            " LIKE",
            "(",
            "~'",
        ] {
            assert!(!is_operator(bad), "{bad}");
        }
    }
}
