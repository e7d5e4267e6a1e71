//! `SELECT` without FROM: `select(now())`, `select((sql::<Integer>("1"), exists(..)))` — values
//! computed by the database, not read from a table. A column in such a select list does not
//! compile: there is no table it could come from.

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, NoNestedAggregate, ValidSelectList};

use super::join::FromClause;
use super::scope::{Scope, Ungrouped};
use super::select::SelectStatement;
use super::selection::Selected;
use super::source::QuerySource;

/// The FROM source of a [`select`] without a table: no FROM clause (on MySQL and MariaDB,
/// `FROM DUAL`).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFrom;

/// The FROM list of [`NoFrom`]: no table.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTables;

impl QuerySource for NoFrom {
    type FromList = NoTables;
    type DefaultSqlRow = ();
    type Outer = ();
    const IS_EMPTY: bool = true;
    fn write_default_selection<DB: Backend>(&self, _: &mut SqlWriter<DB>) {}
}

impl<DB: Backend> FromClause<DB> for NoFrom {
    fn to_from_sql(&self, out: &mut SqlWriter<DB>) {
        if let Some(table) = DB::FROM_NOTHING {
            out.push_sql(table);
        }
    }
    fn collect_from_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_from(&self) -> bool {
        true
    }
}

/// `SELECT selection` without a FROM clause: expressions that need no table (functions,
/// constants, scalar subqueries, `exists(..)`). Filter, order and limit it like any SELECT.
pub fn select<S, I, A>(selection: S) -> SelectStatement<NoFrom, Selected<S, I>>
where
    // The scope written out: through `RowScope<NoFrom>` the compiler does not match this bound
    // with the one `.select` asks for. The aggregation is named (`A`), not projected, so that a
    // column of no table is reported once, here.
    S: AppearsIn<Scope<NoTables, Ungrouped>, I, Aggregation = A>,
    A: ValidSelectList + NoNestedAggregate + crate::expression::NoBareWindow,
{
    SelectStatement::new(NoFrom).select::<S, I, ()>(selection)
}

/// Writes ` FROM source`, or nothing for [`NoFrom`] where the backend needs no table there.
pub(crate) fn write_from<F: FromClause<DB>, DB: Backend>(from: &F, out: &mut SqlWriter<DB>) {
    if F::IS_EMPTY && DB::FROM_NOTHING.is_none() {
        return;
    }
    out.push_sql(" FROM ");
    from.to_from_sql(out);
}
