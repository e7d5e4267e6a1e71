//! A blocking PostgreSQL session on `tokio-postgres`, with a bound on every wait.
//!
//! The `postgres` crate does the same thing (a current-thread runtime that polls the
//! connection beside each request) but cannot bound its connect: `connect_timeout` there covers
//! only the TCP connect, so a server that accepts the socket and never answers holds `open()`
//! forever. Owning the loop lets philtre bound the whole connect, each answer (the read
//! timeout), and cancel a statement whose answer does not come.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use philtre::connection::display_limit;
use philtre::{Error, ErrorKind, QueryResult};
use tokio::runtime::Runtime;
use tokio_postgres::{AsyncMessage, Client, Config, NoTls};

use crate::error::from_postgres;

/// How long dropping a connection waits for the server to take its goodbye.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

/// The connection's socket, driven while a request waits.
trait PollMessages: Send {
    fn poll_message(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<AsyncMessage, tokio_postgres::Error>>>;
}

impl<S, T> PollMessages for tokio_postgres::Connection<S, T>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send,
{
    fn poll_message(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<AsyncMessage, tokio_postgres::Error>>> {
        tokio_postgres::Connection::poll_message(self, cx)
    }
}

/// A connected session: the client that sends requests, and the loop that runs them.
///
/// `client` is declared first so that it is dropped first: with no client left, the connection
/// sends Terminate, which [`Io`]'s drop waits for.
pub(crate) struct Driver {
    pub(crate) client: Client,
    pub(crate) io: Io,
}

/// The runtime, the socket, and what is known about the session's health.
pub(crate) struct Io {
    runtime: OwnRuntime,
    connection: Box<dyn PollMessages>,
    read_timeout: Option<Duration>,
    cancel_timeout: Duration,
    cancel: tokio_postgres::CancelToken,
    /// Why the session can no longer be used, once it cannot.
    broken: Option<String>,
}

impl Driver {
    /// Connects, bounded as a whole (TCP, startup, authentication) by `connect_timeout`.
    pub(crate) fn connect(
        config: &Config,
        tls: &crate::tls::TlsSettings,
        connect_timeout: Option<Duration>,
        read_timeout: Option<Duration>,
    ) -> QueryResult<Driver> {
        let runtime = OwnRuntime::new()?;
        let connector = crate::tls::connector(tls)?;
        let connecting = async move {
            let connected: Result<(Client, Box<dyn PollMessages>), tokio_postgres::Error> =
                match connector {
                    None => {
                        let (client, connection) = config.connect(NoTls).await?;
                        Ok((client, Box::new(connection)))
                    }
                    #[cfg(feature = "tls")]
                    Some(tls) => {
                        let (client, connection) = config.connect(tls).await?;
                        Ok((client, Box::new(connection)))
                    }
                    #[cfg(not(feature = "tls"))]
                    Some(never) => match never {},
                };
            connected
        };
        let connected = block_on(runtime.get(), async {
            match connect_timeout {
                Some(limit) => tokio::time::timeout(limit, connecting).await.ok(),
                None => Some(connecting.await),
            }
        });
        let (client, connection) = match connected {
            Some(Ok(pair)) => pair,
            Some(Err(e)) => return Err(connect_failed(e)),
            None => return Err(connect_timed_out(connect_timeout)),
        };
        Ok(Driver {
            io: Io {
                runtime,
                connection,
                read_timeout,
                cancel_timeout: connect_timeout
                    .unwrap_or(philtre::connection::DEFAULT_CONNECT_TIMEOUT),
                cancel: client.cancel_token(),
                broken: None,
            },
            client,
        })
    }

