//! Matching text: `LIKE … ESCAPE`, `contains` / `starts_with` / `ends_with` (with their
//! case-insensitive twins) that escape the wildcards of the value themselves, and `COLLATE`.
//!
//! The value of `contains("50%")` is a Rust string; philtre writes the pattern in Rust —
//! `%50/%%` — and sends it as one bound value with `ESCAPE '/'` (SQLAlchemy's `autoescape`
//! uses `/` too: unlike `\`, it means the same in every database's string literals). So a `%`,
//! `_` or `/` in the value matches itself, never any text.

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::types::{Nullability, Text};

use super::functions::{Func, builtin};
use super::operators::{Binary, ILike, op};
use super::{Aggregation, AppearsIn, AsExpression, Expression, QueryFragment};

/// A text value bound as a parameter (the pattern, the escape character).
pub type TextValue = <String as AsExpression<Text>>::Expression;

/// `LOWER(e)`: what the case-insensitive matches compare.
pub type Lowered<E> = Func<builtin::Lower, (E,), <E as Expression>::SqlType>;

/// `like ESCAPE escape`: a `LIKE`, `NOT LIKE` or `ILIKE` whose pattern escapes its wildcards
/// with the character `escape` holds. Made by [`Binary::escape`] (on `like` / `not_like`),
/// [`ILike::escape`], and the `contains` family of [`super::ExpressionMethods`].
#[derive(Debug, Clone)]
pub struct Escaped<Like, Esc> {
    like: Like,
    escape: Esc,
}

/// The character the `contains` family escapes wildcards with.
const ESCAPE: char = '/';

/// `value` with `%`, `_` and the escape character escaped, between `before` and `after`.
fn pattern(before: &str, value: &str, after: &str) -> String {
    let mut out = String::with_capacity(value.len() + before.len() + after.len() + 4);
    out.push_str(before);
    for c in value.chars() {
        if matches!(c, '%' | '_' | ESCAPE) {
            out.push(ESCAPE);
        }
        out.push(c);
    }
    out.push_str(after);
    out
}

fn escape_value(escape: char) -> TextValue {
    AsExpression::<Text>::into_expression(escape.to_string())
}

/// `left LIKE '<before>value<after>' ESCAPE '/'`, `value` escaped.
pub(crate) fn matching<L>(
    left: L,
    before: &str,
    value: &str,
    after: &str,
) -> Escaped<Binary<op::Like, L, TextValue>, TextValue> {
    let pattern = AsExpression::<Text>::into_expression(pattern(before, value, after));
    Escaped {
        like: Binary::new(left, pattern),
        escape: escape_value(ESCAPE),
    }
}

/// `LOWER(left) LIKE LOWER('<before>value<after>') ESCAPE '/'`, `value` escaped: both sides
/// lowered by the database, so they agree with each other on every backend.
#[allow(clippy::type_complexity)]
pub(crate) fn matching_any_case<L: Expression>(
    left: L,
    before: &str,
    value: &str,
    after: &str,
) -> Escaped<Binary<op::Like, Lowered<L>, Lowered<TextValue>>, TextValue> {
    let pattern = AsExpression::<Text>::into_expression(pattern(before, value, after));
    Escaped {
        like: Binary::new(Func::new((left,)), Func::new((pattern,))),
        escape: escape_value(ESCAPE),
    }
}

impl<L, R> Binary<op::Like, L, R> {
    /// `… LIKE pattern ESCAPE 'c'`: in `pattern`, `c` before `%`, `_` or itself makes it match
    /// itself. `sku.like("A!_%").escape('!')` matches `A_1` but not `AB1`.
    pub fn escape(self, escape: char) -> Escaped<Self, TextValue> {
        Escaped {
            like: self,
            escape: escape_value(escape),
        }
    }
}

impl<L, R> Binary<op::NotLike, L, R> {
    /// `… NOT LIKE pattern ESCAPE 'c'` (see the `LIKE` one).
    pub fn escape(self, escape: char) -> Escaped<Self, TextValue> {
        Escaped {
            like: self,
            escape: escape_value(escape),
        }
    }
}

impl<L, R> ILike<L, R> {
    /// `… ILIKE pattern ESCAPE 'c'` (see the `LIKE` one).
    pub fn escape(self, escape: char) -> Escaped<Self, TextValue> {
        Escaped {
            like: self,
            escape: escape_value(escape),
        }
    }
}

impl<Like: Expression, Esc> Expression for Escaped<Like, Esc> {
    type SqlType = Like::SqlType;
}

impl<Like, Esc, QS, ILk, IE> AppearsIn<QS, (ILk, IE)> for Escaped<Like, Esc>
where
    Like: AppearsIn<QS, ILk>,
    Esc: AppearsIn<QS, IE>,
    Self: Expression,
{
    type Nullability = <Like::Nullability as Nullability>::Or<Esc::Nullability>;
    type Aggregation = <Like::Aggregation as Aggregation>::And<Esc::Aggregation>;
    type SqlRow =
        super::Seen<<Self as AppearsIn<QS, (ILk, IE)>>::Nullability, <Self as Expression>::SqlType>;
}

impl<Like, Esc, DB> QueryFragment<DB> for Escaped<Like, Esc>
where
    DB: Backend,
    Like: QueryFragment<DB>,
    Esc: QueryFragment<DB>,
{
    fn condition_form(&self) -> Option<bool> {
        Some(true)
    }
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.like.to_sql(out);
        out.push_sql(" ESCAPE ");
        self.escape.to_sql(out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.like.collect_binds(out)?;
        self.escape.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        self.like.has_static_sql() && self.escape.has_static_sql()
    }
}

crate::__impl_as_expression!([Like, Esc] Escaped<Like, Esc>);

/// `expr COLLATE "name"`: text compared and ordered by collation `name` (the database's own
/// name for it: `"C"` on PostgreSQL, `NOCASE` on SQLite, `utf8mb4_bin` on MySQL). Made by
/// [`super::ExpressionMethods::collate`].
#[derive(Debug, Clone)]
pub struct Collate<E> {
    expr: E,
    collation: String,
}

impl<E> Collate<E> {
    pub(crate) fn new(expr: E, collation: &str) -> Self {
        Collate {
            expr,
            collation: collation.to_owned(),
        }
    }
}

impl<E: Expression> Expression for Collate<E> {
    type SqlType = E::SqlType;
}

crate::__impl_wrapper_appears_in!([E] Collate<E>, E);

impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Collate<E> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.expr.to_sql(out);
        out.push_sql(" COLLATE ");
        // Quoted as an identifier, so any name is taken literally and nothing else.
        out.push_identifier(&self.collation);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.expr.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        // The name is a value: the SQL is rendered for each statement.
        false
    }
}

crate::__impl_as_expression!([E] Collate<E>);

#[cfg(test)]
mod tests {
    use super::pattern;

    #[test]
    fn wildcards_and_the_escape_character_are_escaped() {
        assert_eq!(pattern("%", "50%_off/now", "%"), "%50/%/_off//now%");
        assert_eq!(pattern("", "plain", "%"), "plain%");
    }
}
