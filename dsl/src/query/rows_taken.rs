//! `ORDER BY … LIMIT n` on DELETE and UPDATE: which rows, and how many, a statement takes
//! (MySQL and MariaDB; `delete(t).filter(..).order(t::created).limit(100)` deletes the 100
//! oldest). On a backend without it the statement does not compile.

use crate::backend::{Backend, BindSink, SqlWriter, SupportsDmlLimit};
use crate::error::QueryResult;
use crate::expression::QueryFragment;

use super::clauses::{
    Limit, LimitValue, NoLimit, NoOrder, OrderBy, bind_limit_offset, write_limit_offset,
};

/// The ORDER BY (`O`: [`NoOrder`] or [`OrderBy`]) and LIMIT (`L`: [`NoLimit`] or [`Limit`]) of
/// a DELETE or UPDATE.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowsTaken<O = NoOrder, L = NoLimit> {
    pub(crate) order: O,
    pub(crate) limit: L,
}

/// A DELETE's or UPDATE's [`RowsTaken`] as backend `DB` writes it: nothing when there is neither
/// ORDER BY nor LIMIT; otherwise only on a backend with [`SupportsDmlLimit`].
pub trait RowsTakenClause<DB: Backend> {
    /// Writes ` ORDER BY … LIMIT ?`.
    fn write_rows_taken(&self, out: &mut SqlWriter<DB>);
    /// Hands over the values of the ORDER BY keys and the limit.
    fn collect_rows_taken_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Whether its SQL depends only on its type.
    fn rows_taken_is_static(&self) -> bool;
}

impl<DB: Backend> RowsTakenClause<DB> for RowsTaken<NoOrder, NoLimit> {
    fn write_rows_taken(&self, _: &mut SqlWriter<DB>) {}
    fn collect_rows_taken_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn rows_taken_is_static(&self) -> bool {
        true
    }
}

fn write<O: QueryFragment<DB>, L: LimitValue, DB: Backend>(order: &O, out: &mut SqlWriter<DB>) {
    order.to_sql(out);
    write_limit_offset::<L, NoLimit, DB>(out, true);
}

fn binds<'a, O: QueryFragment<DB>, L: LimitValue, DB: Backend>(
    order: &'a O,
    limit: &'a L,
    out: &mut dyn BindSink<'a, DB>,
) -> QueryResult<()> {
    order.collect_binds(out)?;
    bind_limit_offset(limit, &NoLimit, out)
}

impl<Terms, L, DB> RowsTakenClause<DB> for RowsTaken<OrderBy<Terms>, L>
where
    DB: SupportsDmlLimit,
    OrderBy<Terms>: QueryFragment<DB>,
    L: LimitValue,
{
    fn write_rows_taken(&self, out: &mut SqlWriter<DB>) {
        write::<_, L, DB>(&self.order, out);
    }
    fn collect_rows_taken_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        binds(&self.order, &self.limit, out)
    }
    fn rows_taken_is_static(&self) -> bool {
        self.order.has_static_sql()
    }
}

impl<DB: SupportsDmlLimit> RowsTakenClause<DB> for RowsTaken<NoOrder, Limit> {
    fn write_rows_taken(&self, out: &mut SqlWriter<DB>) {
        write::<_, Limit, DB>(&self.order, out);
    }
    fn collect_rows_taken_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        binds(&self.order, &self.limit, out)
    }
    fn rows_taken_is_static(&self) -> bool {
        true
    }
}
