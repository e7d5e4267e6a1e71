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
}

impl<T, ST, DB> ToSql<ST, DB> for &T
where
    T: ToSql<ST, DB> + ?Sized,
    DB: Backend,
{
    fn to_sql(&self) -> QueryResult<DB::BindValue<'_>> {
        (**self).to_sql()
    }
}
