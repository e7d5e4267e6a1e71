use crate::expression::{And, AsExpression, Binary, Eq};
use crate::schema::Column;

/// Rule: `find(key)` takes a value of the primary key's SQL type (a tuple for a composite key).
#[diagnostic::on_unimplemented(
    message = "`find` needs a value of the primary key's SQL type, but got `{K}`",
    label = "this key does not match the primary key `{Self}`",
    note = "a composite primary key takes a tuple with one value per key column"
)]
pub trait FindKey<K> {
    /// The WHERE condition `pk = key`.
    type Condition;
    /// Builds the condition.
    fn condition(self, key: K) -> Self::Condition;
}

#[diagnostic::do_not_recommend]
impl<C: Column, K: AsExpression<C::SqlType>> FindKey<K> for C {
    type Condition = Eq<C, K::Expression>;
    fn condition(self, key: K) -> Self::Condition {
        Binary::new(self, key.into_expression())
    }
}

/// Rule: a composite primary key is found by a tuple with one value per key column.
#[diagnostic::on_unimplemented(
    message = "the primary key `{PK}` has several columns; `find` needs a tuple of values, got `{Self}`",
    label = "expected one value per key column, e.g. `find((1, \"a\"))`"
)]
pub trait CompositeKey<PK> {
    /// The WHERE condition.
    type Condition;
    /// Builds the condition.
    fn condition(self, pk: PK) -> Self::Condition;
}

#[diagnostic::do_not_recommend]
impl<A, B, K: CompositeKey<(A, B)>> FindKey<K> for (A, B) {
    type Condition = K::Condition;
    fn condition(self, key: K) -> Self::Condition {
        key.condition(self)
    }
}

#[diagnostic::do_not_recommend]
impl<A, B, C, K: CompositeKey<(A, B, C)>> FindKey<K> for (A, B, C) {
    type Condition = K::Condition;
    fn condition(self, key: K) -> Self::Condition {
        key.condition(self)
    }
}

impl<A: FindKey<KA>, B: FindKey<KB>, KA, KB> CompositeKey<(A, B)> for (KA, KB) {
    type Condition = And<A::Condition, B::Condition>;
    fn condition(self, pk: (A, B)) -> Self::Condition {
        Binary::new(pk.0.condition(self.0), pk.1.condition(self.1))
    }
}

impl<A: FindKey<KA>, B: FindKey<KB>, C: FindKey<KC>, KA, KB, KC> CompositeKey<(A, B, C)>
    for (KA, KB, KC)
{
    type Condition = And<And<A::Condition, B::Condition>, C::Condition>;
    fn condition(self, pk: (A, B, C)) -> Self::Condition {
        Binary::new(
            Binary::new(pk.0.condition(self.0), pk.1.condition(self.1)),
            pk.2.condition(self.2),
        )
    }
}