    /// Whether the session is known to be unusable.
    pub(crate) fn is_broken(&self) -> bool {
        self.io.broken.is_some() || self.client.is_closed()
    }
}

/// The error of a connect the server refused or that broke.
pub(crate) fn connect_failed(e: tokio_postgres::Error) -> Error {
    let e = from_postgres(e);
    let message = format!("cannot connect to PostgreSQL: {}", e.message());
    e.context(ErrorKind::Connection, message)
}

/// The error of a connect that did not finish within `limit`.
pub(crate) fn connect_timed_out(limit: Option<Duration>) -> Error {
    Error::new(
        ErrorKind::Timeout,
        format!(
            "cannot connect to PostgreSQL: no answer within the connect timeout ({})",
            display_limit(limit.unwrap_or_default())
        ),
    )
}

impl Io {
    /// Runs a driver request to completion, as [`Io::block_on`] does.
    pub(crate) fn block_on_driver<T, F>(&mut self, request: F) -> QueryResult<T>
    where
        F: Future<Output = Result<T, tokio_postgres::Error>>,
    {
        self.block_on(async { request.await.map_err(from_postgres) })
    }

    /// Runs `request` to completion while driving the socket, within the read timeout.
    ///
    /// A broken session fails at once. A lost connection, or an answer that does not come in
    /// time, marks the session broken; in the second case the statement is also cancelled on
    /// the server, so it does not run on unseen.
    pub(crate) fn block_on<T, F>(&mut self, request: F) -> QueryResult<T>
    where
        F: Future<Output = QueryResult<T>>,
    {
        if let Some(why) = &self.broken {
            return Err(Error::broken_connection(why));
        }
        let mut request = pin!(request);
        let connection = &mut self.connection;
        let mut socket_error = None;
        let mut ended = false;
        let drive = poll_fn(|cx| {
            // Read what has arrived (answers, notices) and write what waits to be sent. The
            // socket's end is final: it is not polled again.
            while !ended {
                match connection.poll_message(cx) {
                    Poll::Ready(Some(Ok(_notice_or_notification))) => {}
                    Poll::Ready(Some(Err(e))) => {
                        socket_error = Some(e);
                        ended = true;
                    }
                    Poll::Ready(None) => ended = true,
                    Poll::Pending => break,
                }
            }
            match request.as_mut().poll(cx) {
                Poll::Ready(result) => Poll::Ready(Some(result)),
                // Nothing more will arrive for the request.
                Poll::Pending if ended => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            }
        });
        let outcome = match self.read_timeout {
            None => block_on(self.runtime.get(), drive).ok_or(()),
            Some(limit) => {
                match block_on(self.runtime.get(), async {
                    tokio::time::timeout(limit, drive).await
                }) {
                    Ok(result) => result.ok_or(()),
                    Err(_elapsed) => return Err(self.timed_out(limit)),
                }
            }
        };
        let result = match (outcome, socket_error) {
            (Ok(result), _) => result,
            (Err(()), Some(e)) => Err(from_postgres(e)),
            (Err(()), None) => Err(Error::new(
                ErrorKind::Connection,
                "the server closed the connection",
            )),
        };
        match &result {
            Err(e) if e.kind() == ErrorKind::Connection => {
                self.broken = Some(e.message().to_owned());
            }
            _ if ended => self.broken = Some("the server closed the connection".to_owned()),
            _ => {}
        }
        result
    }

