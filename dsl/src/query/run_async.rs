//! Running statements on an [`AsyncConnection`]: the async twin of [`super::RunQueryDsl`].

use std::future::Future;
use std::pin::Pin;

use crate::connection::AsyncConnection;
use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::types::FromSqlRow;

use super::run::{AsQuery, LimitOne};
use super::{CtesDefined, Query};

/// The future of a statement run on an async connection. Boxed (one allocation per statement,
/// next to a round trip to the database), so that a statement the backend cannot run is
/// reported once, at the call, and not again for an unnamed future type and its `.await`.
pub type QueryFuture<'c, T> = Pin<Box<dyn Future<Output = QueryResult<T>> + Send + 'c>>;

/// Runs statements on an async connection: `load`, `get_result`, `first`, `execute`, each
/// awaited. The statement is built and checked exactly as for a blocking connection.
///
/// Import it from [`crate::async_prelude`] (which leaves out the blocking
/// [`super::RunQueryDsl`], whose methods have the same names).
///
/// Every future is `Send`. A statement whose future is dropped before its answer was read
/// leaves the connection unusable, and a pool discards it (see [`AsyncConnection`]).
pub trait AsyncRunQueryDsl<Conn: AsyncConnection>: AsQuery + Sized {
    /// Runs an INSERT, UPDATE, DELETE (or any statement) and returns the number of rows it
    /// affected.
    fn execute<'c>(self, conn: &'c mut Conn) -> QueryFuture<'c, usize>
    where
        Self::Query: QueryFragment<Conn::Backend> + Send + Sync + 'c,
    {
        let query = self.into_query();
        Box::pin(async move { conn.execute_query(&query).await })
    }

    /// Runs the query and reads every row into `U`.
    fn load<'c, U>(self, conn: &'c mut Conn) -> QueryFuture<'c, Vec<U>>
    where
        Self::Query: Query + QueryFragment<Conn::Backend> + CtesDefined<()> + Send + Sync + 'c,
        <Self::Query as Query>::SqlRow: 'static,
        U: FromSqlRow<<Self::Query as Query>::SqlRow, Conn::Backend> + Send + 'static,
    {
        let query = self.into_query();
        Box::pin(async move { conn.load_query(&query).await })
    }

    /// Same as [`AsyncRunQueryDsl::load`].
    fn get_results<'c, U>(self, conn: &'c mut Conn) -> QueryFuture<'c, Vec<U>>
    where
        Self::Query: Query + QueryFragment<Conn::Backend> + CtesDefined<()> + Send + Sync + 'c,
        <Self::Query as Query>::SqlRow: 'static,
        U: FromSqlRow<<Self::Query as Query>::SqlRow, Conn::Backend> + Send + 'static,
    {
        self.load(conn)
    }

    /// Runs the query and reads its first row; [`crate::ErrorKind::NotFound`] if there is none.
    /// Use `.optional()` on the result for zero-or-one.
    fn get_result<'c, U>(self, conn: &'c mut Conn) -> QueryFuture<'c, U>
    where
        Self::Query: Query + QueryFragment<Conn::Backend> + CtesDefined<()> + Send + Sync + 'c,
        <Self::Query as Query>::SqlRow: 'static,
        U: FromSqlRow<<Self::Query as Query>::SqlRow, Conn::Backend> + Send + 'static,
    {
        let query = self.into_query();
        Box::pin(async move { conn.load_first(&query).await })
    }

    /// Runs the query and returns a `Stream` of its rows, decoded as they arrive (see
    /// [`AsyncConnection::load_stream`]: read it to the end, or the connection is discarded).
    fn stream<'c, U>(self, conn: &'c mut Conn) -> QueryFuture<'c, Conn::RowStream<'c, U>>
    where
        Self::Query: Query + QueryFragment<Conn::Backend> + CtesDefined<()> + Send + Sync + 'c,
        <Self::Query as Query>::SqlRow: 'static,
        U: FromSqlRow<<Self::Query as Query>::SqlRow, Conn::Backend> + Send + 'static,
    {
        let query = self.into_query();
        Box::pin(async move { conn.load_stream(&query).await })
    }

    /// Adds `LIMIT 1` and reads that row; [`crate::ErrorKind::NotFound`] if there is none.
    fn first<'c, U>(self, conn: &'c mut Conn) -> QueryFuture<'c, U>
    where
        Self::Query: LimitOne,
        <Self::Query as LimitOne>::Output:
            Query + QueryFragment<Conn::Backend> + CtesDefined<()> + Send + Sync + 'c,
        <<Self::Query as LimitOne>::Output as Query>::SqlRow: 'static,
        U: FromSqlRow<<<Self::Query as LimitOne>::Output as Query>::SqlRow, Conn::Backend>
            + Send
            + 'static,
    {
        let query = self.into_query().limit_one();
        Box::pin(async move { conn.load_first(&query).await })
    }
}

impl<Q: AsQuery, Conn: AsyncConnection> AsyncRunQueryDsl<Conn> for Q {}
