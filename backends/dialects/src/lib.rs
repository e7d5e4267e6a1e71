//! # philtre-dialects
//!
//! Oracle and SQL Server for philtre, **rendered, not run**: build a query with the same typed
//! DSL as for SQLite, PostgreSQL and MySQL, and get its SQL and bind values for
//!
//! - [`Oracle`] (12c and later) and [`Oracle11g`] (nested `ROWNUM` paging, as SQLAlchemy 1.3);
//! - [`Mssql`] (SQL Server 2012 and later) and [`Mssql2008`] (`TOP` / `ROW_NUMBER()` paging).
//!
//! There is no connection: run the text through a driver of your choice (`oracle`,
//! `tiberius`), binding the [`Value`]s in order. A query one of them cannot run — `ILIKE`,
//! `DISTINCT ON`, arrays — does not compile for it, as on the other backends.
//!
//! ```
//! use philtre::prelude::*;
//! use philtre::query::debug_query;
//! use philtre_dialects::{Mssql, Oracle};
//!
//! philtre::table! {
//!     users (id) {
//!         id -> Integer,
//!         name -> Text,
//!     }
//! }
//!
//! let query = users::table.select(users::name).filter(users::id.eq(7)).order(users::name).limit(5);
//! assert_eq!(
//!     debug_query::<Oracle, _>(&query).sql(),
//!     "SELECT users.name FROM users WHERE users.id = :1 ORDER BY users.name FETCH NEXT :2 ROWS ONLY"
//! );
//! assert_eq!(
//!     debug_query::<Mssql, _>(&query).sql(),
//!     "SELECT users.name FROM users WHERE users.id = @P1 ORDER BY users.name OFFSET 0 ROWS FETCH NEXT @P2 ROWS ONLY"
//! );
//! ```

/// The capabilities Oracle and SQL Server share: upserts (written as MERGE; a conflict with a
/// unique key other than the one named is the server's error), FULL JOIN, `ANY` / `ALL`
/// subqueries, ROLLUP, CUBE and GROUPING SETS.
macro_rules! shared_capabilities {
    ($name:ident) => {
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsUpsert for $name {}
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsConflictTarget for $name {}
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsFullJoin for $name {}
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsQuantifiedComparison for $name {}
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsRollup for $name {}
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsCube for $name {}
        #[diagnostic::do_not_recommend]
        impl philtre::backend::SupportsGroupingSets for $name {}
    };
}
pub(crate) use shared_capabilities;

mod mssql;
mod oracle;
mod quoting;
mod value;

pub use mssql::{Mssql, Mssql2008};
pub use oracle::{Oracle, Oracle11g};
pub use value::{Value, ValueRow};

use philtre::QueryResult;
use philtre::backend::{Backend, SqlWriter};
use philtre::expression::{LiteralValue, QueryFragment};
use philtre::query::AsQuery;
use philtre::schema::TypeKind;

/// A statement ready for a driver: its SQL and its bind values, in placeholder order.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The SQL text, with `:1`, `:2`… (Oracle) or `@P1`, `@P2`… (SQL Server) placeholders.
    pub sql: String,
    /// One value per placeholder, in order (an Oracle `RETURNING … INTO` output parameter is
    /// [`Value::Output`]).
    pub binds: Vec<Value>,
}

/// Renders `query` for dialect `DB`: the SQL and the values to bind. Fails where the statement
/// cannot be written — an UPDATE with no column to change, a multi-row INSERT without rows — with
/// the error running it on a connected backend gives.
///
/// ```
/// use philtre::prelude::*;
/// use philtre_dialects::{Oracle, Value, render};
///
/// philtre::table! {
///     users (id) {
///         id -> Integer,
///         name -> Text,
///     }
/// }
///
/// let statement = render::<Oracle, _>(&users::table.select(users::id).filter(users::name.eq("ann")))?;
/// assert_eq!(statement.sql, "SELECT users.id FROM users WHERE users.name = :1");
/// assert_eq!(statement.binds, [Value::Text("ann".into())]);
/// # Ok::<(), philtre::Error>(())
/// ```
pub fn render<DB, Q>(query: &Q) -> QueryResult<Statement>
where
    DB: for<'a> Backend<BindValue<'a> = Value>,
    Q: AsQuery,
    Q::Query: QueryFragment<DB>,
{
    query.with_query(|query| {
        let mut out = SqlWriter::<DB>::new();
        query.to_sql(&mut out);
        let mut binds: Vec<Value> = Vec::new();
        query.collect_binds(&mut binds)?;
        Ok(Statement {
            sql: out.finish(),
            binds,
        })
    })
}

/// A literal the way both dialects read it: booleans are the numbers 1 and 0.
fn push_literal(out: &mut String, value: LiteralValue, _kind: TypeKind) {
    match value {
        LiteralValue::Bool(b) => out.push_str(if b { "1" } else { "0" }),
        other => other.write(out),
    }
}
