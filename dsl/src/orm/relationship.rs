//! Relationships follow foreign-key columns: `children(posts::user_id)` is "a user's posts",
//! `parent(posts::user_id)` is "a post's user", `many_to_many(user_groups::user_id,
//! user_groups::group_id)` is "a user's groups" through the association table. A foreign key is
//! what makes a relationship possible, so a relationship along a column that references
//! nothing does not compile.
//!
//! What a foreign key alone cannot say is added with methods: `.filter(..)` (SQLAlchemy's
//! custom `primaryjoin`: "published posts"), `.order_by(..)` (a default ORDER BY for the
//! loaded children) and `.limit_per_parent(n)` ("each user's 3 latest posts").

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::QueryResult;
use crate::expression::{AppearsIn, Expression, OrderTerm, QueryFragment, ValidInWhere};
use crate::query::FromClause;
use crate::schema::Table;

use super::keys::KeyColumns;
use crate::types::{BooleanCondition, IsNullable, NotNullable, Nullability};

/// The scope of a relationship's extra condition, order and selection: the related table
/// alone.
pub type RelatedScope<T> =
    crate::query::Scope<crate::schema::SingleFrom<T>, crate::query::Ungrouped>;

/// A column that references a column of another (or the same) table: `table!` implements it
/// for each column declared with `references parent(column)`, and for the type it generates
/// for a composite foreign key (`#[foreign_key(name: (a, b) references parent (x, y))]`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a foreign key, so no relationship follows it",
    label = "a relationship needs a column declared with `references`",
    note = "declare the column in `table!` as `column -> Type references parent_table(parent_column)`"
)]
pub trait ForeignKey: KeyColumns {
    /// The column (or columns) it references.
    type Target: KeyColumns;
}

/// How many rows a relationship gives each parent: [`Many`] (a `Vec`) or [`One`] (the one row
/// it references).
pub trait Cardinality {}

/// A relationship that gives each row a `Vec` of related rows (one-to-many, many-to-many).
#[derive(Debug, Clone, Copy, Default)]
pub struct Many;
impl Cardinality for Many {}

/// A relationship that gives each row the one row its foreign key references
/// (many-to-one). `N` is the foreign key's nullability: a nullable foreign key gives an
/// `Option`.
#[derive(Debug, Clone, Copy, Default)]
pub struct One<N>(std::marker::PhantomData<N>);
impl<N: Nullability> Cardinality for One<N> {}

/// A relationship between two tables, seen from the side a load starts at.
///
/// The loader reads [`Relation::FromKey`] from each row it starts from, and runs one query
/// over [`Relation::To`] (joined with the association table of a many-to-many) for the rows
/// whose [`Relation::MatchKey`] equals one of those keys.
pub trait Relation: Clone {
    /// The table the load starts from.
    type From: Table;
    /// The table the relationship reaches.
    type To: Table;
    /// The column of `From` whose values the load collects: `users.id` for a user's posts,
    /// `posts.user_id` for a post's user.
    type FromKey: KeyColumns<Table = Self::From>;
    /// The column the related rows are matched on: `posts.user_id` for a user's posts,
    /// `users.id` for a post's user, `user_groups.user_id` for a user's groups.
    type MatchKey: KeyColumns;
    /// [`Many`] or [`One`].
    type Cardinality: Cardinality;
    /// Whether `FromKey` is unique among the rows a load starts from (a referenced column, so
    /// a key or UNIQUE): true for one-to-many, one-to-one and many-to-many, false for
    /// many-to-one, whose `FromKey` is the foreign key itself. A joined load merges the joined
    /// rows of one parent by it.
    const FROM_KEY_IS_UNIQUE: bool = true;
    /// Whether [`Relation::write_source`] writes a join (a many-to-many's).
    const SOURCE_IS_JOIN: bool = false;
    /// Whether it has an extra condition (`.filter(..)`).
    const FILTERED: bool = false;
    /// Whether it has an order (`.order_by(..)`).
    const ORDERED: bool = false;

    /// The most related rows per parent, if limited (`.limit_per_parent(n)`).
    fn per_parent_limit(&self) -> Option<&i64> {
        None
    }

