//! Relationships follow foreign-key columns: `children(posts::user_id)` is "a user's posts",
//! `parent(posts::user_id)` is "a post's user". A foreign key is what makes a relationship
//! possible, so a relationship along a column that references nothing does not compile.

use crate::schema::{Column, Table};

/// A column that references a column of another (or the same) table: `table!` implements it
/// for each column declared with `references parent(column)`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a foreign key, so no relationship follows it",
    label = "a relationship needs a column declared with `references`",
    note = "declare the column in `table!` as `column -> Type references parent_table(parent_column)`"
)]
pub trait ForeignKey: Column {
    /// The column it references.
    type Target: Column;
}

/// Marker: a relationship from a parent row to its many children.
#[derive(Debug, Clone, Copy, Default)]
pub struct OneToMany;

/// Marker: a relationship from a child row to its one parent.
#[derive(Debug, Clone, Copy, Default)]
pub struct ManyToOne;

/// A relationship between two tables, seen from the side a load starts at.
pub trait Relation: Copy {
    /// The table the load starts from.
    type From: Table;
    /// The table the relationship reaches.
    type To: Table;
    /// The column of `From` that the join matches (its key or its foreign key).
    type FromKey: Column<Table = Self::From>;
    /// The column of `To` that the join matches.
    type ToKey: Column<Table = Self::To>;
    /// [`OneToMany`] or [`ManyToOne`].
    type Kind;
}

/// The children of a parent row along foreign key `FK` (SQLAlchemy's one-to-many
/// `relationship()`): from the referenced table to the table holding `FK`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Children<FK>(FK);

/// The parent of a row along foreign key `FK` (SQLAlchemy's many-to-one `relationship()`):
/// from the table holding `FK` to the table it references.
#[derive(Debug, Clone, Copy, Default)]
pub struct Parent<FK>(FK);

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
pub fn children<FK: ForeignKey>(foreign_key: FK) -> Children<FK> {
    Children(foreign_key)
}

/// "The row this one references through `foreign_key`": `parent(posts::user_id)` is a post's
/// user. A self-reference works the same way (`parent(employees::manager_id)` is the manager,
/// `children(employees::manager_id)` the reports).
pub fn parent<FK: ForeignKey>(foreign_key: FK) -> Parent<FK> {
    Parent(foreign_key)
}

impl<FK: ForeignKey> Relation for Children<FK> {
    type From = <FK::Target as Column>::Table;
    type To = FK::Table;
    type FromKey = FK::Target;
    type ToKey = FK;
    type Kind = OneToMany;
}

impl<FK: ForeignKey> Relation for Parent<FK> {
    type From = FK::Table;
    type To = <FK::Target as Column>::Table;
    type FromKey = FK;
    type ToKey = FK::Target;
    type Kind = ManyToOne;
}
