//! How a grouped query decides that a column is grouped: it is one of the GROUP BY keys, or its
//! table's primary key is (SQL's functional dependency: grouping by `users.id` fixes
//! `users.name`).
//!
//! A search that tried both routes as alternative impls would find two answers for
//! `group_by((users::id, users::name))` and leave the compiler asking for type annotations. So
//! every key carries an identity — [`ColumnId`] (the FROM entry's hashed name and the column's
//! position) or [`NotAColumn`] — and the lookup computes a type-level [`Truth`] over the keys:
//! one answer, whichever route holds, and the keys may come in any order.

use std::marker::PhantomData;

use crate::schema::{Column, NamedSource, No, SameDigits, Table, Truth, Yes};

use super::alias::AliasedColumn;

/// A column's position in its table, as hexadecimal digit types (`table!` implements it).
pub trait ColumnPosition: Column {
    /// `(H?, (H?, (H?, ())))`.
    type Position;
}

/// Column at `Position` of the FROM entry whose name hashes to `Source`.
pub struct ColumnId<Source, Position>(PhantomData<(Source, Position)>);

/// The identity of a computed GROUP BY key (`year(x)`, `lower(name)`): never a column's.
#[derive(Debug, Clone, Copy, Default)]
pub struct NotAColumn;

/// The identity of an expression given to `.group_by(..)`: a [`ColumnId`] for a column (of a
/// table or an alias), [`NotAColumn`] for any other expression.
pub trait KeyIdentity {
    /// [`ColumnId`] or [`NotAColumn`].
    type Id;
}

/// Whether a key with this identity is column `Id`.
pub trait SameKey<Id> {
    /// [`Yes`] or [`No`].
    type Answer: Truth;
}

impl<S1, P1, S2, P2> SameKey<ColumnId<S2, P2>> for ColumnId<S1, P1>
where
    S1: SameDigits<S2>,
    P1: SameDigits<P2>,
{
    type Answer = <S1::Answer as Truth>::And<P1::Answer>;
}

impl<Id> SameKey<Id> for NotAColumn {
    type Answer = No;
}

/// Whether the cons list of GROUP BY keys lists column `Id` itself.
pub trait ListsColumn<Id> {
    /// [`Yes`] or [`No`].
    type Answer: Truth;
}

impl<Id> ListsColumn<Id> for () {
    type Answer = No;
}

impl<Id, Key, Tail> ListsColumn<Id> for (Key, Tail)
where
    Key: KeyIdentity,
    Key::Id: SameKey<Id>,
    Tail: ListsColumn<Id>,
{
    type Answer = <<Key::Id as SameKey<Id>>::Answer as Truth>::Or<Tail::Answer>;
}

/// The identity of column `C` read through FROM entry `Source` (its table or an alias).
type IdThrough<Source, C> = ColumnId<<Source as NamedSource>::Id, <C as ColumnPosition>::Position>;

/// Whether column(s) `Self`, read through `Source`, are all listed among `Keys` themselves.
pub trait ListedThrough<Source, Keys> {
    /// [`Yes`] or [`No`].
    type Answer: Truth;
}

impl<Source, C, Keys> ListedThrough<Source, Keys> for C
where
    Source: NamedSource,
    C: ColumnPosition,
    Keys: ListsColumn<IdThrough<Source, C>>,
{
    type Answer = <Keys as ListsColumn<IdThrough<Source, C>>>::Answer;
}

/// Whether column(s) `Self`, read through `Source`, are grouped by `Keys`: each listed itself
/// or covered by its table's primary key being listed.
pub trait GroupedThrough<Source, Keys> {
    /// [`Yes`] or [`No`].
    type Answer: Truth;
}

type PrimaryKeyOf<C> = <<C as Column>::Table as Table>::PrimaryKey;

impl<Source, C, Keys> GroupedThrough<Source, Keys> for C
where
    Source: NamedSource,
    C: ColumnPosition,
    Keys: ListsColumn<IdThrough<Source, C>>,
    PrimaryKeyOf<C>: ListedThrough<Source, Keys>,
{
    type Answer = <<Keys as ListsColumn<IdThrough<Source, C>>>::Answer as Truth>::Or<
        <PrimaryKeyOf<C> as ListedThrough<Source, Keys>>::Answer,
    >;
}

// A composite primary key (a struct selected whole in a grouped query) is grouped when each
// of its columns is.
macro_rules! tuple_lookups {
    ($($T:ident $I:ident $idx:tt),+) => {
        impl<Source, Keys, $($T: ListedThrough<Source, Keys>),+> ListedThrough<Source, Keys>
            for ($($T,)+)
        {
            type Answer = tuple_lookups!(@and ListedThrough Source Keys $($T)+);
        }
        impl<Source, Keys, $($T: GroupedThrough<Source, Keys>),+> GroupedThrough<Source, Keys>
            for ($($T,)+)
        {
            type Answer = tuple_lookups!(@and GroupedThrough Source Keys $($T)+);
        }
    };
    (@and $trait:ident $s:ident $k:ident $last:ident) => {
        <$last as $trait<$s, $k>>::Answer
    };
    (@and $trait:ident $s:ident $k:ident $first:ident $($rest:ident)+) => {
        <<$first as $trait<$s, $k>>::Answer as Truth>::And<
            tuple_lookups!(@and $trait $s $k $($rest)+)
        >
    };
}

crate::for_each_tuple!(tuple_lookups);

/// The table column(s) a scope lookup is about: a column itself, the columns of a primary key
/// (a tuple), or the column behind an alias's column.
pub trait LookedUpColumns {
    /// A column or a tuple of columns.
    type Columns;
}

impl<C: Column> LookedUpColumns for C {
    type Columns = C;
}

impl<A, C> LookedUpColumns for AliasedColumn<A, C> {
    type Columns = C;
}

macro_rules! tuple_looked_up {
    ($($T:ident $I:ident $idx:tt),+) => {
        impl<$($T),+> LookedUpColumns for ($($T,)+) {
            type Columns = Self;
        }
    };
}

crate::for_each_tuple!(tuple_looked_up);

/// The answer [`Yes`].
pub trait IsYes {}
impl IsYes for Yes {}

/// A column of an alias is a key of its own: the alias's name and the column's position.
impl<A: NamedSource, C: ColumnPosition> KeyIdentity for AliasedColumn<A, C> {
    type Id = ColumnId<A::Id, C::Position>;
}
