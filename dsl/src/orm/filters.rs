//! Relationships in WHERE: "users with a published post" (`any`), "posts whose user is
//! active" (`has`), and "the posts of this user" (`with_parent`).

use crate::backend::{Backend, BindSink, SqlWriter};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::expression::{
    AppearsIn, AsExpression, ConstantValue, Eq, Expression, ExpressionMethods, QueryFragment,
    ValidInWhere,
};
use crate::query::{ColumnInScope, FromClause};
use crate::schema::{Column, Table};
use crate::types::{Bool, BooleanCondition, NotNullable};

use super::keys::KeyColumns;
use super::relationship::{
    Children, ForeignKey, Parent, RelatedScope, Relation, RelationSql, is_self_referential,
    write_aliased_related,
};

/// `EXISTS (SELECT 1 FROM related WHERE related.key = outer.key [AND condition])`: true for the
/// rows that have a related row (for which `condition` holds). Made by
/// [`RelationFilters::any`], [`RelationFilters::has`] and [`RelationFilters::exists`].
#[derive(Debug, Clone, Copy)]
pub struct RelatedExists<R, Condition> {
    relation: R,
    condition: Option<Condition>,
}

/// No extra condition.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCondition;

impl<DB: Backend> QueryFragment<DB> for NoCondition {
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("1 = 1");
    }
    fn collect_binds<'a>(&'a self, _: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        true
    }
}

impl<R, Condition> Expression for RelatedExists<R, Condition> {
    type SqlType = Bool;
}

/// Usable wherever the table the relationship starts at is in FROM.
impl<R: Relation, Condition, QS, I> AppearsIn<QS, I> for RelatedExists<R, Condition>
where
    QS: ColumnInScope<R::From, <R::From as Table>::PrimaryKey, I>,
{
    type Nullability = NotNullable;
    type Aggregation = ConstantValue;
    type SqlRow = Bool;
}

/// The alias of the inner rows of a relationship from a table to itself.
const INNER_ALIAS: &str = "philtre_related";

impl<R, Condition, DB> QueryFragment<DB> for RelatedExists<R, Condition>
where
    DB: Backend,
    R: RelationSql<DB>,
    R::To: FromClause<DB>,
    Condition: QueryFragment<DB>,
{
    fn to_sql(&self, out: &mut SqlWriter<DB>) {
        out.push_sql("EXISTS (SELECT 1 FROM ");
        if is_self_referential::<R>() && !R::SOURCE_IS_JOIN {
            // The inner rows through an alias, so that the correlation reaches the outer ones.
            write_aliased_related::<R, DB>(INNER_ALIAS, " WHERE ", out);
            out.push_sql(")");
            return;
        }
        R::write_source(out);
        out.push_sql(" WHERE ");
        R::MatchKey::write_equal::<R::FromKey, DB>(out);
        self.relation.write_condition(out);
        if let Some(condition) = &self.condition {
            out.push_sql(" AND (");
            condition.to_sql(out);
            out.push_sql(")");
        }
        out.push_sql(")");
    }
    fn collect_binds<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        if is_self_referential::<R>() {
            // The inner rows are read through an alias; a condition would name the outer ones.
            if self.condition.is_some() || R::FILTERED || R::SOURCE_IS_JOIN {
                return Err(Error::new(
                    ErrorKind::InvalidQuery,
                    format!(
                        "`any`/`has` with a condition on a relationship from `{0}` to `{0}` \
                         itself is not supported (the condition would name the outer rows): \
                         use `.exists()`, or `exists(..)` over an `alias!` of `{0}`",
                        <R::From as Table>::DESCRIPTION.name
                    ),
                ));
            }
            return Ok(());
        }
        self.relation.collect_condition_binds(out)?;
        if let Some(condition) = &self.condition {
            condition.collect_binds(out)?;
        }
        Ok(())
    }
    fn has_static_sql(&self) -> bool {
        self.relation.is_static() && self.condition.as_ref().is_none_or(|c| c.has_static_sql())
    }
}

crate::__impl_as_expression!([R, Condition] RelatedExists<R, Condition>);

/// Relationships as WHERE conditions, SQLAlchemy's `any()` and `has()`.
pub trait RelationFilters: Relation + Sized {
    /// True for rows with at least one related row:
    /// `users::table.filter(children(posts::user_id).exists())` is "users with a post".
    fn exists(self) -> RelatedExists<Self, NoCondition> {
        RelatedExists {
            relation: self,
            condition: None,
        }
    }

    /// True for rows with at least one related row for which `condition` holds (a condition
    /// on the related table): "users with a published post" is
    /// `children(posts::user_id).any(posts::published.eq(true))`.
    fn any<Condition, Index>(self, condition: Condition) -> RelatedExists<Self, Condition>
    where
        Condition: Expression + AppearsIn<RelatedScope<Self::To>, Index>,
        Condition::SqlType: BooleanCondition,
        Condition::Aggregation: ValidInWhere,
    {
        RelatedExists {
            relation: self,
            condition: Some(condition),
        }
    }

    /// The many-to-one spelling of [`RelationFilters::any`]: "posts whose author has a score
    /// over 10" is `parent(posts::user_id).has(users::score.gt(10))`.
    fn has<Condition, Index>(self, condition: Condition) -> RelatedExists<Self, Condition>
    where
        Condition: Expression + AppearsIn<RelatedScope<Self::To>, Index>,
        Condition::SqlType: BooleanCondition,
        Condition::Aggregation: ValidInWhere,
    {
        self.any(condition)
    }
}

impl<R: Relation> RelationFilters for R {}

/// A relationship whose matching column is a column of the table it reaches, so "the rows
/// related to this key" is one comparison: one-to-many and many-to-one.
pub trait DirectRelation: Relation {}
impl<FK: ForeignKey> DirectRelation for Children<FK> {}
impl<FK: ForeignKey> DirectRelation for Parent<FK> {}

/// The rows related to the row whose key is `key` (SQLAlchemy's `with_parent`):
/// `posts::table.filter(with_parent(children(posts::user_id), user.id))` is that user's posts.
pub fn with_parent<R, K>(
    relation: R,
    key: K,
) -> Eq<R::MatchKey, <K as AsExpression<<R::MatchKey as Expression>::SqlType>>::Expression>
where
    R: DirectRelation,
    R::MatchKey: Column,
    K: AsExpression<<R::MatchKey as Expression>::SqlType>,
{
    let _ = relation;
    R::MatchKey::default().eq(key)
}
