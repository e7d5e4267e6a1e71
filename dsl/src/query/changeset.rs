//! `column = value` assignments, shared by INSERT (column list and VALUES) and UPDATE (SET).

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, Binary, Expression, QueryFragment, operators_op};
use crate::schema::{Column, ColumnOf, TableDescription, WritableColumn};
use crate::types::{self, Nullable, SqlType};

use super::insert::{InsertValues, Insertable, write_single_row};
use super::update::AsChangeset;

/// An assignment `column = value`: what `column.eq(value)` builds.
pub type Assignment<C, E> = Binary<operators_op::Eq, C, E>;

/// Rule: a set of assignments for table `T` names only columns of `T`.
///
/// Implemented for `col.eq(value)`, `Option` of it (`None` leaves the column out), and tuples.
#[diagnostic::on_unimplemented(
    message = "these are not `column.eq(value)` assignments of table `{T}`",
    label = "expected `column.eq(value)`, a tuple of them, or a derived struct"
)]
pub trait Changeset<T> {
    /// The same assignments with each column named through its [`ColumnOf`] impl: the same type
    /// when every column belongs to `T`. When one does not, the compiler reports that rule
    /// once and cannot work out this type, so it checks nothing further of these values (it
    /// would otherwise report the INSERT's required columns as left out as well).
    type Checked;
    /// Converts (nothing changes at run time).
    fn checked(self) -> Self::Checked;
}

/// Rule: a value of SQL type `Self` can be stored in a column of SQL type `Target`: the same
/// type, a non-null value in a nullable column, or a number in a wider numeric column that
/// holds every value of its type exactly (`INTEGER` into `BIGINT`, `NUMERIC` or `DOUBLE
/// PRECISION`; never `DOUBLE PRECISION` into `INTEGER`, which would round).
#[diagnostic::on_unimplemented(
    message = "a value of SQL type `{Self}` cannot be stored in a column of SQL type `{Target}`",
    label = "another SQL type, or a value that may be NULL in a NOT NULL column",
    note = "a nullable value needs `coalesce(value, default)` or a `Nullable` column; a number is stored only in a column that holds it exactly (cast it with `cast::<Type, _>(..)` to round)"
)]
pub trait FitsColumn<Target> {}
#[diagnostic::do_not_recommend]
impl<ST: SqlType> FitsColumn<ST> for ST {}
#[diagnostic::do_not_recommend]
impl<ST: SqlType> FitsColumn<Nullable<ST>> for ST {}

/// A numeric type stored in a wider one with no digit lost.
macro_rules! widens {
    ($($from:ty => [$($to:ty),*];)*) => {$($(
        #[diagnostic::do_not_recommend]
        impl FitsColumn<$to> for $from {}
        #[diagnostic::do_not_recommend]
        impl FitsColumn<Nullable<$to>> for $from {}
        #[diagnostic::do_not_recommend]
        impl FitsColumn<Nullable<$to>> for Nullable<$from> {}
    )*)*};
}

widens! {
    types::SmallInt => [types::Integer, types::BigInt, types::Float, types::Double];
    types::Integer => [types::BigInt, types::Double];
    types::Float => [types::Double];
}

#[cfg(feature = "decimal")]
widens! {
    types::SmallInt => [types::Numeric];
    types::Integer => [types::Numeric];
    types::BigInt => [types::Numeric];
}

impl<T, C, E> Changeset<T> for Assignment<C, E>
where
    C: ColumnOf<T> + WritableColumn + Column,
    E: Expression,
    E::SqlType: FitsColumn<C::SqlType>,
{
    type Checked = Assignment<<C as ColumnOf<T>>::Column, E>;
    fn checked(self) -> Self::Checked {
        // A column is a zero-sized value: the one named through `ColumnOf` (the same type)
        // is made afresh.
        let (_, value) = self.into_operands();
        Binary::new(Default::default(), value)
    }
}

impl<T, C, E> Insertable<T> for Assignment<C, E>
where
    C: ColumnOf<T> + WritableColumn + Column,
    E: Expression,
    E::SqlType: FitsColumn<C::SqlType>,
{
    type Values = <Self as Changeset<T>>::Checked;
    fn values(self) -> Self::Values {
        self.checked()
    }
}

