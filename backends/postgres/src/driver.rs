//! A blocking PostgreSQL session on `tokio-postgres`, with a bound on every wait.
//!
//! The `postgres` crate does the same thing (a current-thread runtime that polls the
//! connection beside each request) but cannot bound its connect: `connect_timeout` there covers
//! only the TCP connect, so a server that accepts the socket and never answers holds `open()`
//! forever. Owning the loop lets philtre bound the whole connect, each answer (the read
//! timeout), and cancel a statement whose answer does not come.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::{Context, Poll};
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
    runtime: Runtime,
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
        let connected = runtime.block_on(async {
            match connect_timeout {
                Some(limit) => tokio::time::timeout(limit, connecting).await.ok(),
                None => Some(connecting.await),
            }
        });
        let (client, connection) = match connected {
            Some(Ok(pair)) => pair,
            Some(Err(e)) => {
                let e = from_postgres(e);
                let message = format!("cannot connect to PostgreSQL: {}", e.message());
                return Err(e.context(ErrorKind::Connection, message));
            }
            None => {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "cannot connect to PostgreSQL: no answer within the connect timeout ({})",
                        display_limit(connect_timeout.unwrap_or_default())
                    ),
                ));
            }
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

impl Io {
    /// Runs `request` to completion while driving the socket, within the read timeout.
    ///
    /// A broken session fails at once. A lost connection, or an answer that does not come in
    /// time, marks the session broken; in the second case the statement is also cancelled on
    /// the server, so it does not run on unseen.
    pub(crate) fn block_on<T, F>(&mut self, request: F) -> QueryResult<T>
    where
        F: Future<Output = Result<T, tokio_postgres::Error>>,
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
            None => self.runtime.block_on(drive).ok_or(()),
            Some(limit) => {
                match self
                    .runtime
                    .block_on(async { tokio::time::timeout(limit, drive).await })
                {
                    Ok(result) => result.ok_or(()),
                    Err(_elapsed) => return Err(self.timed_out(limit)),
                }
            }
        };
        let result = match (outcome, socket_error) {
            (Ok(result), _) => result.map_err(from_postgres),
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
        let _ = self
            .runtime
            .block_on(async { tokio::time::timeout(self.cancel_timeout, cancel).await });
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
        let _ = self
            .runtime
            .block_on(async { tokio::time::timeout(CLOSE_TIMEOUT, closed).await });
    }
}