    /// Writes the FROM clause of the query for the related rows: `To`, joined with the
    /// association table for a many-to-many.
    fn write_source<DB: Backend>(out: &mut SqlWriter<DB>)
    where
        Self::To: FromClause<DB>;
}

/// The parts of a relationship's query that depend on the backend: its extra condition,
/// ORDER BY and per-parent LIMIT.
pub trait RelationSql<DB: Backend>: Relation {
    /// Writes ` AND (condition)` for a relationship with an extra condition.
    fn write_condition(&self, out: &mut SqlWriter<DB>) {
        let _ = out;
    }
    /// Binds the values of the extra condition.
    fn collect_condition_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        let _ = out;
        Ok(())
    }
    /// Writes the ORDER BY terms (without the keyword); false when there are none.
    fn write_order(&self, out: &mut SqlWriter<DB>) -> bool {
        let _ = out;
        false
    }
    /// Binds the values of the ORDER BY terms.
    fn collect_order_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        let _ = out;
        Ok(())
    }
    /// Whether the extra SQL depends only on the relationship's type.
    fn is_static(&self) -> bool {
        true
    }
}

/// Whether relationship `R` goes from a table to itself (its related rows are then read through
/// an alias, or the statement would name one table twice).
pub(crate) fn is_self_referential<R: Relation>() -> bool {
    <R::From as Table>::DESCRIPTION.name == <R::To as Table>::DESCRIPTION.name
}

/// Writes `to_table alias <keyword> alias.match = from.key`: the related table of a relationship
/// of a table to itself, under `alias`, and its correlation with the rows it starts from.
pub(crate) fn write_aliased_related<R: Relation, DB: Backend>(
    alias: &str,
    keyword: &str,
    out: &mut SqlWriter<DB>,
) {
    out.push_table(<R::To as Table>::DESCRIPTION);
    out.push_sql(" ");
    out.push_identifier(alias);
    out.push_sql(keyword);
    super::keys::write_equal_names::<DB>(
        (alias, R::MatchKey::NAMES),
        (<R::From as Table>::DESCRIPTION.name, R::FromKey::NAMES),
        out,
    );
}

/// The children of a parent row along foreign key `FK` (SQLAlchemy's one-to-many
/// `relationship()`): from the referenced table to the table holding `FK`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Children<FK>(FK);

/// The parent of a row along foreign key `FK` (SQLAlchemy's many-to-one `relationship()`):
/// from the table holding `FK` to the table it references.
#[derive(Debug, Clone, Copy, Default)]
pub struct Parent<FK>(FK);

/// The rows of another table linked through an association table whose foreign key `ToFrom`
/// references the table the load starts from and `ToTarget` the table it reaches
/// (SQLAlchemy's `relationship(secondary=…)`).
#[derive(Debug, Clone, Copy, Default)]
pub struct ManyToMany<ToFrom, ToTarget>(ToFrom, ToTarget);

/// "The rows that reference this one through `foreign_key`": `children(posts::user_id)` is a
/// user's posts. Two foreign keys to the same table are two relationships, told apart by
/// their column (`children(orders::billing_address_id)`).
///
/// ```
/// use philtre::orm::{Relation, children};
/// philtre::table! {
///     users (id) { id -> Integer, name -> Text, }
///     posts (id) { id -> Integer, user_id -> Integer references users(id), title -> Text, }
/// }
/// fn starts_at_users<R: Relation<From = users::table, To = posts::table>>(_: R) {}
///
/// fn main() {
///     starts_at_users(children(posts::user_id));
/// }
/// ```
pub const fn children<FK: ForeignKey>(foreign_key: FK) -> Children<FK> {
    Children(foreign_key)
}

/// "The row this one references through `foreign_key`": `parent(posts::user_id)` is a post's
/// user. A self-reference works the same way (`parent(employees::manager_id)` is the manager,
/// `children(employees::manager_id)` the reports). A nullable foreign key loads as an
/// `Option`.
pub const fn parent<FK: ForeignKey>(foreign_key: FK) -> Parent<FK> {
    Parent(foreign_key)
}

