//! Query-building methods on tables: `users::table.filter(..)` starts a SELECT.

use crate::expression::{AppearsIn, CountStar, Expression, OrderTerm};
use crate::schema::Table;
use crate::types::BooleanCondition;

use super::clauses::{Distinct, Limit, NoDistinct, NoLimit, NoOrder, NoWhere, OrderBy, Where};
use super::find::FindKey;
use super::select::SelectStatement;
use super::selection::{DefaultSelection, Selected, Selection};

/// The SELECT-building methods, available on every table. Each returns a
/// [`SelectStatement`]; see its methods for the details.
pub trait QueryDsl: Table {
    /// `SELECT selection FROM table`.
    fn select<S, I>(self, selection: S) -> SelectStatement<Self, Selected<S, I>>
    where
        S: Selection<(Self, ()), I>,
    {
        SelectStatement::new(self).select(selection)
    }

    /// `SELECT * FROM table WHERE predicate`.
    fn filter<P, I>(
        self,
        predicate: P,
    ) -> SelectStatement<Self, DefaultSelection, NoDistinct, Where<P>>
    where
        P: Expression + AppearsIn<(Self, ()), I>,
        P::SqlType: BooleanCondition,
    {
        SelectStatement::new(self).filter(predicate)
    }

    /// `SELECT * FROM table ORDER BY terms`.
    fn order<T, I>(
        self,
        terms: T,
    ) -> SelectStatement<Self, DefaultSelection, NoDistinct, NoWhere, OrderBy<T>>
    where
        T: OrderTerm<(Self, ()), I>,
    {
        SelectStatement::new(self).order(terms)
    }

    /// `SELECT * FROM table LIMIT n`.
    fn limit(
        self,
        n: i64,
    ) -> SelectStatement<Self, DefaultSelection, NoDistinct, NoWhere, NoOrder, Limit> {
        SelectStatement::new(self).limit(n)
    }

    /// `SELECT * FROM table OFFSET n`.
    fn offset(
        self,
        n: i64,
    ) -> SelectStatement<Self, DefaultSelection, NoDistinct, NoWhere, NoOrder, NoLimit, Limit> {
        SelectStatement::new(self).offset(n)
    }

    /// `SELECT DISTINCT * FROM table`.
    fn distinct(self) -> SelectStatement<Self, DefaultSelection, Distinct> {
        SelectStatement::new(self).distinct()
    }

    /// `SELECT COUNT(*) FROM table`.
    fn count(self) -> SelectStatement<Self, Selected<CountStar, ()>> {
        SelectStatement::new(self).count()
    }

    /// `SELECT * FROM table WHERE pk = key`.
    fn find<K>(
        self,
        key: K,
    ) -> SelectStatement<
        Self,
        DefaultSelection,
        NoDistinct,
        Where<<Self::PrimaryKey as FindKey<K>>::Condition>,
    >
    where
        Self::PrimaryKey: FindKey<K>,
    {
        SelectStatement::new(self).find(key)
    }
}

impl<T: Table> QueryDsl for T {}