impl<T, C, E> AsChangeset<T> for Assignment<C, E>
where
    C: ColumnOf<T> + WritableColumn + Column,
    E: Expression,
    E::SqlType: FitsColumn<C::SqlType>,
{
    type Changes = Self;
    fn into_changeset(self) -> Self {
        self
    }
}

impl<C: Column, E: QueryFragment<DB>, DB: Backend> InsertValues<DB> for Assignment<C, E> {
    fn write_insert_values(&self, table: &'static TableDescription, out: &mut SqlWriter<DB>) {
        write_single_row(self, table, out);
    }
    fn collect_insert_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.collect_binds(out)
    }
    fn insert_is_static(&self) -> bool {
        self.has_static_sql()
    }
}
impl<T, X: Changeset<T>> Changeset<T> for Option<X> {
    type Checked = Option<X::Checked>;
    fn checked(self) -> Self::Checked {
        self.map(X::checked)
    }
}

/// Rule: the values assigned by UPDATE … SET may only use columns of the table being updated.
///
/// `Index` is inferred, as for [`crate::expression::AppearsIn`].
#[diagnostic::on_unimplemented(
    message = "the new values in this SET clause use a column of a table that is not being updated",
    label = "only columns of the updated table may appear on the right of `column.eq(..)`"
)]
pub trait AssignmentsIn<FromList, Index> {}

impl<C, E: AppearsIn<QS, I>, QS, I> AssignmentsIn<QS, I> for Assignment<C, E> {}
impl<X: AssignmentsIn<QS, I>, QS, I> AssignmentsIn<QS, I> for Option<X> {}

/// Renders assignments for backend `DB`.
pub trait ColumnAssignments<DB: Backend> {
    /// How many columns the assignments can name.
    const COLUMNS: usize;
    /// Whether a value can leave some of its columns out (an `Option` of assignments); when
    /// not, every row of a batch names the same columns without looking at the rows.
    const MAY_OMIT: bool;
    /// Writes the names of the columns that are present, comma-separated after `*count` others.
    fn write_columns(&self, out: &mut SqlWriter<DB>, count: &mut usize);
    /// Writes every column name, present or not.
    fn write_all_columns(out: &mut SqlWriter<DB>, count: &mut usize);
    /// Writes the values of present columns (INSERT … VALUES).
    fn write_values(&self, out: &mut SqlWriter<DB>, count: &mut usize);
    /// Writes a value for every column, `DEFAULT` for absent ones.
    fn write_values_or_default(&self, out: &mut SqlWriter<DB>, count: &mut usize);
    /// Writes `column = value` for present columns (UPDATE … SET).
    fn write_assignments(&self, out: &mut SqlWriter<DB>, count: &mut usize);
    /// Binds the values of present columns.
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// Records which columns are present.
    fn presence(&self, mask: &mut Vec<bool>);
    /// Whether the SQL depends only on the type (no optional columns).
    fn has_static_sql(&self) -> bool;
}

fn separator<DB: Backend>(out: &mut SqlWriter<DB>, count: &mut usize) {
    if *count > 0 {
        out.push_sql(", ");
    }
    *count += 1;
}

impl<C: Column, E: QueryFragment<DB>, DB: Backend> ColumnAssignments<DB> for Assignment<C, E> {
    const COLUMNS: usize = 1;
    const MAY_OMIT: bool = false;
    fn write_columns(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
        Self::write_all_columns(out, count);
    }
    fn write_all_columns(out: &mut SqlWriter<DB>, count: &mut usize) {
        separator(out, count);
        out.push_identifier(C::NAME);
    }
    fn write_values(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
        separator(out, count);
        crate::expression::write_value(&self.right(), out);
    }
    fn write_values_or_default(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
        self.write_values(out, count);
    }
    fn write_assignments(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
        separator(out, count);
        out.push_identifier(C::NAME);
        out.push_sql(" = ");
        crate::expression::write_value(&self.right(), out);
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.right().collect_binds(out)
    }
    fn presence(&self, mask: &mut Vec<bool>) {
        mask.push(true);
    }
    fn has_static_sql(&self) -> bool {
        self.right().has_static_sql()
    }
}

