//! Rules that tie ORDER BY to the select list.
//!
//! **Aggregation.** Without GROUP BY, a select list of aggregates makes one row of the whole
//! table: it is ordered by aggregates (or constants), never by a plain column; a plain select
//! list is never ordered by an aggregate (`SELECT name FROM users ORDER BY count(*)`: PostgreSQL
//! and MySQL refuse it, SQLite silently returns one row). With GROUP BY, each ORDER BY key is
//! checked against the grouping like a select-list item.
//!
//! **DISTINCT.** A `SELECT DISTINCT` is ordered only by expressions it selects. DISTINCT keeps
//! one row per distinct select list; a key outside that list has many values per kept row, so PostgreSQL refuses the query ("for SELECT DISTINCT, ORDER BY expressions
//! must appear in select list") and SQLite and MySQL order by the value of an arbitrary row.
//! Checked on every backend, so that a query written for one runs on the others. The check
//! runs whichever of `.select(..)`, `.distinct()` and `.order(..)` comes last.
//!
//! "Selected" means the same Rust type: a column, or an expression built the same way (the
//! values it binds are not compared). Without `.select(..)` every column of the FROM tables is
//! selected; with a struct's `as_select()`, every column of its table counts as selected.

use crate::expression::{
    Aggregation, Asc, Desc, Expression, NullsPlaced, PlainColumn, ValidSelectList,
};
use crate::schema::Column;

use super::alias::AliasedColumn;
use super::clauses::{Distinct, DistinctOn, NoDistinct, NoOrder, OrderBy};
use super::scope::{GroupBy, NoGroupBy};
use super::selection::{AsSelect, DefaultSelection, Selectable, Selected, Selection};

/// `Self`, an ORDER BY key, is one of the expressions `Selection` selects (the rule itself is
/// [`DistinctOrder`]).
pub trait SelectedByDistinct<Selection, Index> {}

/// `Self` is an item of the select list `List` (a tuple, found at position `Index`).
pub trait InSelectList<List, Index> {}

/// [`InSelectList`] index: the list is the key itself.
#[derive(Debug)]
pub enum SameItem {}

/// [`InSelectList`] index: the key is element `N` of a tuple, found there at `Inner`.
#[derive(Debug)]
pub struct AtPosition<const N: usize, Inner>(std::marker::PhantomData<Inner>);

#[diagnostic::do_not_recommend]
impl<E> InSelectList<E, SameItem> for E {}

// A struct's columns are those of its table (a struct that leaves a column out is not told
// apart: its derive lists column names, not column types).
#[diagnostic::do_not_recommend]
impl<C: Column, T: Selectable<Table = C::Table>> InSelectList<AsSelect<T>, ()> for C {}

macro_rules! in_tuple {
    ($tuple:tt $($n:tt $elem:ident)+) => {
        $( in_tuple!(@one $tuple $n $elem); )+
    };
    (@one ($($t:ident),+) $n:tt $elem:ident) => {
        #[diagnostic::do_not_recommend]
        impl<Key, Inner, $($t),+> InSelectList<($($t,)+), AtPosition<$n, Inner>> for Key
        where
            Key: InSelectList<$elem, Inner>,
        {
        }
    };
}

in_tuple!((A) 0 A);
in_tuple!((A, B) 0 A 1 B);
in_tuple!((A, B, C) 0 A 1 B 2 C);
in_tuple!((A, B, C, D) 0 A 1 B 2 C 3 D);
in_tuple!((A, B, C, D, E) 0 A 1 B 2 C 3 D 4 E);
in_tuple!((A, B, C, D, E, F) 0 A 1 B 2 C 3 D 4 E 5 F);
in_tuple!((A, B, C, D, E, F, G) 0 A 1 B 2 C 3 D 4 E 5 F 6 G);
in_tuple!((A, B, C, D, E, F, G, H) 0 A 1 B 2 C 3 D 4 E 5 F 6 G 7 H);
in_tuple!((A, B, C, D, E, F, G, H, I) 0 A 1 B 2 C 3 D 4 E 5 F 6 G 7 H 8 I);
in_tuple!((A, B, C, D, E, F, G, H, I, J) 0 A 1 B 2 C 3 D 4 E 5 F 6 G 7 H 8 I 9 J);
in_tuple!((A, B, C, D, E, F, G, H, I, J, K) 0 A 1 B 2 C 3 D 4 E 5 F 6 G 7 H 8 I 9 J 10 K);
in_tuple!((A, B, C, D, E, F, G, H, I, J, K, L) 0 A 1 B 2 C 3 D 4 E 5 F 6 G 7 H 8 I 9 J 10 K 11 L);

