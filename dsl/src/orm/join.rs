//! Joining along a relationship: `users::table.inner_join(children(reviews::author_id))` — the
//! ON condition comes from the foreign key, so it need not be written, and two foreign keys to
//! the same table (which make a plain `inner_join(reviews::table)` ambiguous) are told apart.

use crate::expression::Eq;
use crate::query::JoinTarget;
use crate::schema::Column;

use super::relationship::{Children, ForeignKey, Parent};

/// The index of a join along a relationship (a relationship knows its ON condition, so there
/// is nothing to infer).
#[derive(Debug, Clone, Copy, Default)]
pub struct AlongRelation;

// Not offered as a fix when a plain table join fails: the suggestion would only lengthen that
// error.
#[diagnostic::do_not_recommend]
impl<FK, FromList> JoinTarget<FromList, AlongRelation> for Children<FK>
where
    FK: ForeignKey + Column,
    FK::Target: Column,
{
    type Source = <FK as Column>::Table;
    type Condition = Eq<FK, FK::Target>;
    fn into_parts(self) -> (<FK as Column>::Table, Self::Condition) {
        (<FK as Column>::Table::default(), Self::Condition::default())
    }
}

#[diagnostic::do_not_recommend]
impl<FK, FromList> JoinTarget<FromList, AlongRelation> for Parent<FK>
where
    FK: ForeignKey + Column,
    FK::Target: Column,
{
    type Source = <FK::Target as Column>::Table;
    type Condition = Eq<FK, FK::Target>;
    fn into_parts(self) -> (Self::Source, Self::Condition) {
        (
            <FK::Target as Column>::Table::default(),
            Self::Condition::default(),
        )
    }
}
