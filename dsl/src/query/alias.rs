//! Table aliases: `employees AS manager`, for self-joins and for a table used twice.
//!
//! `alias!(employees as manager)` gives a value of type [`Alias`]: a FROM source of its own,
//! with its own place in the FROM list, so `manager.column(employees::name)` and
//! `employees::name` are different columns to the compiler as they are to SQL.

use std::marker::PhantomData;

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, Expression, QueryFragment, Seen};
use crate::schema::{Column, Entry, NamedSource, Table};
use crate::types::{NotNullable, Nullability};

use super::join::FromClause;
use super::scope::ColumnInScope;
use super::selection::{SelectItem, Selectable, SelectableRow};
use super::source::QuerySource;

/// The name of an alias. `alias!` declares one; nobody implements it by hand.
pub trait AliasName: Copy + Default + 'static {
    /// The alias as written in SQL.
    const NAME: &'static str;
    /// The hash of the name, as [`NamedSource::Id`].
    type Id;
}

/// Table `T` under the name `N`: `T AS N`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Alias<T, N> {
    _table: PhantomData<(T, N)>,
}

impl<T: Table, N: AliasName> Alias<T, N> {
    /// The alias (use `alias!`).
    pub fn new() -> Self {
        Alias {
            _table: PhantomData,
        }
    }

    /// Column `C` of the table, read through this alias: `manager.column(employees::name)`
    /// renders `manager.name`.
    pub fn column<C: Column<Table = T>>(self, _column: C) -> AliasedColumn<Self, C> {
        AliasedColumn {
            _column: PhantomData,
        }
    }
}

impl<T: Table, N: AliasName> Alias<T, N> {
    /// A `Selectable` struct's columns read through this alias:
    /// `.select(manager.as_select::<Employee>())`.
    pub fn as_select<S: Selectable<Table = T>>(self) -> AliasedSelect<S, N> {
        AliasedSelect(PhantomData)
    }
}

impl<T, N: AliasName> NamedSource for Alias<T, N> {
    type Id = N::Id;
}

impl<T: Table, N: AliasName> QuerySource for Alias<T, N> {
    type FromList = (Entry<Self, NotNullable>, ());
    type DefaultSqlRow = T::AllColumnsSqlType;
    type Outer = ();
    fn write_default_selection<DB: Backend>(&self, out: &mut SqlWriter<DB>) {
        for (i, column) in T::DESCRIPTION.columns.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_column(N::NAME, column.name);
        }
    }
}

impl<T: Table, N: AliasName, DB: Backend> FromClause<DB> for Alias<T, N> {
    fn to_from_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_table(T::DESCRIPTION);
        out.push_sql(if DB::TABLE_ALIAS_AS { " AS " } else { " " });
        out.push_identifier(N::NAME);
        out.push_lock_hint();
    }
    fn collect_from_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_from(&self) -> bool {
        true
    }
}

impl<T: Table, N: AliasName> super::AsQuery for Alias<T, N> {
    type Query = super::SelectStatement<Self>;
    fn into_query(self) -> Self::Query {
        super::SelectStatement::new(self)
    }
    fn with_query<R>(&self, f: impl FnOnce(&Self::Query) -> R) -> R {
        f(&super::SelectStatement::new(*self))
    }
}

/// Column `C` read through alias `A`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AliasedColumn<A, C> {
    _column: PhantomData<(A, C)>,
}

impl<A, C: Expression> Expression for AliasedColumn<A, C> {
    type SqlType = C::SqlType;
}

impl<A, C: Expression, QS, I> AppearsIn<QS, I> for AliasedColumn<A, C>
where
    QS: ColumnInScope<A, Self, I>,
{
    type Nullability = QS::Nullability;
    type Aggregation = QS::Aggregation;
    type SqlRow = Seen<QS::Nullability, C::SqlType>;
}

impl<T, N: AliasName, C: Column, DB: Backend> QueryFragment<DB> for AliasedColumn<Alias<T, N>, C> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_column(N::NAME, C::NAME);
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

crate::__impl_arithmetic!([A, C] AliasedColumn<A, C>);
crate::__impl_as_expression!(@column [A, C] AliasedColumn<A, C>);

/// The columns of `Selectable` struct `S` read through alias `N` of its table.
pub struct AliasedSelect<S, N>(PhantomData<fn() -> (S, N)>);

impl<S, N> Clone for AliasedSelect<S, N> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<S, N> Copy for AliasedSelect<S, N> {}
impl<S, N> std::fmt::Debug for AliasedSelect<S, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AliasedSelect<{}>", std::any::type_name::<S>())
    }
}

impl<S: Selectable, N> SelectItem for AliasedSelect<S, N> {
    type SqlRow = SelectableRow<S>;
}

type AliasOf<S, N> = Alias<<S as Selectable>::Table, N>;

impl<S: Selectable, N, QS, I> AppearsIn<QS, I> for AliasedSelect<S, N>
where
    QS: ColumnInScope<
            AliasOf<S, N>,
            AliasedColumn<AliasOf<S, N>, <S::Table as Table>::PrimaryKey>,
            I,
        >,
{
    type Nullability = QS::Nullability;
    type Aggregation = QS::Aggregation;
    type SqlRow = <QS::Nullability as Nullability>::Row<SelectableRow<S>>;
}

impl<S: Selectable, N: AliasName, DB: Backend> QueryFragment<DB> for AliasedSelect<S, N> {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        S::write_columns_from(N::NAME, out);
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}
