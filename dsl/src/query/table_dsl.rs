//! Query-building methods on FROM sources: `users::table.filter(..)` starts a SELECT, and so
//! does `users::table.inner_join(posts::table).select(..)`.

use crate::expression::{AppearsIn, CountStar, OrderTerm};
use crate::schema::Table;

use super::clauses::{
    Distinct, Limit, NoDistinct, NoLimit, NoOrder, NoWhere, OrderBy, Where, WhereCondition,
};
use super::find::FindKey;
use super::scope::{GroupBy, GroupKeys, NoGroupBy};
use super::select::{RowScope, SelectStatement};
use super::selection::{DefaultSelection, Selected, ValidSelection};
use super::source::QuerySource;

/// `SELECT * FROM source` with clauses of the given types and the rest absent.
type Select<F, S = DefaultSelection, D = NoDistinct, W = NoWhere> = SelectStatement<F, S, D, W>;

/// The SELECT-building methods, available on every table and join. Each returns a
/// [`SelectStatement`]; see its methods for the details.
pub trait QueryDsl: QuerySource {
    /// `SELECT selection FROM source`.
    fn select<S, I>(self, selection: S) -> Select<Self, Selected<S, I>>
    where
        S: ValidSelection<RowScope<Self>, I>,
    {
        SelectStatement::new(self).select(selection)
    }

    /// `SELECT * FROM source WHERE predicate`.
    fn filter<P, I>(self, predicate: P) -> Select<Self, DefaultSelection, NoDistinct, Where<P>>
    where
        P: WhereCondition<RowScope<Self>, I>,
    {
        SelectStatement::new(self).filter(predicate)
    }

    /// `SELECT … FROM source GROUP BY keys`.
    fn group_by<K, I>(
        self,
        keys: K,
    ) -> SelectStatement<Self, DefaultSelection, NoDistinct, NoWhere, GroupBy<K>>
    where
        K: AppearsIn<RowScope<Self>, I> + GroupKeys,
    {
        SelectStatement::new(self).group_by(keys)
    }

    /// `SELECT * FROM source ORDER BY terms`.
    fn order<T, I>(
        self,
        terms: T,
    ) -> SelectStatement<
        Self,
        DefaultSelection,
        NoDistinct,
        NoWhere,
        NoGroupBy,
        super::NoHaving,
        OrderBy<T>,
    >
    where
        T: OrderTerm<RowScope<Self>, I>,
        NoGroupBy: super::order_checks::OrderFitsSelection<
                DefaultSelection,
                RowScope<Self>,
                T::Aggregation,
            >,
    {
        SelectStatement::new(self).order(terms)
    }

    /// `SELECT * FROM source LIMIT n`.
    fn limit(
        self,
        n: i64,
    ) -> SelectStatement<
        Self,
        DefaultSelection,
        NoDistinct,
        NoWhere,
        NoGroupBy,
        super::NoHaving,
        NoOrder,
        Limit,
    > {
        SelectStatement::new(self).limit(n)
    }

    /// `SELECT * FROM source OFFSET n`.
    fn offset(
        self,
        n: i64,
    ) -> SelectStatement<
        Self,
        DefaultSelection,
        NoDistinct,
        NoWhere,
        NoGroupBy,
        super::NoHaving,
        NoOrder,
        NoLimit,
        Limit,
    > {
        SelectStatement::new(self).offset(n)
    }

    /// `SELECT DISTINCT * FROM source`.
    fn distinct(self) -> Select<Self, DefaultSelection, Distinct> {
        SelectStatement::new(self).distinct()
    }

    /// `SELECT COUNT(*) FROM source`.
    fn count(self) -> Select<Self, Selected<CountStar, ()>> {
        SelectStatement::new(self).count()
    }

    /// This source inside a subquery correlated with outer table `T`: its clauses may use
    /// `T`'s columns, and the enclosing query must select from `T`.
    fn correlate<T: Table>(self, _outer: T) -> super::Correlated<Self, T> {
        super::Correlated::new(self)
    }

    /// `SELECT * FROM table WHERE pk = key`.
    fn find<K>(
        self,
        key: K,
    ) -> Select<
        Self,
        DefaultSelection,
        NoDistinct,
        Where<<Self::PrimaryKey as FindKey<K>>::Condition>,
    >
    where
        Self: Table,
        Self::PrimaryKey: FindKey<K>,
    {
        SelectStatement::new(self).find(key)
    }
}

impl<S: QuerySource> QueryDsl for S {}
