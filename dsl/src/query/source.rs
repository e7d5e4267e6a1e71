use crate::backend::{Backend, SqlWriter};
use crate::schema::{SingleFrom, Table};

/// Something a query selects FROM: a table, a join, later a subquery.
///
/// Rendering for a backend is [`super::FromClause`]; this trait holds what the type checks
/// need.
pub trait QuerySource: Copy {
    /// The tables it brings into scope, as a type-level list (see [`crate::schema::TableInFrom`]).
    type FromList;
    /// The SQL row type of `SELECT` without `.select(..)`.
    type DefaultSqlRow;
    /// The tables of an enclosing query this source's clauses may refer to (a correlated
    /// subquery's), as a cons list; `()` for tables and joins.
    type Outer;
    /// Whether it is a join (nested joins are parenthesised).
    const IS_JOIN: bool = false;
    /// Whether it is no table at all (`select(..)` without FROM).
    const IS_EMPTY: bool = false;
    /// Writes the column list of `SELECT` without `.select(..)`.
    fn write_default_selection<DB: Backend>(&self, out: &mut SqlWriter<DB>);
}

impl<T: Table> QuerySource for T {
    type FromList = SingleFrom<T>;
    type DefaultSqlRow = T::AllColumnsSqlType;
    type Outer = ();
    fn write_default_selection<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        let table = T::DESCRIPTION;
        for (i, column) in table.columns.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_column(table.name, column.name);
        }
    }
}
