//! The loading strategies, as methods of every relationship: `selectin`, `joined`,
//! `contains_eager`, `subquery` (and `selectin_with` for a selection of loose columns).

use crate::query::{AsSelect, Selectable, Selection};

use super::joined::{FromQueryJoin, JoinedLoad};
use super::loading::{CheckedSelection, NoLoads, SameTable};
use super::relationship::{RelatedScope, Relation};
use super::selectin::SelectIn;
use super::subquery::SubqueryLoad;

/// Rule: a relationship to table `Table` loads rows of `Table`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a row of `{Table}`, the table this relationship reaches",
    label = "a row type of another table",
    note = "load the related rows into a `Selectable` struct of the table the relationship reaches (`children(posts::user_id).selectin::<Post>()` for a `Post` of `posts`)"
)]
pub trait RowOf<Table> {}

#[diagnostic::do_not_recommend]
impl<T: Selectable, Table> RowOf<Table> for T where T::Table: SameTable<Table> {}

/// Loading strategies for every relationship.
pub trait LoadDsl: Relation + Sized {
    /// Loads the related rows as `T` (a `#[derive(Selectable)]` struct of the related table)
    /// with one query per level: `WHERE key IN (…)`, split to fit the backend's parameter
    /// limit, or on PostgreSQL `key IN (SELECT unnest($1))` with the keys as one array.
    fn selectin<T>(self) -> SelectIn<Self, T, AsSelect<T>>
    where
        T: Selectable + RowOf<Self::To>,
    {
        SelectIn::new(self, T::as_select())
    }

    /// Loads the related rows as `T` in the query itself, through one LEFT OUTER JOIN
    /// (SQLAlchemy's `joinedload`): one statement instead of two. The joined rows of one parent
    /// are merged back into one (a parent the query repeats comes back once). The relationship
    /// must be `Copy` (its condition's values `&str` rather than `String`); a query with a
    /// LIMIT or OFFSET, or a relationship of a table to itself, is an error (the limit would
    /// count joined rows): use [`LoadDsl::selectin`] there.
    fn joined<T>(self) -> JoinedLoad<Self, T, AsSelect<T>>
    where
        T: Selectable + RowOf<Self::To>,
    {
        JoinedLoad::new(self, T::as_select())
    }

    /// Fills the relationship from a join the query already has (SQLAlchemy's
    /// `contains_eager`): `users::table.inner_join(children(posts::user_id))
    /// .filter(posts::published.eq(true))` loaded with
    /// `children(posts::user_id).contains_eager::<Post>()` gives each user the published posts
    /// the query itself found. The related table must be in the query's FROM; the
    /// relationship's own `.filter` is not applied (the query's join and WHERE decide), its
    /// order and per-parent limit are.
    fn contains_eager<T>(self) -> JoinedLoad<Self, T, AsSelect<T>, NoLoads, FromQueryJoin>
    where
        T: Selectable + RowOf<Self::To>,
    {
        JoinedLoad::new(self, T::as_select())
    }

    /// Loads the related rows as `T` with a query that nests the query itself (SQLAlchemy's
    /// `subqueryload`): `WHERE key IN (SELECT … FROM (<the query's keys>))`, so no keys are
    /// sent back, whatever their number. The query must be `Clone`.
    fn subquery<T>(self) -> SubqueryLoad<Self, T, AsSelect<T>>
    where
        T: Selectable + RowOf<Self::To>,
    {
        SubqueryLoad::new(self, T::as_select())
    }

    /// Like [`LoadDsl::selectin`], reading the related rows through `selection` (columns of
    /// the related table, a tuple of them) into `T`.
    fn selectin_with<T, Sel, SelIndex>(
        self,
        selection: Sel,
    ) -> SelectIn<Self, T, CheckedSelection<Sel, SelIndex>>
    where
        Sel: Selection<RelatedScope<Self::To>, SelIndex>,
    {
        SelectIn::new(self, CheckedSelection::new(selection))
    }
}

impl<R: Relation> LoadDsl for R {}
