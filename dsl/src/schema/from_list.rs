//! The FROM clause as a type-level list, and membership by an inferred index.
//!
//! A query's FROM clause is a cons list of entries: `(Entry<users::table, NotNullable>, ())`,
//! and after a LEFT JOIN `(Entry<posts::table, IsNullable>, (Entry<users::table, NotNullable>,
//! ()))`. An entry's nullability says whether an outer join can make the source's columns NULL.
//! A column's table is found in the list by [`TableInFrom`], whose `Index` parameter
//! ([`Here`] or [`There`]) the compiler infers. Nothing is declared per pair of tables, so the
//! cost is linear in the number of tables and columns (see ARCHITECTURE.md for the
//! measurements behind this choice).

use std::marker::PhantomData;

use crate::types::{IsNullable, NotNullable, Nullability};

/// The table is the head of the list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Here;

/// The table is somewhere in the tail of the list, at `I`.
#[derive(Debug, Clone, Copy, Default)]
pub struct There<I>(PhantomData<I>);

/// One source in a FROM list: table (or alias, or named subquery) `T`, whose columns are
/// NULL-extended by an outer join when `N` is [`IsNullable`].
pub struct Entry<T, N>(PhantomData<(T, N)>);

/// Rule: table `T` is one of the tables in this FROM list.
#[diagnostic::on_unimplemented(
    message = "table `{T}` is not in the FROM clause of this query",
    label = "a column of `{T}` is used here, but the query does not select from `{T}`",
    note = "select from `{T}`, or join it, before using its columns (a subquery reaches the enclosing query's tables through `.correlate(table)`)"
)]
pub trait TableInFrom<T, Index> {
    /// [`IsNullable`] when `T` is on the nullable side of an outer join.
    type Nullability: Nullability;
}

#[diagnostic::do_not_recommend]
impl<T, N: Nullability, Tail> TableInFrom<T, Here> for (Entry<T, N>, Tail) {
    type Nullability = N;
}

#[diagnostic::do_not_recommend]
impl<T, Head, Tail, I> TableInFrom<T, There<I>> for (Head, Tail)
where
    Tail: TableInFrom<T, I>,
{
    type Nullability = Tail::Nullability;
}

/// A FROM list with every entry made nullable: the right side of a LEFT JOIN.
pub trait NullableFromList {
    /// The list with every entry's nullability set to [`IsNullable`].
    type Output;
}

impl NullableFromList for () {
    type Output = ();
}

impl<T, N, Tail: NullableFromList> NullableFromList for (Entry<T, N>, Tail) {
    type Output = (Entry<T, IsNullable>, Tail::Output);
}

/// Two FROM lists one after the other: the sources of both sides of a join.
pub trait AppendFromList<Other> {
    /// `Self` followed by `Other`.
    type Output;
}

impl<Other> AppendFromList<Other> for () {
    type Output = Other;
}

impl<Head, Tail: AppendFromList<Other>, Other> AppendFromList<Other> for (Head, Tail) {
    type Output = (Head, Tail::Output);
}

/// The FROM list of a single table.
pub type SingleFrom<T> = (Entry<T, NotNullable>, ());
