//! The FROM clause as a type-level list, and membership by an inferred index.
//!
//! A query's FROM clause is a cons list of tables: `(users::table, ())`, later
//! `(posts::table, (users::table, ()))` once joins exist. A column's table is found in the
//! list by [`TableInFrom`], whose `Index` parameter ([`Here`] or [`There`]) the compiler
//! infers. Nothing is declared per pair of tables, so the cost is linear in the number of
//! tables and columns (see ARCHITECTURE.md for the measurements behind this choice).

/// The table is the head of the list.
#[derive(Debug, Clone, Copy, Default)]
pub struct Here;

/// The table is somewhere in the tail of the list, at `I`.
#[derive(Debug, Clone, Copy, Default)]
pub struct There<I>(std::marker::PhantomData<I>);

/// Rule: table `T` is one of the tables in this FROM list.
#[diagnostic::on_unimplemented(
    message = "table `{T}` is not in the FROM clause of this query",
    label = "a column of `{T}` is used here, but the query does not select from `{T}`",
    note = "select from `{T}`, or join it, before using its columns"
)]
pub trait TableInFrom<T, Index> {}

#[diagnostic::do_not_recommend]
impl<T, Tail> TableInFrom<T, Here> for (T, Tail) {}

#[diagnostic::do_not_recommend]
impl<T, Head, Tail, I> TableInFrom<T, There<I>> for (Head, Tail) where Tail: TableInFrom<T, I> {}