/// Rule: the two columns of a many-to-many are foreign keys of one association table.
#[diagnostic::on_unimplemented(
    message = "a many-to-many needs two foreign keys of one association table: `{Self}` and `{Other}` are not",
    label = "this column is not in the same association table as the first one",
    note = "pass the association table's column that references the table you start from, then its column that references the table you reach: `many_to_many(user_groups::user_id, user_groups::group_id)`"
)]
pub trait SameAssociationTable<Other> {}

#[diagnostic::do_not_recommend]
impl<A, B> SameAssociationTable<B> for A
where
    A: ForeignKey,
    B: ForeignKey + KeyColumns<Table = <A as KeyColumns>::Table>,
{
}

/// "The rows linked to this one through an association table": with `user_groups (user_id
/// references users(id), group_id references groups(id))`,
/// `many_to_many(user_groups::user_id, user_groups::group_id)` is a user's groups, and
/// `many_to_many(user_groups::group_id, user_groups::user_id)` a group's users.
pub const fn many_to_many<ToFrom, ToTarget>(
    to_from: ToFrom,
    to_target: ToTarget,
) -> ManyToMany<ToFrom, ToTarget>
where
    ToFrom: ForeignKey + SameAssociationTable<ToTarget>,
    ToTarget: ForeignKey,
{
    ManyToMany(to_from, to_target)
}

impl<FK: ForeignKey> Relation for Children<FK> {
    type From = <FK::Target as KeyColumns>::Table;
    type To = FK::Table;
    type FromKey = FK::Target;
    type MatchKey = FK;
    type Cardinality = Many;
    fn write_source<DB: Backend>(out: &mut SqlWriter<DB>)
    where
        Self::To: FromClause<DB>,
    {
        <Self::To>::default().to_from_sql(out);
    }
}

impl<FK: ForeignKey> Relation for Parent<FK> {
    type From = FK::Table;
    type To = <FK::Target as KeyColumns>::Table;
    type FromKey = FK;
    type MatchKey = FK::Target;
    type Cardinality = One<<FK as KeyColumns>::Nullability>;
    const FROM_KEY_IS_UNIQUE: bool = false;
    fn write_source<DB: Backend>(out: &mut SqlWriter<DB>)
    where
        Self::To: FromClause<DB>,
    {
        <Self::To>::default().to_from_sql(out);
    }
}

impl<ToFrom, ToTarget> Relation for ManyToMany<ToFrom, ToTarget>
where
    ToFrom: ForeignKey,
    ToTarget: ForeignKey + KeyColumns<Table = <ToFrom as KeyColumns>::Table>,
{
    type From = <ToFrom::Target as KeyColumns>::Table;
    type To = <ToTarget::Target as KeyColumns>::Table;
    type FromKey = ToFrom::Target;
    type MatchKey = ToFrom;
    type Cardinality = Many;
    const SOURCE_IS_JOIN: bool = true;
    fn write_source<DB: Backend>(out: &mut SqlWriter<DB>)
    where
        Self::To: FromClause<DB>,
    {
        <Self::To>::default().to_from_sql(out);
        out.push_sql(" INNER JOIN ");
        out.push_table(<<ToFrom as KeyColumns>::Table as Table>::DESCRIPTION);
        out.push_sql(" ON ");
        ToTarget::write_equal::<ToTarget::Target, DB>(out);
    }
}

macro_rules! plain_relation_sql {
    ($($ty:ident<$($g:ident),*>),*) => {$(
        impl<$($g,)* DB: Backend> RelationSql<DB> for $ty<$($g),*> where Self: Relation {}
    )*};
}
plain_relation_sql!(Children<FK>, Parent<FK>, ManyToMany<A, B>);

/// A relationship with an extra condition on the related rows (`.filter(..)`).
#[derive(Debug, Clone, Copy)]
pub struct Filtered<R, Condition> {
    relation: R,
    condition: Condition,
}

/// A relationship whose related rows come in a given order (`.order_by(..)`).
#[derive(Debug, Clone, Copy)]
pub struct Ordered<R, Terms> {
    relation: R,
    terms: Terms,
}

