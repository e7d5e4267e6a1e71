//! Rule: a table declared for a CTE (`#[cte]` in `table!`) is read only by a statement that
//! defines it with `.with(cte(table, query))`.
//!
//! Such a table exists only inside the statement that names it in WITH; run without it, the
//! database answers "no such table" (SQLite), "relation does not exist" (PostgreSQL) or
//! "table doesn't exist" (MySQL). The check is made where a query is run (`load`, `get_result`,
//! `first`, and their async forms): every table of its FROM clause — and of each SELECT of a
//! UNION — that is declared `#[cte]` must be one of the CTEs of its `.with(..)`. Tables are told
//! apart by their SQL names (the ids of [`NamedSource`]). A subquery in a WHERE clause is not
//! followed; a CTE it reads is checked by the database.

use crate::schema::{NamedSource, No, SameDigits, Truth, Yes};

use super::alias::Alias;
use super::compound::CompoundSelect;
use super::cte::{Cte, DerivedTable, WithStatement};
use super::hint::Hinted;
use super::join::Join;
use super::lateral::Lateral;
use super::leading::ExtendedFrom;
use super::no_from::NoFrom;
use super::prefix::Prefixed;
use super::select::SelectStatement;
use super::subquery::Correlated;

/// Everything `Self` (a FROM source or a statement) reads that is declared `#[cte]` is one of
/// the CTEs `Ctes` (a statement's `.with(..)` list; `()` for a statement without one).
#[diagnostic::on_unimplemented(
    message = "this query reads a table declared `#[cte]` without defining it with `.with(cte(..))`",
    label = "a `#[cte]` table in FROM that this statement does not define",
    note = "add `.with(cte(that_table::table, query))` to the statement, or drop `#[cte]` if the table exists in the database"
)]
pub trait CtesDefined<Ctes> {}

/// Rule message: the answer of [`DefinesCte`] for table `Table` must be [`Yes`].
#[diagnostic::on_unimplemented(
    message = "table `{Table}` is declared `#[cte]`, but this statement does not define it: add `.with(cte({Table}, query))`",
    label = "reads `{Table}`, which exists only inside a WITH that defines it",
    note = "a `#[cte]` table is the name of a common table expression, never created in the database; drop `#[cte]` if the table exists"
)]
pub trait CteDefinedHere<Table> {}

#[diagnostic::do_not_recommend]
impl<T> CteDefinedHere<T> for Yes {}

/// Whether a list of CTEs (one [`Cte`], a tuple of them, or `()`) defines the table whose
/// SQL name hashes to `Id`.
pub trait DefinesCte<Id> {
    /// [`Yes`] or [`No`].
    type Answer: Truth;
}

impl<Id> DefinesCte<Id> for () {
    type Answer = No;
}

impl<T: NamedSource, Q, const RECURSIVE: bool, Id> DefinesCte<Id> for Cte<T, Q, RECURSIVE>
where
    T::Id: SameDigits<Id>,
{
    type Answer = <T::Id as SameDigits<Id>>::Answer;
}

macro_rules! defines_in_tuple {
    (@or $Id:ident $T:ident) => { <$T as DefinesCte<$Id>>::Answer };
    (@or $Id:ident $T:ident $($rest:ident)+) => {
        <<$T as DefinesCte<$Id>>::Answer as Truth>::Or<defines_in_tuple!(@or $Id $($rest)+)>
    };
    ($($T:ident $I:ident $n:tt),+) => {
        impl<Id, $($T: DefinesCte<Id>),+> DefinesCte<Id> for ($($T,)+) {
            type Answer = defines_in_tuple!(@or Id $($T)+);
        }
    };
}

crate::for_each_tuple!(defines_in_tuple);

// FROM sources. `table!` implements the rule for each table: always for a table of the
// database, and for a `#[cte]` table when `Ctes` defines it.

impl<T: CtesDefined<Ctes>, N, Ctes> CtesDefined<Ctes> for Alias<T, N> {}

impl<L, R, K, On, Ctes> CtesDefined<Ctes> for Join<L, R, K, On>
where
    L: CtesDefined<Ctes>,
    R: CtesDefined<Ctes>,
{
}

impl<F: CtesDefined<Ctes>, J, Ctes> CtesDefined<Ctes> for ExtendedFrom<F, J> {}

impl<S: CtesDefined<Ctes>, Target, Ctes> CtesDefined<Ctes> for Hinted<S, Target> {}

// The correlated table belongs to the enclosing query.
impl<S: CtesDefined<Ctes>, T, Ctes> CtesDefined<Ctes> for Correlated<S, T> {}

// A derived table and a lateral subquery define their own name in place.
#[diagnostic::do_not_recommend]
impl<T, Q, Ctes> CtesDefined<Ctes> for DerivedTable<T, Q> {}
#[diagnostic::do_not_recommend]
impl<T, Q, Ctes> CtesDefined<Ctes> for Lateral<T, Q> {}
#[diagnostic::do_not_recommend]
impl<Ctes> CtesDefined<Ctes> for NoFrom {}

// Statements.

impl<F, S, D, W, G, H, O, L, Off, Lk, Ctes> CtesDefined<Ctes>
    for SelectStatement<F, S, D, W, G, H, O, L, Off, Lk>
where
    F: CtesDefined<Ctes>,
{
}

impl<L, R, Op, O, Lim, Off, Ctes> CtesDefined<Ctes> for CompoundSelect<L, R, Op, O, Lim, Off>
where
    L: CtesDefined<Ctes>,
    R: CtesDefined<Ctes>,
{
}

// The statement's own WITH list defines what it reads (a WITH nested in another is rare, and
// sees only its own list here).
impl<C, Q: CtesDefined<C>, Ctes> CtesDefined<Ctes> for WithStatement<C, Q> {}

impl<Statement: CtesDefined<Ctes>, Target, Ctes> CtesDefined<Ctes> for Prefixed<Statement, Target> {}

/// Implements [`CtesDefined`] for statements that never read a `#[cte]` table from a FROM
/// clause of their own type (raw SQL, boxed queries, INSERT / UPDATE / DELETE … RETURNING, the
/// ORM's statements): the check does not follow them.
macro_rules! reads_no_cte {
    ($([$($g:tt)*] $ty:ty),* $(,)?) => {$(
        #[diagnostic::do_not_recommend]
        impl<$($g)* Ctes> CtesDefined<Ctes> for $ty {}
    )*};
}

reads_no_cte!(
    [Binds, Row,] super::text::TextQuery<Binds, Row>,
    ['t, Binds, Row,] &'t super::text::TextQuery<Binds, Row>,
    ['q, F, S, G, DB: crate::backend::Backend,] super::boxed::BoxedSelect<'q, F, S, G, DB>,
    [T, V, R, C,] super::insert::InsertStatement<T, V, R, C>,
    [T, W, C, R, Rows,] super::update::UpdateStatement<T, W, C, R, Rows>,
    [T, W, R, Rows,] super::delete::DeleteStatement<T, W, R, Rows>,
);
