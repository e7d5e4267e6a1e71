//! Code written once for both kinds of connection: [`ReadsRows`] reads a query's rows on a
//! blocking connection ([`Blocking`]) or an async one ([`Awaiting`]) as a future, and [`now`]
//! runs such code to its end on a blocking connection.
//!
//! A blocking connection answers at once, so its futures are ready when made and one poll
//! finishes the whole computation: the relationship loaders and the session are `async` code
//! that costs a blocking caller nothing but that poll.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::error::QueryResult;
use crate::expression::QueryFragment;
use crate::query::Query;
use crate::types::FromSqlRow;

use super::{
    AsyncConnection, Awaiting, Blocking, KeyListLimit, LoadsRows, QueryConnection, key_list_limit,
};

/// A connection that reads the rows of query `Q` as `U`, in mode `M` ([`Blocking`] or
/// [`Awaiting`]): every blocking connection that [`LoadsRows`] (a backend chosen at run time
/// included) and every [`AsyncConnection`]. What the relationship loaders ask of a connection;
/// not for implementing by hand.
pub trait ReadsRows<M, Q: Query, U>: Send {
    /// Runs `query` and reads every row.
    fn read_rows<'a>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<Vec<U>>> + Send + 'a
    where
        U: 'a;

    /// How long one statement's key list may be (see [`QueryConnection::key_list_limit`]).
    fn key_list_limit(&self) -> KeyListLimit;
}

impl<Conn, Q, U> ReadsRows<Blocking, Q, U> for Conn
where
    Conn: QueryConnection + LoadsRows<Q, U> + Send,
    Q: Query,
    U: Send,
{
    #[inline]
    fn read_rows<'a>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<Vec<U>>> + Send + 'a
    where
        U: 'a,
    {
        std::future::ready(self.load_rows(query))
    }

    #[inline]
    fn key_list_limit(&self) -> KeyListLimit {
        QueryConnection::key_list_limit(self)
    }
}

impl<Conn, Q, U> ReadsRows<Awaiting, Q, U> for Conn
where
    Conn: AsyncConnection,
    Q: Query + QueryFragment<Conn::Backend> + Sync,
    Q::SqlRow: 'static,
    U: FromSqlRow<Q::SqlRow, Conn::Backend> + Send + 'static,
{
    #[inline]
    fn read_rows<'a>(
        &'a mut self,
        query: &'a Q,
    ) -> impl Future<Output = QueryResult<Vec<U>>> + Send + 'a
    where
        U: 'a,
    {
        self.load_query(query)
    }

    #[inline]
    fn key_list_limit(&self) -> KeyListLimit {
        key_list_limit::<Conn::Backend>()
    }
}

/// A connection that may hand out a second handle on its session (a *lane*) whose statements
/// go out before the answers to its own come back: what the relationship loaders ask to load
/// sibling relationships together. Blocking connections never do; async ones where
/// [`AsyncConnection::pipeline_lane`] says so (PostgreSQL).
pub trait Pipelines<M>: Send {
    /// The lane's type.
    type Lane: Send;
    /// A lane, if the connection pipelines.
    fn lane(&mut self) -> Option<Self::Lane>;
}

impl<Conn: Send> Pipelines<Blocking> for Conn {
    type Lane = Conn;
    #[inline]
    fn lane(&mut self) -> Option<Conn> {
        None
    }
}

impl<Conn: AsyncConnection> Pipelines<Awaiting> for Conn {
    type Lane = Conn::Lane;
    #[inline]
    fn lane(&mut self) -> Option<Conn::Lane> {
        self.pipeline_lane()
    }
}

/// Awaits two futures at once: each is polled whenever it can go on, so what one sends does
/// not wait for the other's answer. Both outputs, once both are ready.
pub(crate) async fn join_futures<A: Future, B: Future>(
    first: A,
    second: B,
) -> (A::Output, B::Output) {
    let mut first = pin!(first);
    let mut second = pin!(second);
    let mut first_out = None;
    let mut second_out = None;
    std::future::poll_fn(|cx| {
        if first_out.is_none()
            && let Poll::Ready(out) = first.as_mut().poll(cx)
        {
            first_out = Some(out);
        }
        if second_out.is_none()
            && let Poll::Ready(out) = second.as_mut().poll(cx)
        {
            second_out = Some(out);
        }
        if first_out.is_some() && second_out.is_some() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    match (first_out, second_out) {
        (Some(a), Some(b)) => (a, b),
        _ => unreachable!("both are ready when the poll above ends"),
    }
}

/// Runs code written for both modes to its end on a blocking connection: every future a
/// blocking connection hands out is ready when made, so one poll finishes it.
pub(crate) fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("a blocking connection's calls finish before they return"),
    }
}
