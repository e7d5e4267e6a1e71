//! The ORM: relationships between tables, declared once and checked at compile time, and
//! eager loading along them with the loaded shape in the result type.
//!
//! Built on the query language (`query/`), never the other way round. Every `references` in
//! `table!` gives a many-to-one ([`parent`]) and a one-to-many ([`children`]) relationship;
//! [`many_to_many`] goes through an association table; `.filter`, `.order_by` and
//! `.limit_per_parent` add what a foreign key cannot say. [`LoadDsl::selectin`] loads a
//! relationship for all rows of a query at once ([`LoadWithDsl::load_with`]), and
//! [`Loaded::related`] reads it — only if it was loaded.

mod filters;
mod join;
mod joined;
mod keys;
mod loaded;
mod loading;
mod relationship;
mod selectin;
pub mod session;
mod strategies;
mod subquery;

pub use filters::{DirectRelation, NoCondition, RelatedExists, RelationFilters, with_parent};
pub use join::{AlongRelation, ForeignKeyCondition};
pub use joined::{
    AddsJoin, FromQueryJoin, JoinMode, JoinedBelow, JoinedColumns, JoinedLoad, JoinedShape,
};
pub use keys::KeySubquery;
pub use keys::{BindKey, KeyColumns, KeyIn, KeyOf, KeyType};
pub use loaded::{Loaded, LoadedRelation, SameRelation, With};
pub use loading::{
    AsyncLoadWithDsl, Both, CheckedSelection, EagerLoad, Gather, KeyColumnList, LoadFuture,
    LoadPlan, LoadWithDsl, NoKeyColumns, NoLoads, Plan, RelatedSelection, SameTable, StartsAt,
    StartsInFrom, load_related, load_related_async,
};
pub use relationship::{
    Cardinality, Children, Filtered, ForeignKey, LimitedPerParent, Many, ManyToMany, One, OneToOne,
    Ordered, Parent, ParentSlot, RelatedScope, Relation, RelationDsl, RelationSql,
    SameAssociationTable, children, many_to_many, parent,
};
pub use selectin::{KeyFromRow, KeyMode, RelatedRowsQuery, SelectIn, SelectsKey};
pub use session::{
    AsyncSession, Cascade, Entity, EntityRow, FlushSummary, Key, ObjectState, Registry, Session,
    SqlNull,
};
pub use strategies::{LoadDsl, RowOf};
pub use subquery::{SubqueryBelow, SubqueryLoad};
