//! Rule: an INSERT gives a value to every column that needs one — NOT NULL, with no default,
//! not generated, not auto-incremented ([`Table::Required`]). The values' columns are collected
//! as a type-level list ([`InsertedColumns`]) and each required column is looked up in it by its
//! position, so a missing column is an error that names it, before any database sees the row.

use std::marker::PhantomData;

use crate::schema::{No, SameDigits, Truth};

use super::changeset::Assignment;
use super::group_lookup::{ColumnPosition, IsYes};
use super::insert::{BatchInsert, DefaultValues};

/// A column the values surely assign, as a leaf of [`InsertedColumns::Columns`].
pub struct Assigned<C>(PhantomData<C>);

/// The columns a set of INSERT values surely gives a value: a nested list of [`Assigned`]
/// leaves. An `Option` of assignments (a field of a derived `Insertable` that may be `None`)
/// assigns nothing surely.
pub trait InsertedColumns {
    /// `()` or `(head, tail)`, where the head is a leaf or a list of its own.
    type Columns;
}

impl<C, E> InsertedColumns for Assignment<C, E> {
    type Columns = (Assigned<C>, ());
}

impl<X> InsertedColumns for Option<X> {
    type Columns = ();
}

impl<R: InsertedColumns> InsertedColumns for BatchInsert<R> {
    type Columns = R::Columns;
}

impl InsertedColumns for DefaultValues {
    type Columns = ();
}

macro_rules! tuple_columns {
    ($($T:ident $I:ident $idx:tt),+) => {
        impl<$($T: InsertedColumns),+> InsertedColumns for ($($T,)+) {
            type Columns = tuple_columns!(@list $($T)+);
        }
    };
    (@list $head:ident $($rest:ident)*) => {
        ($head::Columns, tuple_columns!(@list $($rest)*))
    };
    (@list) => { () };
}
crate::for_each_tuple!(tuple_columns);

/// Whether a list of assigned columns holds the column at `Position`.
pub trait FindsColumn<Position> {
    /// [`crate::schema::Yes`] or [`No`].
    type Answer: Truth;
}

impl<P> FindsColumn<P> for () {
    type Answer = No;
}

impl<P, Head: FindsColumn<P>, Tail: FindsColumn<P>> FindsColumn<P> for (Head, Tail) {
    type Answer = <Head::Answer as Truth>::Or<Tail::Answer>;
}

impl<P, C: ColumnPosition> FindsColumn<P> for Assigned<C>
where
    C::Position: SameDigits<P>,
{
    type Answer = <C::Position as SameDigits<P>>::Answer;
}

/// Rule: an INSERT gives every NOT NULL column without a default a value.
#[diagnostic::on_unimplemented(
    message = "this INSERT leaves out `{Column}`, a NOT NULL column without a default",
    label = "no value for `{Column}` here",
    note = "give it one (`column.eq(value)`), or declare a `#[default = …]` for it in `table!`; an `Option` field of an `Insertable` struct may be `None`, so it does not count"
)]
pub trait GivesValueTo<Column> {}

#[diagnostic::do_not_recommend]
impl<Columns, Column> GivesValueTo<Column> for Columns
where
    Column: ColumnPosition,
    Columns: FindsColumn<Column::Position>,
    <Columns as FindsColumn<Column::Position>>::Answer: IsYes,
{
}

/// The required columns of a table (`Self`, a cons list) all have a value in `Columns`.
pub trait CoversRequired<Columns> {}

impl<Columns> CoversRequired<Columns> for () {}

impl<Columns, Column, Tail> CoversRequired<Columns> for (Column, Tail)
where
    Columns: GivesValueTo<Column>,
    Tail: CoversRequired<Columns>,
{
}
