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
        Binary::new(self, key.as_expression())
    }
}

#[diagnostic::do_not_recommend]
impl<A: FindKey<KA>, B: FindKey<KB>, KA, KB> FindKey<(KA, KB)> for (A, B) {
    type Condition = And<A::Condition, B::Condition>;
    fn condition(self, key: (KA, KB)) -> Self::Condition {
        Binary::new(self.0.condition(key.0), self.1.condition(key.1))
    }
}

#[diagnostic::do_not_recommend]
impl<A: FindKey<KA>, B: FindKey<KB>, C: FindKey<KC>, KA, KB, KC> FindKey<(KA, KB, KC)> for (A, B, C) {
    type Condition = And<And<A::Condition, B::Condition>, C::Condition>;
    fn condition(self, key: (KA, KB, KC)) -> Self::Condition {
        Binary::new(
            Binary::new(self.0.condition(key.0), self.1.condition(key.1)),
            self.2.condition(key.2),
        )
    }
}