impl<X: ColumnAssignments<DB>, DB: Backend> ColumnAssignments<DB> for Option<X> {
    const COLUMNS: usize = X::COLUMNS;
    const MAY_OMIT: bool = true;
    fn write_columns(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
        if let Some(x) = self {
            x.write_columns(out, count);
        }
    }
    fn write_all_columns(out: &mut SqlWriter<DB>, count: &mut usize) {
        X::write_all_columns(out, count);
    }
    fn write_values(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
        if let Some(x) = self {
            x.write_values(out, count);
        }
    }
    fn write_values_or_default(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
        match self {
            Some(x) => x.write_values_or_default(out, count),
            None => {
                for _ in 0..X::COLUMNS {
                    separator(out, count);
                    out.push_sql("DEFAULT");
                }
            }
        }
    }
    fn write_assignments(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
        if let Some(x) = self {
            x.write_assignments(out, count);
        }
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        match self {
            Some(x) => x.collect_binds(out),
            None => Ok(()),
        }
    }
    fn presence(&self, mask: &mut Vec<bool>) {
        match self {
            Some(x) => x.presence(mask),
            None => mask.extend(std::iter::repeat_n(false, X::COLUMNS)),
        }
    }
    fn has_static_sql(&self) -> bool {
        false
    }
}

macro_rules! tuples {
    ($($T:ident $I:ident $idx:tt),+) => {
        impl<QS, $($T: AssignmentsIn<QS, $I>, $I),+> AssignmentsIn<QS, ($($I,)+)> for ($($T,)+) {}

        impl<Tbl, $($T: Changeset<Tbl>),+> Changeset<Tbl> for ($($T,)+) {
            type Checked = ($($T::Checked,)+);
            fn checked(self) -> Self::Checked {
                ($(self.$idx.checked(),)+)
            }
        }

        impl<Tbl, $($T: Changeset<Tbl>),+> Insertable<Tbl> for ($($T,)+) {
            type Values = <Self as Changeset<Tbl>>::Checked;
            fn values(self) -> Self::Values {
                self.checked()
            }
        }

        impl<Tbl, $($T: Changeset<Tbl>),+> AsChangeset<Tbl> for ($($T,)+) {
            type Changes = Self;
            fn into_changeset(self) -> Self {
                self
            }
        }

        impl<$($T: ColumnAssignments<DB>,)+ DB: Backend> InsertValues<DB> for ($($T,)+) {
            fn write_insert_values(&self, table: &'static TableDescription, out: &mut SqlWriter<DB>) {
                write_single_row(self, table, out);
            }
            fn collect_insert_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                ColumnAssignments::collect_binds(self, out)
            }
            fn insert_is_static(&self) -> bool {
                ColumnAssignments::has_static_sql(self)
            }
        }

        impl<$($T: ColumnAssignments<DB>,)+ DB: Backend> ColumnAssignments<DB> for ($($T,)+) {
            const COLUMNS: usize = 0 $(+ $T::COLUMNS)+;
            const MAY_OMIT: bool = false $(|| $T::MAY_OMIT)+;
            fn write_columns(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
                $(self.$idx.write_columns(out, count);)+
            }
            fn write_all_columns(out: &mut SqlWriter<DB>, count: &mut usize) {
                $($T::write_all_columns(out, count);)+
            }
            fn write_values(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
                $(self.$idx.write_values(out, count);)+
            }
            fn write_values_or_default(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
                $(self.$idx.write_values_or_default(out, count);)+
            }
            fn write_assignments(&self, out: &mut SqlWriter<DB>, count: &mut usize) {
                $(self.$idx.write_assignments(out, count);)+
            }
            fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                $(self.$idx.collect_binds(out)?;)+
                Ok(())
            }
            fn presence(&self, mask: &mut Vec<bool>) {
                $(self.$idx.presence(mask);)+
            }
            fn has_static_sql(&self) -> bool {
                true $(&& self.$idx.has_static_sql())+
            }
        }
    };
}

crate::for_each_tuple!(tuples);
