//! `INSERT INTO t (columns) SELECT …`: rows computed by a query.

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::schema::{Column, ColumnOf, Table, TableDescription, WritableColumn};
use crate::types::SqlType;

use super::Query;
use super::changeset::FitsColumn;
use super::insert::{IncompleteInsert, InsertStatement, InsertValues};

/// The columns an `INSERT … SELECT` fills, in order: a column of table `T` or a tuple of them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column of `{T}` or a tuple of them",
    label = "name the columns of `{T}` the SELECT fills, in order"
)]
pub trait InsertColumns<T> {
    /// The columns' SQL types, shaped like a query's row.
    type SqlRow;
    /// The columns as a list of [`super::Assigned`] leaves, for the required-columns rule.
    type Listed;
    /// Writes the column names, unqualified.
    fn write_names<DB: Backend>(out: &mut SqlWriter<DB>);
}

impl<T, C: Column + ColumnOf<T> + WritableColumn> InsertColumns<T> for C {
    type SqlRow = C::SqlType;
    type Listed = (super::Assigned<C>, ());
    fn write_names<DB: Backend>(out: &mut SqlWriter<DB>) {
        out.push_identifier(C::NAME);
    }
}

macro_rules! insert_column_tuples {
    (@list $head:ident $($rest:ident)*) => {
        (super::Assigned<$head>, insert_column_tuples!(@list $($rest)*))
    };
    (@list) => { () };
    ($($C:ident $I:ident $idx:tt),+) => {
        impl<T, $($C: Column + ColumnOf<T> + WritableColumn),+> InsertColumns<T> for ($($C,)+) {
            type SqlRow = ($($C::SqlType,)+);
            type Listed = insert_column_tuples!(@list $($C)+);
            fn write_names<DB: Backend>(out: &mut SqlWriter<DB>) {
                $(
                    if $idx > 0 {
                        out.push_sql(", ");
                    }
                    out.push_identifier($C::NAME);
                )+
            }
        }
    };
}

crate::for_each_tuple!(insert_column_tuples);

/// Rule: the SELECT of an `INSERT … SELECT` returns one value per column, of fitting types.
#[diagnostic::on_unimplemented(
    message = "the SELECT returns `{Self}`, which does not fit the columns' types `{Columns}`",
    label = "select one value per column, in the same order, of the column's SQL type",
    note = "a column of type `Nullable<T>` also accepts a value of type `T`"
)]
pub trait FitsRow<Columns> {}

#[diagnostic::do_not_recommend]
impl<ST: SqlType + FitsColumn<C>, C> FitsRow<C> for ST {}

macro_rules! fits_row_tuples {
    ($($A:ident $I:ident $idx:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<$($A: FitsColumn<$I>, $I),+> FitsRow<($($I,)+)> for ($($A,)+) {}
    };
}

crate::for_each_tuple!(fits_row_tuples);

/// The `(columns) SELECT …` part of an INSERT.
#[derive(Debug, Clone, Copy)]
pub struct InsertFromSelect<T, Cols, Q> {
    query: Q,
    _columns: std::marker::PhantomData<(T, Cols)>,
}

impl<T: Table> IncompleteInsert<T> {
    /// `INSERT INTO t (columns) query`: inserts the rows `query` returns into `columns`.
    pub fn from_select<Cols, Q>(
        self,
        _columns: Cols,
        query: Q,
    ) -> InsertStatement<T, InsertFromSelect<T, Cols, Q>>
    where
        Cols: InsertColumns<T>,
        Q: Query,
        Q::SqlRow: FitsRow<Cols::SqlRow>,
        T::Required: super::CoversRequired<Cols::Listed>,
    {
        self.values_part(InsertFromSelect {
            query,
            _columns: std::marker::PhantomData,
        })
    }
}

impl<T, Cols: InsertColumns<T>, Q: QueryFragment<DB>, DB: Backend> InsertValues<DB>
    for InsertFromSelect<T, Cols, Q>
{
    fn write_insert_values(&self, _: &'static TableDescription, out: &mut SqlWriter<DB>) {
        out.push_sql(" (");
        Cols::write_names(out);
        out.push_sql(")");
        out.mark_insert_values();
        out.push_sql(" ");
        self.query.to_sql(out);
    }
    fn collect_insert_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.query.collect_binds(out)
    }
    fn insert_is_static(&self) -> bool {
        self.query.has_static_sql()
    }
}
