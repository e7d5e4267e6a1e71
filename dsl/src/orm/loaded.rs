//! The typed result of a load: a row, and what was loaded for it, each under the relationship
//! that loaded it. A relationship that was not loaded is not in the type, so reading it does
//! not compile.

use std::ops::{Deref, DerefMut};

use crate::schema::{Here, There};

/// A row with the relationships loaded for it: `Loaded<User, With<Children<posts::user_id>,
/// Vec<Post>>>` for a user with posts.
///
/// It dereferences to the row (`user.name`), and [`Loaded::related`] returns what a
/// relationship loaded (`user.related(children(posts::user_id))` is a `&Vec<Post>`).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<Row, Relations> {
    row: Row,
    relations: Relations,
}

/// What one relationship `R` loaded for one row: `Vec<T>` for a one-to-many or many-to-many,
/// `Arc<T>` (or `Option<Arc<T>>` for a nullable foreign key) for a many-to-one.
pub struct With<R, Value> {
    value: Value,
    _relation: std::marker::PhantomData<fn() -> R>,
}

// By hand, not derived: a derive would ask the relationship type `R` (a marker) for them too.
impl<R, Value: Clone> Clone for With<R, Value> {
    fn clone(&self) -> Self {
        With::new(self.value.clone())
    }
}

impl<R, Value: PartialEq> PartialEq for With<R, Value> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<R, Value: std::fmt::Debug> std::fmt::Debug for With<R, Value> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.value.fmt(f)
    }
}

impl<R, Value> With<R, Value> {
    pub(crate) fn new(value: Value) -> Self {
        With {
            value,
            _relation: std::marker::PhantomData,
        }
    }
    /// The loaded value.
    pub fn get(&self) -> &Value {
        &self.value
    }
    /// The loaded value, owned.
    pub fn into_inner(self) -> Value {
        self.value
    }
}

impl<Row, Relations> Loaded<Row, Relations> {
    pub(crate) fn new(row: Row, relations: Relations) -> Self {
        Loaded { row, relations }
    }

    /// The row itself.
    pub fn row(&self) -> &Row {
        &self.row
    }

    /// The row, and what was loaded for it: a [`With`] for one relationship, a tuple of them
    /// for several.
    pub fn into_parts(self) -> (Row, Relations) {
        (self.row, self.relations)
    }

    /// Every loaded relationship: a [`With`], or a tuple of them in the order they were given
    /// to `load_with`.
    pub fn relations(&self) -> &Relations {
        &self.relations
    }

    /// What `relation` loaded for this row. Only a relationship the load asked for can be
    /// read: any other does not compile.
    pub fn related<R, Index>(&self, relation: R) -> &<Relations as LoadedRelation<R, Index>>::Value
    where
        Relations: LoadedRelation<R, Index>,
    {
        let _ = relation;
        self.relations.value()
    }

    /// What `relation` loaded for this row, to change or take out.
    pub fn related_mut<R, Index>(
        &mut self,
        relation: R,
    ) -> &mut <Relations as LoadedRelation<R, Index>>::Value
    where
        Relations: LoadedRelation<R, Index>,
    {
        let _ = relation;
        self.relations.value_mut()
    }
}

impl<Row, Relations> Deref for Loaded<Row, Relations> {
    type Target = Row;
    fn deref(&self) -> &Row {
        &self.row
    }
}

impl<Row, Relations> DerefMut for Loaded<Row, Relations> {
    fn deref_mut(&mut self) -> &mut Row {
        &mut self.row
    }
}

/// Rule: only a relationship that was loaded can be read. `Index` is where it sits among the
/// loaded ones, inferred.
#[diagnostic::on_unimplemented(
    message = "relationship `{R}` was not loaded by this query",
    label = "this relationship is not among the ones loaded",
    note = "add it to `load_with(..)` (or to `.then(..)` of the level it belongs to); philtre never loads a relationship behind your back"
)]
pub trait LoadedRelation<R, Index> {
    /// What it loaded.
    type Value;
    /// Reads it.
    fn value(&self) -> &Self::Value;
    /// Reads it for change.
    fn value_mut(&mut self) -> &mut Self::Value;
}

/// The same relationship as `R` (the two types are equal). A separate trait, so that asking
/// for a relationship that was not loaded fails as [`LoadedRelation`], not as a type mismatch.
#[diagnostic::on_unimplemented(
    message = "relationship `{Self}` was not loaded by this query",
    label = "this relationship is not among the ones loaded",
    note = "add it to `load_with(..)` (or to `.then(..)` of the level it belongs to); philtre never loads a relationship behind your back"
)]
pub trait SameRelation<R> {}
impl<R> SameRelation<R> for R {}

#[diagnostic::do_not_recommend]
impl<Asked: SameRelation<R>, R, Value> LoadedRelation<Asked, Here> for With<R, Value> {
    type Value = Value;
    fn value(&self) -> &Value {
        &self.value
    }
    fn value_mut(&mut self) -> &mut Value {
        &mut self.value
    }
}

macro_rules! loaded_in_tuple {
    ($index:ty, $at:tt; $($T:ident),+) => {
        #[diagnostic::do_not_recommend]
        impl<R, Value, $($T),+> LoadedRelation<R, $index> for ($($T,)+)
        where
            loaded_in_tuple!(@pick $at; $($T),+): LoadedRelation<R, Here, Value = Value>,
        {
            type Value = Value;
            fn value(&self) -> &Value {
                self.$at.value()
            }
            fn value_mut(&mut self) -> &mut Value {
                self.$at.value_mut()
            }
        }
    };
    (@pick 0; $A:ident $(, $rest:ident)*) => { $A };
    (@pick 1; $A:ident, $B:ident $(, $rest:ident)*) => { $B };
    (@pick 2; $A:ident, $B:ident, $C:ident $(, $rest:ident)*) => { $C };
    (@pick 3; $A:ident, $B:ident, $C:ident, $D:ident $(, $rest:ident)*) => { $D };
}

loaded_in_tuple!(There<Here>, 0; A, B);
loaded_in_tuple!(There<There<Here>>, 1; A, B);
loaded_in_tuple!(There<Here>, 0; A, B, C);
loaded_in_tuple!(There<There<Here>>, 1; A, B, C);
loaded_in_tuple!(There<There<There<Here>>>, 2; A, B, C);
loaded_in_tuple!(There<Here>, 0; A, B, C, D);
loaded_in_tuple!(There<There<Here>>, 1; A, B, C, D);
loaded_in_tuple!(There<There<There<Here>>>, 2; A, B, C, D);
loaded_in_tuple!(There<There<There<There<Here>>>>, 3; A, B, C, D);