/// A one-to-many that has at most one row per parent (a unique foreign key): `.one()`.
#[derive(Debug, Clone, Copy)]
pub struct OneToOne<R> {
    relation: R,
}

impl<R: RelationSql<DB>, DB: Backend> RelationSql<DB> for OneToOne<R> {
    fn write_condition(&self, out: &mut SqlWriter<DB>) {
        self.relation.write_condition(out);
    }
    fn collect_condition_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.relation.collect_condition_binds(out)
    }
    fn is_static(&self) -> bool {
        self.relation.is_static()
    }
}

/// A relationship that loads at most `limit` related rows per parent (`.limit_per_parent(n)`).
#[derive(Debug, Clone, Copy)]
pub struct LimitedPerParent<R> {
    relation: R,
    limit: i64,
}

/// `Relation` for a relationship that wraps another (`relation` field): everything is the inner
/// one's but what the wrapper says.
macro_rules! delegate_relation {
    ($ty:ident<$r:ident $(, $g:ident)*>
        $(, cardinality: $card:ty)?
        $(, filtered: $filtered:expr)?
        $(, ordered: $ordered:expr)?
        $(, limit: $limit:expr)?
    ) => {
        impl<$r: Relation $(, $g: Clone)*> Relation for $ty<$r $(, $g)*> {
            type From = $r::From;
            type To = $r::To;
            type FromKey = $r::FromKey;
            type MatchKey = $r::MatchKey;
            type Cardinality = delegate_relation!(@type [$($card)?] [$r::Cardinality]);
            const FROM_KEY_IS_UNIQUE: bool = $r::FROM_KEY_IS_UNIQUE;
            const SOURCE_IS_JOIN: bool = $r::SOURCE_IS_JOIN;
            const FILTERED: bool = delegate_relation!(@or [$($filtered)?] [$r::FILTERED]);
            const ORDERED: bool = delegate_relation!(@or [$($ordered)?] [$r::ORDERED]);
            fn per_parent_limit(&self) -> Option<&i64> {
                let limit: fn(&Self) -> Option<&i64> =
                    delegate_relation!(@or [$($limit)?] [|this| this.relation.per_parent_limit()]);
                limit(self)
            }
            fn write_source<DB: Backend>(out: &mut SqlWriter<DB>)
            where
                Self::To: FromClause<DB>,
            {
                $r::write_source(out)
            }
        }
    };
    (@type [$given:ty] [$default:ty]) => { $given };
    (@type [] [$default:ty]) => { $default };
    (@or [$given:expr] [$default:expr]) => { $given };
    (@or [] [$default:expr]) => { $default };
}
delegate_relation!(Filtered<R, Condition>, filtered: true);
delegate_relation!(Ordered<R, Terms>, ordered: true);
delegate_relation!(LimitedPerParent<R>, limit: |this| Some(&this.limit));
delegate_relation!(OneToOne<R>, cardinality: One<IsNullable>);

impl<R, Condition, DB> RelationSql<DB> for Filtered<R, Condition>
where
    R: RelationSql<DB>,
    Condition: QueryFragment<DB> + Clone,
    DB: Backend,
{
    fn write_condition(&self, out: &mut SqlWriter<DB>) {
        self.relation.write_condition(out);
        out.push_sql(" AND (");
        self.condition.to_sql(out);
        out.push_sql(")");
    }
    fn collect_condition_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.relation.collect_condition_binds(out)?;
        self.condition.collect_binds(out)
    }
    fn write_order(&self, out: &mut SqlWriter<DB>) -> bool {
        self.relation.write_order(out)
    }
    fn collect_order_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.relation.collect_order_binds(out)
    }
    fn is_static(&self) -> bool {
        self.relation.is_static() && self.condition.has_static_sql()
    }
}

