//! How the session reaches its connection, once for blocking and async connections.
//!
//! The session's statements are written once, as `async` code over [`SessionIo`]. A blocking
//! connection answers each call at once (its futures are ready when made), so a blocking
//! session runs that code to its end in one poll ([`now`]); an async connection's answers are
//! awaited. Either way the same flush, the same loads, the same transaction rules run.

use std::future::Future;
use std::pin::Pin;

use crate::backend::Backend;
pub(crate) use crate::connection::now;
use crate::connection::{
    AsyncConnection, Connection, KeyListLimit, QueryConnection, close_level, close_level_async,
    key_list_limit, open_level, open_level_async,
};
pub use crate::connection::{Awaiting, Blocking};
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::query::Query;
use crate::types::FromSqlRow;

/// A future the session's dynamic parts hand back.
pub(crate) type IoFuture<'a, T> = Pin<Box<dyn Future<Output = QueryResult<T>> + Send + 'a>>;

/// What the session asks of its connection, in mode `M` ([`Blocking`] or [`Awaiting`]).
/// Implemented for every blocking and every async connection; not for implementing by hand.
pub trait SessionIo<M>: Send {
    /// The SQL dialect.
    type Backend: Backend;

    /// Runs a statement; the rows it affected.
    fn execute<'a, Q>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<usize>> + Send + 'a
    where
        Q: QueryFragment<Self::Backend> + Sync;

    /// Runs a query and reads every row.
    fn load<'a, Q, U>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<Vec<U>>> + Send + 'a
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static;

    /// Runs a query and reads its first row.
    fn load_first<'a, Q, U>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<U>> + Send + 'a
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static;

    /// See [`Connection::last_insert_id`].
    fn last_insert_id(&self) -> Option<u64>;
    /// See [`Connection::last_insert_rowid`].
    fn last_insert_rowid(&self) -> Option<i64>;
    /// See [`Connection::auto_increment_step`].
    fn auto_increment_step(&mut self) -> impl Future<Output = QueryResult<u64>> + Send + '_;
    /// How long one statement's key list may be.
    fn key_list_limit(&self) -> KeyListLimit;

    /// Opens a transaction level (a savepoint inside a transaction).
    fn open_level(
        &mut self,
    ) -> impl Future<Output = QueryResult<(Option<String>, u32)>> + Send + '_;

    /// Ends a level: kept (COMMIT / RELEASE) or rolled back.
    fn close_level<'a>(
        &'a mut self,
        savepoint: Option<&'a str>,
        level: u32,
        keep: bool,
    ) -> impl Future<Output = QueryResult<()>> + Send + 'a;

    /// Rolls a level back from a destructor: at once on a blocking connection; on an async
    /// one, by marking it abandoned, so the connection's next call (or its pool) rolls it
    /// back.
    fn drop_level(&mut self, savepoint: Option<&str>, level: u32);
}

impl<C: Connection> SessionIo<Blocking> for C {
    type Backend = C::Backend;

    fn execute<'a, Q>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<usize>> + Send + 'a
    where
        Q: QueryFragment<Self::Backend> + Sync,
    {
        std::future::ready(self.execute_query(query))
    }

    fn load<'a, Q, U>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<Vec<U>>> + Send + 'a
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static,
    {
        std::future::ready(self.load_query(query))
    }

    fn load_first<'a, Q, U>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<U>> + Send + 'a
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static,
    {
        std::future::ready(Connection::load_first(self, query))
    }

    fn last_insert_id(&self) -> Option<u64> {
        Connection::last_insert_id(self)
    }

    fn last_insert_rowid(&self) -> Option<i64> {
        Connection::last_insert_rowid(self)
    }

    fn auto_increment_step(&mut self) -> impl Future<Output = QueryResult<u64>> + Send + '_ {
        std::future::ready(Connection::auto_increment_step(self))
    }

    fn key_list_limit(&self) -> KeyListLimit {
        QueryConnection::key_list_limit(self)
    }

    fn open_level(
        &mut self,
    ) -> impl Future<Output = QueryResult<(Option<String>, u32)>> + Send + '_ {
        std::future::ready(open_level(self, None))
    }

    fn close_level<'a>(
        &'a mut self,
        savepoint: Option<&'a str>,
        level: u32,
        keep: bool,
    ) -> impl Future<Output = QueryResult<()>> + Send + 'a {
        std::future::ready(close_level(self, savepoint, level, keep))
    }

    fn drop_level(&mut self, savepoint: Option<&str>, level: u32) {
        // A failure means the connection is broken, which its next use reports.
        let _ = close_level(self, savepoint, level, false);
    }
}

impl<C: AsyncConnection> SessionIo<Awaiting> for C {
    type Backend = C::Backend;

    fn execute<'a, Q>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<usize>> + Send + 'a
    where
        Q: QueryFragment<Self::Backend> + Sync,
    {
        self.execute_query(query)
    }

    fn load<'a, Q, U>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<Vec<U>>> + Send + 'a
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static,
    {
        self.load_query(query)
    }

    fn load_first<'a, Q, U>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<U>> + Send + 'a
    where
        Q: Query + QueryFragment<Self::Backend> + Sync,
        Q::SqlRow: 'static,
        U: FromSqlRow<Q::SqlRow, Self::Backend> + Send + 'static,
    {
        AsyncConnection::load_first(self, query)
    }

    fn last_insert_id(&self) -> Option<u64> {
        AsyncConnection::last_insert_id(self)
    }

    fn last_insert_rowid(&self) -> Option<i64> {
        AsyncConnection::last_insert_rowid(self)
    }

    fn auto_increment_step(&mut self) -> impl Future<Output = QueryResult<u64>> + Send + '_ {
        AsyncConnection::auto_increment_step(self)
    }

    fn key_list_limit(&self) -> KeyListLimit {
        key_list_limit::<C::Backend>()
    }

    fn open_level(
        &mut self,
    ) -> impl Future<Output = QueryResult<(Option<String>, u32)>> + Send + '_ {
        open_level_async(self)
    }

    fn close_level<'a>(
        &'a mut self,
        savepoint: Option<&'a str>,
        level: u32,
        keep: bool,
    ) -> impl Future<Output = QueryResult<()>> + Send + 'a {
        close_level_async(self, savepoint, level, keep)
    }

    fn drop_level(&mut self, _savepoint: Option<&str>, level: u32) {
        self.transactions().abandon(level);
    }
}
