//! Words between a statement's keyword and the rest, for one backend: `INSERT OR IGNORE INTO`
//! on SQLite, `INSERT IGNORE INTO` and `SELECT SQL_NO_CACHE` on MySQL — SQLAlchemy's
//! `prefix_with(text, dialect=…)`.

use std::any::TypeId;
use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{QueryFragment, SqlShape};

use super::Query;
use super::delete::DeleteStatement;
use super::insert::InsertStatement;
use super::render::RenderStatement;
use super::run::AsQuery;
use super::select::SelectStatement;
use super::update::UpdateStatement;

/// Whether `DB` is the backend `Target`: a prefix or hint written for one backend is left out
/// of the SQL of every other.
pub(crate) fn is_backend<DB: Backend, Target: Backend>() -> bool {
    TypeId::of::<DB>() == TypeId::of::<Target>()
}

/// A statement whose leading keyword can take prefixes: SELECT, INSERT, UPDATE, DELETE.
pub trait PrefixableStatement<DB: Backend>: QueryFragment<DB> {
    /// Writes the statement, calling `write_prefixes` right after its first keyword; each
    /// prefix it writes ends with a space.
    fn write_prefixed(&self, out: &mut SqlWriter<DB>, write_prefixes: &dyn Fn(&mut SqlWriter<DB>));
}

impl<F, S, D, W, G, H, O, L, Off, Lk, DB: Backend> PrefixableStatement<DB>
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
where
    Self: RenderStatement<DB>,
{
    fn write_prefixed(&self, out: &mut SqlWriter<DB>, write_prefixes: &dyn Fn(&mut SqlWriter<DB>)) {
        self.render_prefixed_sql(out, write_prefixes);
    }
}

impl<T, V, R, C, DB: Backend> PrefixableStatement<DB> for InsertStatement<T, V, R, C>
where
    Self: RenderStatement<DB>,
{
    fn write_prefixed(&self, out: &mut SqlWriter<DB>, write_prefixes: &dyn Fn(&mut SqlWriter<DB>)) {
        self.render_prefixed_sql(out, write_prefixes);
    }
}

/// A statement with a prefix written only when it runs on backend `Target`; see
/// [`PrefixWith::prefix_with`].
#[derive(Debug, Clone, Copy)]
pub struct Prefixed<Statement, Target> {
    statement: Statement,
    prefix: &'static str,
    target: PhantomData<fn() -> Target>,
}

/// `prefix_with::<Backend>(words)`: words written after a statement's first keyword when it
/// runs on that backend, and left out on the others (SQLAlchemy's `prefix_with(…,
/// dialect=…)`).
///
/// ```
/// use philtre::backend::Backend;
/// use philtre::prelude::*;
/// # philtre::table! { users (id) { id -> Integer, name -> Text, } }
/// // With the SQLite backend: `insert_ignoring_conflicts::<philtre_sqlite::Sqlite>()`.
/// fn insert_ignoring_conflicts<Sqlite: Backend>() -> impl Sized {
///     insert_into(users::table)
///         .values((users::id.eq(1), users::name.eq("Ada")))
///         .prefix_with::<Sqlite>("OR IGNORE")
/// }
/// ```
///
/// The words are SQL, written as given: take them from the program, never from user input
/// (they must be `&'static str`). Call `prefix_with` last, once the statement is complete;
/// several calls write their words in the order of the calls.
pub trait PrefixWith: Sized {
    /// Writes `prefix` after the statement's first keyword (`INSERT prefix INTO`, `SELECT
    /// prefix …`, `UPDATE prefix table`, `DELETE prefix FROM`) when the statement runs on
    /// `Target`.
    fn prefix_with<Target: Backend>(self, prefix: &'static str) -> Prefixed<Self, Target> {
        Prefixed {
            statement: self,
            prefix,
            target: PhantomData,
        }
    }
}

impl<F, S, D, W, G, H, O, L, Off, Lk> PrefixWith
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
{
}
impl<T, V, R, C> PrefixWith for InsertStatement<T, V, R, C> {}
impl<T, W, C, R, Rows> PrefixWith for UpdateStatement<T, W, C, R, Rows> {}
impl<T, W, R, Rows> PrefixWith for DeleteStatement<T, W, R, Rows> {}
impl<Statement, Target> PrefixWith for Prefixed<Statement, Target> {}

impl<Statement, Target, DB> PrefixableStatement<DB> for Prefixed<Statement, Target>
where
    Statement: PrefixableStatement<DB>,
    Target: Backend,
    DB: Backend,
{
    fn write_prefixed(&self, out: &mut SqlWriter<DB>, write_prefixes: &dyn Fn(&mut SqlWriter<DB>)) {
        // The words of earlier calls first, as SQLAlchemy writes them.
        self.statement
            .write_prefixed(out, &|out: &mut SqlWriter<DB>| {
                if is_backend::<DB, Target>() {
                    out.push_sql(self.prefix);
                    out.push_sql(" ");
                }
                write_prefixes(out);
            });
    }
}

impl<Statement, Target, DB> QueryFragment<DB> for Prefixed<Statement, Target>
where
    Statement: PrefixableStatement<DB>,
    Target: Backend,
    DB: Backend,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        self.write_prefixed(out, &|_| {});
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.statement.collect_binds(out)
    }
    fn has_static_sql(&self) -> bool {
        // The words are a value, not part of the type.
        false
    }
    fn sql_shape(&self, shape: &mut SqlShape) -> bool {
        // A `&'static str` never changes, so its address and length name it: the statement's
        // SQL may be cached by shape like any other.
        shape.push(self.prefix.as_ptr() as usize);
        shape.push(self.prefix.len());
        self.statement.sql_shape(shape)
    }
}

impl<Statement: Query, Target> Query for Prefixed<Statement, Target> {
    type SqlRow = Statement::SqlRow;
}

impl<Statement, Target> AsQuery for Prefixed<Statement, Target> {
    type Query = Self;
    fn into_query(self) -> Self {
        self
    }
    fn with_query<Out>(&self, f: impl FnOnce(&Self) -> Out) -> Out {
        f(self)
    }
}
