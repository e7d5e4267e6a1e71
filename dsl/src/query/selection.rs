//! What a SELECT returns: expressions, tuples of them, or a `Selectable` struct.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{Aggregation, AppearsIn, Expression, OrderKey, QueryFragment};
use crate::schema::Table;
use crate::types::Nullability;

use super::scope::ColumnInScope;

/// Rule: a selection may only use columns of tables in FROM; yields the row's SQL type.
#[diagnostic::on_unimplemented(
    message = "this select list cannot be read from this query",
    label = "expected columns of tables in FROM, a tuple of them, or `Struct::as_select()`"
)]
pub trait Selection<Scope, Index> {
    /// The SQL type of one result row, with the columns an outer join can make NULL nullable.
    type SqlRow;
    /// Whether the select list aggregates; a mix with ungrouped columns is rejected.
    type Aggregation: Aggregation;
}

/// One item of a select list: an expression, or a `Selectable` struct's columns.
pub trait SelectItem {
    /// The SQL type it yields.
    type SqlRow;
}

impl<E: Expression> SelectItem for E {
    type SqlRow = E::SqlType;
}

// One impl, so that a mistake is reported by the `AppearsIn` of the column that caused it.
impl<E, QS, I> Selection<QS, I> for E
where
    E: AppearsIn<QS, I>,
{
    type SqlRow = E::SqlRow;
    type Aggregation = E::Aggregation;
}

/// A selection that [`Selection`] accepts and whose aggregation a select list allows: no
/// aggregate beside an ungrouped column ([`ValidSelectList`](crate::expression::ValidSelectList)),
/// no aggregate of an aggregate, no window function without its window. One bound for
/// `.select(..)`, so that a select list is checked — and a mistake reported — once.
#[diagnostic::on_unimplemented(
    message = "this select list is not made of columns and expressions of this query",
    label = "expected columns of tables in FROM, expressions built on them, a tuple of them, or `Struct::as_select()`",
    note = "a Rust string or number is not a column: name the column itself (`users::name`), or wrap a value in `lit(..)`"
)]
pub trait ValidSelection<Scope, Index> {}

impl<S, QS, I> ValidSelection<QS, I> for S
where
    S: Selection<QS, I>,
    S::Aggregation: crate::expression::ValidSelectList
        + crate::expression::NoNestedAggregate
        + crate::expression::NoBareWindow,
{
}

macro_rules! tuples {
    (@nullability $qs:ident $T:ident $I:ident) => { <$T as AppearsIn<$qs, $I>>::Nullability };
    (@nullability $qs:ident $T:ident $I:ident $($rest:ident)+) => {
        <<$T as AppearsIn<$qs, $I>>::Nullability as crate::types::Nullability>::Or<tuples!(@nullability $qs $($rest)+)>
    };
    (@fold $qs:ident $T:ident $I:ident) => { <$T as AppearsIn<$qs, $I>>::Aggregation };
    (@fold $qs:ident $T:ident $I:ident $($rest:ident)+) => {
        <<$T as AppearsIn<$qs, $I>>::Aggregation as Aggregation>::And<tuples!(@fold $qs $($rest)+)>
    };
    ($($T:ident $I:ident $idx:tt),+) => {
        // Tuples are select items, order keys and FROM-checked like any expression, so that
        // `Selection` and `OrderTerm` each have a single impl and a mistake inside a tuple is
        // reported at the column that caused it.
        impl<$($T: SelectItem),+> SelectItem for ($($T,)+) {
            type SqlRow = ($($T::SqlRow,)+);
        }

        impl<$($T: OrderKey),+> OrderKey for ($($T,)+) {}

        impl<$($T,)+ $($I,)+ QS> AppearsIn<QS, ($($I,)+)> for ($($T,)+)
        where
            $($T: AppearsIn<QS, $I>,)+
        {
            type Nullability = tuples!(@nullability QS $($T $I)+);
            type Aggregation = tuples!(@fold QS $($T $I)+);
            type SqlRow = ($($T::SqlRow,)+);
        }


        impl<$($T: QueryFragment<DB>,)+ DB: Backend> QueryFragment<DB> for ($($T,)+) {
            fn to_sql(&self, out: &mut SqlWriter<DB>) {
                $(
                    if $idx > 0 {
                        out.push_sql(", ");
                    }
                    // A list of values: a condition in it is written as one.
                    crate::expression::write_value(&self.$idx, out);
                )+
            }
            fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
                $(self.$idx.collect_binds(out)?;)+
                Ok(())
            }
            fn has_static_sql(&self) -> bool {
                true $(&& self.$idx.has_static_sql())+
            }
        }
    };
}