// `SELECT *` selects every column of the FROM tables (that the column's table is in FROM,
// `.order(..)` checks already).
#[diagnostic::do_not_recommend]
impl<C: Column> SelectedByDistinct<DefaultSelection, ()> for C {}
#[diagnostic::do_not_recommend]
impl<A, C: Column> SelectedByDistinct<DefaultSelection, ()> for AliasedColumn<A, C> {}

#[diagnostic::do_not_recommend]
impl<E, List, ListIndex, I> SelectedByDistinct<Selected<List, ListIndex>, I> for E where
    E: InSelectList<List, I>
{
}

/// The ORDER BY terms `Self` (a key, `.asc()` / `.desc()` of one, or a tuple of them) are all
/// selected by `Selection`.
pub trait TermsSelected<Selection, Index> {}

#[diagnostic::do_not_recommend]
impl<E: Expression, S, I> TermsSelected<S, I> for E where E: SelectedByDistinct<S, I> {}
#[diagnostic::do_not_recommend]
impl<E, S, I> TermsSelected<S, I> for Asc<E> where E: SelectedByDistinct<S, I> {}
#[diagnostic::do_not_recommend]
impl<E, S, I> TermsSelected<S, I> for Desc<E> where E: SelectedByDistinct<S, I> {}
#[diagnostic::do_not_recommend]
impl<K, S, I, const FIRST: bool> TermsSelected<S, I> for NullsPlaced<K, FIRST> where
    K: TermsSelected<S, I>
{
}

macro_rules! terms_tuple {
    ($($T:ident $I:ident $n:tt),+) => {
        #[diagnostic::do_not_recommend]
        impl<S, $($T, $I),+> TermsSelected<S, ($($I,)+)> for ($($T,)+)
        where
            $($T: TermsSelected<S, $I>),+
        {
        }
    };
}

crate::for_each_tuple!(terms_tuple);

/// Rule: what the DISTINCT modifier `Self` asks of the ORDER BY clause `Order` of a query that
/// selects `Selection`. Nothing without DISTINCT (or with PostgreSQL's `DISTINCT ON`, which the
/// database checks against ORDER BY itself); with DISTINCT, keys that are selected.
#[diagnostic::on_unimplemented(
    message = "SELECT DISTINCT is ordered by an expression it does not select",
    label = "an ORDER BY key of this query is not in its select list",
    note = "after DISTINCT each ORDER BY key must be selected (PostgreSQL rejects the query; SQLite and MySQL would order by an arbitrary row of each group): select it too, or order by a selected expression"
)]
pub trait DistinctOrder<Selection, Order, Index> {}

#[diagnostic::do_not_recommend]
impl<S, O> DistinctOrder<S, O, ()> for NoDistinct {}
#[diagnostic::do_not_recommend]
impl<S, O, E> DistinctOrder<S, O, ()> for DistinctOn<E> {}
#[diagnostic::do_not_recommend]
impl<S> DistinctOrder<S, NoOrder, ()> for Distinct {}
#[diagnostic::do_not_recommend]
impl<S, Terms, I> DistinctOrder<S, OrderBy<Terms>, I> for Distinct where Terms: TermsSelected<S, I> {}

/// Rule: ORDER BY keys of aggregation state `OrderAggregation` fit the select list `Selection`
/// of a query with GROUP BY clause `Self`, seen in scope `Scope`. Without GROUP BY, the keys and
/// the select list combine as one select list would ([`ValidSelectList`]): an aggregate select
/// list is ordered by aggregates, a plain one by columns.
#[diagnostic::on_unimplemented(
    message = "ORDER BY mixes aggregate functions with columns that are not in GROUP BY",
    label = "an aggregate beside plain columns, between this ORDER BY and the select list",
    note = "without GROUP BY, a select list of aggregates is ordered by aggregates and a select list of columns by columns; to order groups, add `.group_by(..)`"
)]
pub trait OrderFitsSelection<Selection, Scope, OrderAggregation> {}

// Grouped: every key was checked against the grouping when it was added.
#[diagnostic::do_not_recommend]
impl<K, S, QS, OA> OrderFitsSelection<S, QS, OA> for GroupBy<K> {}

#[diagnostic::do_not_recommend]
impl<QS, OA: Aggregation> OrderFitsSelection<DefaultSelection, QS, OA> for NoGroupBy where
    <PlainColumn as Aggregation>::And<OA>: ValidSelectList
{
}

#[diagnostic::do_not_recommend]
impl<NS, I, QS, OA: Aggregation> OrderFitsSelection<Selected<NS, I>, QS, OA> for NoGroupBy
where
    NS: Selection<QS, I>,
    <NS::Aggregation as Aggregation>::And<OA>: ValidSelectList,
{
}