    /// Marks the session broken after an answer did not come within `limit`, and asks the
    /// server (on a connection of its own) to cancel what it runs.
    #[cold]
    fn timed_out(&mut self, limit: Duration) -> Error {
        let why = format!(
            "no answer from PostgreSQL within the read timeout ({}); the statement was cancelled \
             and the connection can no longer be used",
            display_limit(limit)
        );
        self.broken = Some(why.clone());
        let cancel = self.cancel.cancel_query(NoTls);
        // Best effort: the error is the timeout either way.
        let _ = block_on(self.runtime.get(), async {
            tokio::time::timeout(self.cancel_timeout, cancel).await
        });
        Error::new(ErrorKind::Timeout, why)
    }
}

impl Drop for Io {
    /// The client is gone by now, so the connection sends Terminate and closes; wait for that
    /// briefly, so the server logs a goodbye rather than a lost client.
    fn drop(&mut self) {
        if self.broken.is_some() {
            return;
        }
        let connection = &mut self.connection;
        let closed = poll_fn(|cx| {
            loop {
                match connection.poll_message(cx) {
                    Poll::Ready(Some(Ok(_))) => {}
                    Poll::Ready(Some(Err(_)) | None) => return Poll::Ready(()),
                    Poll::Pending => return Poll::Pending,
                }
            }
        });
        let _ = block_on(self.runtime.get(), async {
            tokio::time::timeout(CLOSE_TIMEOUT, closed).await
        });
    }
}

/// The connection's own runtime.
///
/// Dropped without waiting: tokio refuses to drop a runtime in the usual way inside an async
/// context (it would wait for the runtime's blocking threads, which this one never has), and a
/// blocking connection dropped in an async task must not panic.
pub(crate) struct OwnRuntime(Option<Runtime>);

impl OwnRuntime {
    /// A current-thread runtime with I/O and timers.
    pub(crate) fn new() -> QueryResult<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| {
                Error::new(
                    ErrorKind::Connection,
                    format!("cannot start the I/O runtime: {e}"),
                )
                .with_source(e)
            })?;
        Ok(OwnRuntime(Some(runtime)))
    }

    pub(crate) fn get(&self) -> &Runtime {
        match &self.0 {
            Some(runtime) => runtime,
            None => unreachable!("the runtime is taken only when the connection is dropped"),
        }
    }
}

impl Drop for OwnRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// Runs `future` on the connection's own runtime, and never panics for a tokio runtime around.
///
/// tokio refuses to block a thread that runs a runtime ("Cannot start a runtime from within a
/// runtime"): an async task, or code a runtime entered. There the future is polled on this
/// thread, which sleeps between polls, while a helper thread drives the connection's runtime
/// (its socket and timers) and wakes it: the call works, and blocks the caller's worker thread
/// as any blocking call does, at the cost of a thread start per call. Async code should use
/// `AsyncPgConnection`, which never blocks.
pub(crate) fn block_on<F: Future>(runtime: &Runtime, future: F) -> F::Output {
    if tokio::runtime::Handle::try_current().is_err() {
        return runtime.block_on(future);
    }
    warn_blocking_in_runtime();
    // Timers made while polling belong to this runtime, not to the one around.
    let _entered = runtime.enter();
    let finished = Arc::new(Finished::default());
    std::thread::scope(|scope| {
        let driving = Arc::clone(&finished);
        scope.spawn(move || runtime.block_on(poll_fn(|cx| driving.poll(cx))));
        // Ends the helper however the poll ends, a panic included.
        let _stop = StopOnDrop(&finished);
        park_on(future)
    })
}

/// Polls `future` on this thread until it is ready, sleeping while it waits.
fn park_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(ThreadWaker(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

/// Wakes a parked thread.
struct ThreadWaker(std::thread::Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Tells the helper thread of [`block_on`] that the caller is done.
#[derive(Default)]
struct Finished {
    done: AtomicBool,
    waker: Mutex<Option<Waker>>,
}

impl Finished {
    fn poll(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut waker = self.waker.lock().unwrap_or_else(PoisonError::into_inner);
        if self.done.load(Ordering::Acquire) {
            return Poll::Ready(());
        }
        *waker = Some(cx.waker().clone());
        Poll::Pending
    }

    fn finish(&self) {
        let waker = {
            let mut slot = self.waker.lock().unwrap_or_else(PoisonError::into_inner);
            self.done.store(true, Ordering::Release);
            slot.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

struct StopOnDrop<'f>(&'f Finished);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.finish();
    }
}

/// Says once per process that the blocking connection runs inside an async runtime.
#[cold]
fn warn_blocking_in_runtime() {
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| {
        tracing::warn!(
            target: "philtre::postgres",
            "a blocking PgConnection is used inside a tokio runtime: each call runs on a helper \
             thread and blocks the task that makes it; use philtre_postgres::AsyncPgConnection \
             in async code"
        );
    });
}