impl<R, Terms, DB> RelationSql<DB> for Ordered<R, Terms>
where
    R: RelationSql<DB>,
    Terms: QueryFragment<DB> + Clone,
    DB: Backend,
{
    fn write_condition(&self, out: &mut SqlWriter<DB>) {
        self.relation.write_condition(out);
    }
    fn collect_condition_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.relation.collect_condition_binds(out)
    }
    fn write_order(&self, out: &mut SqlWriter<DB>) -> bool {
        if self.relation.write_order(out) {
            out.push_sql(", ");
        }
        self.terms.to_sql(out);
        true
    }
    fn collect_order_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.relation.collect_order_binds(out)?;
        self.terms.collect_binds(out)
    }
    fn is_static(&self) -> bool {
        self.relation.is_static() && self.terms.has_static_sql()
    }
}

impl<R: RelationSql<DB>, DB: Backend> RelationSql<DB> for LimitedPerParent<R> {
    fn write_condition(&self, out: &mut SqlWriter<DB>) {
        self.relation.write_condition(out);
    }
    fn collect_condition_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.relation.collect_condition_binds(out)
    }
    fn write_order(&self, out: &mut SqlWriter<DB>) -> bool {
        self.relation.write_order(out)
    }
    fn collect_order_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        self.relation.collect_order_binds(out)
    }
    fn is_static(&self) -> bool {
        // The limit is bound, not written into the SQL.
        self.relation.is_static()
    }
}

/// What a foreign key cannot say, added to a relationship: an extra condition, an order, a
/// per-parent limit. Implemented for every relationship.
pub trait RelationDsl: Relation + Sized {
    /// Only related rows for which `condition` holds (SQLAlchemy's custom `primaryjoin`):
    /// `children(posts::user_id).filter(posts::published.eq(true))` is "published posts". The
    /// condition may use columns of the related table only.
    fn filter<Condition, Index>(self, condition: Condition) -> Filtered<Self, Condition>
    where
        Condition: Expression + AppearsIn<RelatedScope<Self::To>, Index> + Clone,
        Condition::SqlType: BooleanCondition,
        Condition::Aggregation: ValidInWhere,
    {
        Filtered {
            relation: self,
            condition,
        }
    }

    /// The related rows in this order (SQLAlchemy's `relationship(order_by=…)`): a column, a
    /// `.desc()`, or a tuple of them, of the related table. Several calls add terms.
    fn order_by<Terms, Index>(self, terms: Terms) -> Ordered<Self, Terms>
    where
        Terms: OrderTerm<RelatedScope<Self::To>, Index> + Clone,
    {
        Ordered {
            relation: self,
            terms,
        }
    }

    /// At most `limit` related rows per parent, the first ones in the relationship's order
    /// ("each user's 3 latest posts": `.order_by(posts::id.desc()).limit_per_parent(3)`).
    /// Written as `ROW_NUMBER() OVER (PARTITION BY key ORDER BY …)`, so one query still
    /// serves every parent.
    fn limit_per_parent(self, limit: u32) -> LimitedPerParent<Self> {
        LimitedPerParent {
            relation: self,
            limit: i64::from(limit),
        }
    }
}

impl<R: Relation> RelationDsl for R {}

impl<FK: ForeignKey> Children<FK> {
    /// A one-to-one: the foreign key is unique, so each parent has at most one child, loaded
    /// as an `Option` (SQLAlchemy's `uselist=False`). Two children for one parent are an error
    /// when loaded, not a silent pick.
    pub fn one(self) -> OneToOne<Self> {
        OneToOne { relation: self }
    }
}

/// A nullability as a many-to-one sees it: a NOT NULL foreign key always has its parent, a
/// nullable one may not.
pub trait ParentSlot: Nullability {
    /// `P` or `Option<P>`.
    type Slot<P>;
    /// The slot for a parent that was found, or not.
    fn slot<P>(parent: Option<P>) -> Option<Self::Slot<P>>;
}

impl ParentSlot for NotNullable {
    type Slot<P> = P;
    fn slot<P>(parent: Option<P>) -> Option<P> {
        parent
    }
}

impl ParentSlot for IsNullable {
    type Slot<P> = Option<P>;
    fn slot<P>(parent: Option<P>) -> Option<Option<P>> {
        Some(parent)
    }
}
