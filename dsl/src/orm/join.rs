//! Joining along a relationship: `users::table.inner_join(children(reviews::author_id))` — the
//! ON condition comes from the foreign key, so it need not be written, and two foreign keys to
//! the same table (which make a plain `inner_join(reviews::table)` ambiguous) are told apart.

use crate::expression::Eq;
use crate::query::JoinTarget;
use crate::schema::Column;

use super::keys::KeyColumns;
use super::relationship::{Children, ForeignKey, Parent};

/// The index of a join along a relationship (a relationship knows its ON condition, so there
/// is nothing to infer).
#[derive(Debug, Clone, Copy, Default)]
pub struct AlongRelation;

/// The ON condition of a join along foreign key `Self`: `fk = target` for one column, the
/// columns' equalities joined by AND for a composite key (`table!` writes that one).
pub trait ForeignKeyCondition: ForeignKey {
    /// The condition, as an expression type.
    type Condition: Default + Copy;
}

impl<FK> ForeignKeyCondition for FK
where
    FK: ForeignKey + Column,
    FK::Target: Column,
{
    type Condition = Eq<FK, FK::Target>;
}

// Not offered as a fix when a plain table join fails: the suggestion would only lengthen that
// error.
#[diagnostic::do_not_recommend]
impl<FK, FromList> JoinTarget<FromList, AlongRelation> for Children<FK>
where
    FK: ForeignKeyCondition,
{
    type Source = <FK as KeyColumns>::Table;
    type Condition = FK::Condition;
    fn into_parts(self) -> (Self::Source, Self::Condition) {
        (Self::Source::default(), Self::Condition::default())
    }
}

#[diagnostic::do_not_recommend]
impl<FK, FromList> JoinTarget<FromList, AlongRelation> for Parent<FK>
where
    FK: ForeignKeyCondition,
{
    type Source = <FK::Target as KeyColumns>::Table;
    type Condition = FK::Condition;
    fn into_parts(self) -> (Self::Source, Self::Condition) {
        (Self::Source::default(), Self::Condition::default())
    }
}
