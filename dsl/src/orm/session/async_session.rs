//! [`AsyncSession`]: the session over an [`AsyncConnection`], its statements awaited.

use std::ops::{Deref, DerefMut};

use crate::connection::AsyncConnection;
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::orm::{ForeignKey, KeyColumns};
use crate::query::{Query, SelectableRow};

use super::entity::EntityRow;
use super::io::Awaiting;
use super::registry::Registry;
use super::store::Key;
use super::{EntityOf, Session};

/// The [`Session`] over an async connection: the same unit of work — identity map, change
/// tracking, flush order, batching, cascades, optimistic locking, events, the same SQL — with
/// every statement awaited. Nothing reads the database unless a method here is awaited
/// (there is no lazy loading), and every future is `Send`. The book's "Async" chapter has
/// a complete, runnable example.
///
/// The methods that do not touch the database (`add`, `get`, `get_mut`, `delete`,
/// `add_child`, `set_parent`, `state`, `expire`, …) are [`Session`]'s, through `Deref`.
///
/// A session dropped without [`AsyncSession::commit`] discards its work, as the blocking one
/// does: its transaction is rolled back by the connection's next call, or by the pool when the
/// connection goes back (a destructor cannot wait for a ROLLBACK). So is one whose future is
/// dropped mid-flush.
///
/// ```text
/// let registry = Registry::new(&schema);
/// let mut session = AsyncSession::new(&registry, &mut conn);
/// let ada = session.add(User { id: 0, name: "Ada".into() })?;
/// session.commit().await?;                 // INSERT, COMMIT
/// session.get_mut(ada)?.name = "Ada L.".into();
/// session.commit().await?;                 // UPDATE users SET name = ? WHERE id = ?
/// ```
pub struct AsyncSession<'c, C: AsyncConnection> {
    inner: Session<'c, C, Awaiting>,
}

/// A savepoint of an [`AsyncSession`], from [`AsyncSession::begin_nested`].
#[must_use = "end it with `release_nested` or `rollback_nested`"]
pub struct NestedTransaction(super::transaction::Nested);

impl std::fmt::Debug for NestedTransaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NestedTransaction").finish_non_exhaustive()
    }
}

impl<C: AsyncConnection> std::fmt::Debug for AsyncSession<'_, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl<'c, C: AsyncConnection> Deref for AsyncSession<'c, C> {
    type Target = Session<'c, C, Awaiting>;
    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl<C: AsyncConnection> DerefMut for AsyncSession<'_, C> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.inner
    }
}

impl<'c, C: AsyncConnection> AsyncSession<'c, C> {
    /// A session on `conn`, configured by `registry` (see [`Session::new`]).
    pub fn new(registry: &Registry, conn: &'c mut C) -> Self {
        AsyncSession {
            inner: Session::with_connection(registry, conn),
        }
    }

    /// [`Session::find`], awaited.
    pub async fn find<T: EntityRow<C::Backend>>(
        &mut self,
        pk: T::PrimaryKey,
    ) -> QueryResult<Option<Key<T>>> {
        self.inner.find_io(pk).await
    }

    /// [`Session::load`], awaited.
    pub async fn load<T, Q>(&mut self, query: Q) -> QueryResult<Vec<Key<T>>>
    where
        T: EntityRow<C::Backend>,
        Q: Query<SqlRow = SelectableRow<T>> + QueryFragment<C::Backend> + Send + Sync,
    {
        self.inner.load_rows(query, false).await
    }

    /// [`Session::load_fresh`], awaited.
    pub async fn load_fresh<T, Q>(&mut self, query: Q) -> QueryResult<Vec<Key<T>>>
    where
        T: EntityRow<C::Backend>,
        Q: Query<SqlRow = SelectableRow<T>> + QueryFragment<C::Backend> + Send + Sync,
    {
        self.inner.load_rows(query, true).await
    }

    /// [`Session::merge`], awaited.
    pub async fn merge<T: EntityRow<C::Backend>>(&mut self, value: T) -> QueryResult<Key<T>> {
        self.inner.merge_io(value).await
    }

    /// [`Session::refresh`], awaited.
    pub async fn refresh<T: EntityRow<C::Backend>>(&mut self, key: Key<T>) -> QueryResult<()> {
        self.inner.refresh_io(key).await
    }

    /// [`Session::children`], awaited.
    pub async fn children<P, T, F>(
        &mut self,
        parents: &[Key<P>],
        foreign_key: F,
    ) -> QueryResult<Vec<Vec<Key<T>>>>
    where
        P: EntityRow<C::Backend> + EntityOf<<F::Target as KeyColumns>::Table>,
        T: EntityRow<C::Backend> + EntityOf<F::Table>,
        F: ForeignKey + Send,
    {
        self.inner.children_io(parents, foreign_key).await
    }

    /// [`Session::parents`], awaited.
    pub async fn parents<T, P, F>(
        &mut self,
        children: &[Key<T>],
        foreign_key: F,
    ) -> QueryResult<Vec<Option<Key<P>>>>
    where
        P: EntityRow<C::Backend> + EntityOf<<F::Target as KeyColumns>::Table>,
        T: EntityRow<C::Backend> + EntityOf<F::Table>,
        F: ForeignKey + Send,
    {
        self.inner.parents_io(children, foreign_key).await
    }

    /// [`Session::flush`], awaited.
    pub async fn flush(&mut self) -> QueryResult<()> {
        self.inner.flush_io().await
    }

    /// [`Session::commit`], awaited.
    pub async fn commit(&mut self) -> QueryResult<()> {
        self.inner.commit_io().await
    }

    /// [`Session::rollback`], awaited.
    pub async fn rollback(&mut self) -> QueryResult<()> {
        self.inner.rollback_io().await
    }

    /// Opens a savepoint (SQLAlchemy's `begin_nested`): the session flushes first and keeps
    /// a copy of itself to go back to. End it with [`AsyncSession::release_nested`] (flush and
    /// keep) or [`AsyncSession::rollback_nested`] (the database and the session go back to the
    /// savepoint); one left open ends with the session's transaction.
    ///
    /// The blocking session takes a closure instead; an async closure borrowing the session
    /// would not make a `Send` future (a limit of today's compiler), so here the savepoint is a
    /// value.
    pub async fn begin_nested(&mut self) -> QueryResult<NestedTransaction> {
        Ok(NestedTransaction(self.inner.open_nested().await?))
    }

    /// Flushes and releases a savepoint from [`AsyncSession::begin_nested`]; if the flush
    /// fails, rolls back to it as [`AsyncSession::rollback_nested`] does and returns the error.
    pub async fn release_nested(&mut self, nested: NestedTransaction) -> QueryResult<()> {
        self.inner.close_nested(nested.0, Ok(())).await
    }

    /// Rolls the database and the session back to a savepoint from
    /// [`AsyncSession::begin_nested`]: objects, values and states as they were there.
    pub async fn rollback_nested(&mut self, nested: NestedTransaction) -> QueryResult<()> {
        self.inner.rollback_nested_io(nested.0).await
    }

    /// [`Session::connection`], awaited: the connection, for Core statements inside the
    /// session's transaction.
    pub async fn connection(&mut self) -> QueryResult<&mut C> {
        self.inner.connection_io().await
    }
}
