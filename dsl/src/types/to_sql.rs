use crate::backend::Backend;
use crate::error::QueryResult;

/// Converts a Rust value into a bind value of SQL type `ST` for backend `DB`.
///
/// Backend crates implement it for the Rust types they map; implement it yourself to bind a
/// type of your own (and [`crate::types::HoldsSqlType`] and
/// [`crate::expression::AsExpression`] to use it in queries).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent to the database as SQL type `{ST}`",
    label = "no conversion to `{ST}`"
)]
pub trait ToSql<ST, DB: Backend> {
    /// The value to bind. Borrowing from `self` avoids copies of strings and blobs.
    fn to_sql(&self) -> QueryResult<DB::BindValue<'_>>;

    /// The value as a literal, for the one place the SQL text must carry it: a constant in a
    /// computed GROUP BY key, which must read the same wherever the key appears. Only numbers
    /// and booleans answer (a literal of them cannot carry SQL); the default, `None`, keeps the
    /// value bound.
    fn to_literal(&self) -> Option<crate::expression::LiteralValue> {
        None
    }
}

impl<T, ST, DB> ToSql<ST, DB> for &T
where
    T: ToSql<ST, DB> + ?Sized,
    DB: Backend,
{
    fn to_sql(&self) -> QueryResult<DB::BindValue<'_>> {
        (**self).to_sql()
    }
    fn to_literal(&self) -> Option<crate::expression::LiteralValue> {
        (**self).to_literal()
    }
}