/// A struct whose fields are columns of one table, selected by name.
///
/// Derive it with `#[derive(Selectable)]` and `#[philtre(table = users)]`; each field is paired
/// with the column of the same name, so two columns can never be swapped by position.
pub trait Selectable: Sized {
    /// The table the fields come from.
    type Table: Table;

    /// How many columns `write_columns` writes.
    const COLUMNS: usize;

    /// The position of a field whose column is never NULL, if any (see
    /// [`crate::types::SqlRowWidth::NOT_NULL_COLUMN`]).
    const NOT_NULL_COLUMN: Option<usize> = None;

    /// The columns' SQL names, in field order (empty where the derive does not say: a struct
    /// with generic parameters).
    const COLUMN_NAMES: &'static [&'static str] = &[];

    /// Field `index` (in field order), for the ORM to take a key from a loaded row instead of
    /// selecting its column a second time. `None` where the derive does not say.
    fn field_any(&self, index: usize) -> Option<&dyn std::any::Any> {
        let _ = index;
        None
    }

    /// Field `index` if it is a `K`: [`Selectable::field_any`] typed, which the derive writes
    /// so that no call goes through `Any`'s vtable (the ORM reads keys from each loaded row
    /// through it). `None` for another type, or where the derive does not say.
    fn field_ref<K: 'static>(&self, index: usize) -> Option<&K> {
        self.field_any(index)?.downcast_ref::<K>()
    }

    /// The Rust type of field `index`, as [`Selectable::field_any`] gives it.
    fn field_type(index: usize) -> Option<std::any::TypeId> {
        let _ = index;
        None
    }

    /// Writes the column list, in field order, qualified by `source` (the table's name or an
    /// alias).
    fn write_columns_from<DB: Backend>(source: &str, out: &mut SqlWriter<DB>);

    /// Writes the column list, in field order, qualified by the table's name.
    fn write_columns<DB: Backend>(out: &mut SqlWriter<DB>) {
        Self::write_columns_from(Self::Table::DESCRIPTION.name, out);
    }

    /// This struct as a selection: `query.select(User::as_select())`.
    fn as_select() -> AsSelect<Self> {
        AsSelect(PhantomData)
    }
}

/// The selection of a [`Selectable`] struct's columns.
pub struct AsSelect<T>(PhantomData<fn() -> T>);

impl<T> Clone for AsSelect<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for AsSelect<T> {}
impl<T> std::fmt::Debug for AsSelect<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AsSelect<{}>", std::any::type_name::<T>())
    }
}

/// The SQL row type of `T::as_select()`: the struct's own columns, read by its derive.
pub struct SelectableRow<T>(PhantomData<fn() -> T>);

impl<T: Selectable> SelectItem for AsSelect<T> {
    type SqlRow = SelectableRow<T>;
}

/// A struct's columns are found through its table; in a grouped query, its table's primary
/// key must be a GROUP BY key. On the nullable side of an outer join it reads into an `Option`.
impl<T: Selectable, QS, I> AppearsIn<QS, I> for AsSelect<T>
where
    QS: ColumnInScope<T::Table, <T::Table as Table>::PrimaryKey, I>,
{
    type Nullability = QS::Nullability;
    type Aggregation = QS::Aggregation;
    type SqlRow = <QS::Nullability as Nullability>::Row<SelectableRow<T>>;
}

impl<T: Selectable, DB: Backend> QueryFragment<DB> for AsSelect<T> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        T::write_columns(out);
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

/// The selection of a query without `.select(..)`: every column of the table.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultSelection;

/// A selection chosen with `.select(..)`. `I` is where its columns' tables sit in the FROM
/// list, inferred at that call; it lets the row type be computed later without a second check.
#[derive(Debug, Clone, Copy)]
pub struct Selected<S, I> {
    pub(crate) selection: S,
    _row: PhantomData<fn() -> I>,
}

impl<S, I> Selected<S, I> {
    pub(crate) fn new(selection: S) -> Self {
        Selected {
            selection,
            _row: PhantomData,
        }
    }
}

crate::for_each_tuple!(tuples);
