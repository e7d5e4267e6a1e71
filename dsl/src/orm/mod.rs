//! The ORM: relationships between tables, declared once and checked at compile time.
//!
//! Built on the query language (`query/`), never the other way round. What is here so far is the
//! relationship layer — every `references` in `table!` gives a many-to-one ([`parent`]) and a
//! one-to-many ([`children`]) relationship, checked when it is written. Loading strategies
//! (selectin, joined, subquery) and the Session come next; `docs/design/orm-relationships.md`
//! has the plan.

mod join;
mod relationship;

pub use join::AlongRelation;
pub use relationship::{
    Children, ForeignKey, ManyToOne, OneToMany, Parent, Relation, children, parent,
};
