//! How a whole statement renders, apart from [`QueryFragment`].
//!
//! SELECT and INSERT implement [`QueryFragment`] through this trait, with a one-line `where
//! Self: RenderStatement<DB>`. When a clause needs a capability the backend lacks (FOR UPDATE
//! on SQLite, RETURNING on MySQL), rustc's "the trait is implemented for" help then quotes that
//! short header instead of the statement's dozen bounds, which keeps the error under 30 lines.

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
#[cfg(doc)]
use crate::expression::QueryFragment;
use crate::expression::SqlShape;

/// The rendering of a statement; see the module documentation.
pub trait RenderStatement<DB: Backend> {
    /// See [`QueryFragment::to_sql`].
    fn render_sql(&self, out: &mut SqlWriter<DB>) {
        self.render_prefixed_sql(out, &|_| {});
    }
    /// Writes the statement with `write_prefixes` called right after its leading keyword
    /// (see [`super::PrefixWith`]).
    fn render_prefixed_sql(
        &self,
        out: &mut SqlWriter<DB>,
        write_prefixes: &dyn Fn(&mut SqlWriter<DB>),
    );
    /// See [`QueryFragment::collect_binds`].
    fn render_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// See [`QueryFragment::has_static_sql`].
    fn render_is_static(&self) -> bool;
    /// See [`QueryFragment::sql_shape`].
    fn render_shape(&self, shape: &mut SqlShape) -> bool;
}
