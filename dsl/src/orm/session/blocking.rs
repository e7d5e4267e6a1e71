//! The session's statements on a blocking [`Connection`]: each method runs the session's one
//! copy of the code (see [`super::io`]) to its end before it returns.

use crate::connection::Connection;
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::orm::{ForeignKey, KeyColumns};
use crate::query::{Query, SelectableRow};

use super::entity::EntityRow;
use super::io::{Blocking, now};
use super::registry::Registry;
use super::store::Key;
use super::{EntityOf, Session};

impl<'c, C: Connection> Session<'c, C, Blocking> {
    /// A session on `conn`, configured by `registry`. If `conn` is already inside a
    /// transaction, the session's transaction is a savepoint in it.
    pub fn new(registry: &Registry, conn: &'c mut C) -> Self {
        Session::with_connection(registry, conn)
    }

    /// The object with primary key `pk`: from the identity map without SQL when the session
    /// holds it, otherwise loaded (after an autoflush). `None` if no such row exists.
    /// SQLAlchemy's `session.get(User, pk)`.
    pub fn find<T: EntityRow<C::Backend>>(
        &mut self,
        pk: T::PrimaryKey,
    ) -> QueryResult<Option<Key<T>>> {
        now(self.find_io(pk))
    }

    /// Runs `query` (its rows read as `T`: `users::table.filter(..).select(User::as_select())`)
    /// after an autoflush, and returns the session's object for each row: a row the session
    /// already holds gives the object it holds, unchanged (SQLAlchemy's default; see
    /// [`Session::load_fresh`]).
    pub fn load<T, Q>(&mut self, query: Q) -> QueryResult<Vec<Key<T>>>
    where
        T: EntityRow<C::Backend>,
        Q: Query<SqlRow = SelectableRow<T>> + QueryFragment<C::Backend> + Send + Sync,
    {
        now(self.load_rows(query, false))
    }

    /// As [`Session::load`], but each row the session already holds is overwritten with what
    /// the database has (SQLAlchemy's `populate_existing`). Unflushed changes to those objects
    /// are lost; objects marked for deletion are left alone.
    pub fn load_fresh<T, Q>(&mut self, query: Q) -> QueryResult<Vec<Key<T>>>
    where
        T: EntityRow<C::Backend>,
        Q: Query<SqlRow = SelectableRow<T>> + QueryFragment<C::Backend> + Send + Sync,
    {
        now(self.load_rows(query, true))
    }

    /// Brings a detached value back (SQLAlchemy's `merge`): copied onto the session's object
    /// with the same key — loaded first if the session does not hold it — so the next flush
    /// writes the differences; added as new if no such row exists.
    pub fn merge<T: EntityRow<C::Backend>>(&mut self, value: T) -> QueryResult<Key<T>> {
        now(self.merge_io(value))
    }

    /// Reloads the object from the database, discarding unflushed changes to it. An error of
    /// kind [`crate::ErrorKind::NotFound`] if the row is gone.
    pub fn refresh<T: EntityRow<C::Backend>>(&mut self, key: Key<T>) -> QueryResult<()> {
        now(self.refresh_io(key))
    }

    /// Loads the children of `parents` along `foreign_key` (the children's column referencing
    /// the parents), in one query per 1,000 parents (selectin), through the identity map:
    /// children the session holds come back as those objects. Returns each parent's children,
    /// in the parents' order.
    pub fn children<P, T, F>(
        &mut self,
        parents: &[Key<P>],
        foreign_key: F,
    ) -> QueryResult<Vec<Vec<Key<T>>>>
    where
        P: EntityRow<C::Backend> + EntityOf<<F::Target as KeyColumns>::Table>,
        T: EntityRow<C::Backend> + EntityOf<F::Table>,
        F: ForeignKey,
    {
        now(self.children_io(parents, foreign_key))
    }

    /// Loads the parents of `children` along `foreign_key` (the children's column referencing
    /// the parents; SQLAlchemy's `post.user`), in one query per 1,000 distinct keys, through
    /// the identity map: parents the session holds come back as those objects. Returns each
    /// child's parent, in the children's order; `None` where the foreign key is NULL.
    pub fn parents<T, P, F>(
        &mut self,
        children: &[Key<T>],
        foreign_key: F,
    ) -> QueryResult<Vec<Option<Key<P>>>>
    where
        P: EntityRow<C::Backend> + EntityOf<<F::Target as KeyColumns>::Table>,
        T: EntityRow<C::Backend> + EntityOf<F::Table>,
        F: ForeignKey,
    {
        now(self.parents_io(children, foreign_key))
    }

    /// Writes every pending change in the session's transaction: INSERTs of new objects
    /// (referenced tables first; generated keys set on the objects and copied into their
    /// children), UPDATEs of the changed columns only (grouped by the columns changed), and
    /// DELETEs (cascades first, referencing tables first).
    ///
    /// If any statement fails, the flush's work is rolled back and the session is as before
    /// the flush: new objects still pending, nothing marked persistent. The error names the
    /// statement and the objects.
    pub fn flush(&mut self) -> QueryResult<()> {
        now(self.flush_io())
    }

    /// Flushes, then commits the session's transaction: only after the database confirms the
    /// COMMIT are objects deleted in it gone from the session and new ones kept as persistent.
    /// If the COMMIT fails, the session is rolled back (see [`Session::rollback`]) and the
    /// error returned.
    pub fn commit(&mut self) -> QueryResult<()> {
        now(self.commit_io())
    }

    /// Rolls back the session's transaction and the session with it: objects added in it leave
    /// the session (their keys stop resolving), changed and deleted objects get back their
    /// values as of the transaction's start, unflushed changes are discarded.
    pub fn rollback(&mut self) -> QueryResult<()> {
        now(self.rollback_io())
    }

    /// Runs `f` in a savepoint (SQLAlchemy's `begin_nested`): the session flushes first; if
    /// `f` returns `Ok`, what it did is flushed and the savepoint released; if `f` returns
    /// `Err` (or its flush fails), the database and the session go back to how they were at
    /// the savepoint — objects, values and states — and the error is returned. The session's
    /// outer transaction stays open either way.
    ///
    /// Taking the savepoint copies the session's objects (to restore them), so its cost grows
    /// with the number of objects held.
    pub fn begin_nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> QueryResult<T>,
    ) -> QueryResult<T> {
        let nested = now(self.open_nested())?;
        let outcome = f(self);
        now(self.close_nested(nested, outcome))
    }

    /// The connection, for Core statements inside the session's transaction (flushed first
    /// when autoflush is on, so they see the session's changes). Rows changed this way are not
    /// known to the session: [`Session::refresh`] or [`Session::load_fresh`] reads them.
    pub fn connection(&mut self) -> QueryResult<&mut C> {
        now(self.connection_io())
    }
}
