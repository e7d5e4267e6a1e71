use crate::backend::{Backend, SqlWriter};
use crate::schema::Table;

/// Something a query selects FROM: a table now, joins later.
pub trait QuerySource: Copy {
    /// The tables it brings into scope, as a type-level list (see [`crate::schema::TableInFrom`]).
    type FromList;
    /// The SQL row type of `SELECT` without `.select(..)`.
    type DefaultSqlRow;
    /// Writes the FROM clause body.
    fn write_from<DB: Backend>(&self, out: &mut SqlWriter<DB>);
    /// Writes the column list of `SELECT` without `.select(..)`.
    fn write_default_selection<DB: Backend>(&self, out: &mut SqlWriter<DB>);
}

impl<T: Table> QuerySource for T {
    type FromList = (T, ());
    type DefaultSqlRow = T::AllColumnsSqlType;
    fn write_from<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        out.push_identifier(T::DESCRIPTION.name);
    }
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
