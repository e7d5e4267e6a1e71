//! [`ConnectOptions`]: the settings every backend understands, read from a URL's query string or
//! set in code.

use std::time::Duration;

use crate::error::{Error, ErrorKind, QueryResult};

/// How long connecting may take when nothing else is said: long enough for a server across the
/// world, short enough that a silent one does not hold a program up.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Settings shared by every backend: time limits and the statement cache.
///
/// Each field left `None` keeps the backend's default. A URL sets them through its query
/// string (`?connect_timeout=5s&statement_timeout=30s`); [`ConnectOptions::merge`] lets values
/// set in code win over the URL's. A duration of zero switches that limit off.
///
/// | field | URL key | PostgreSQL | MySQL / MariaDB | SQLite |
/// | --- | --- | --- | --- | --- |
/// | `connect_timeout` | `connect_timeout` | whole connect, handshake and login included | same | — (opening a file does not wait) |
/// | `statement_timeout` | `statement_timeout` | server's `statement_timeout` | MariaDB `max_statement_time`, MySQL `max_execution_time` (SELECT only) | interrupts the statement |
/// | `read_timeout` | `read_timeout` | wait for each answer; the connection is closed when it runs out | socket read timeout | — |
/// | `write_timeout` | `write_timeout` | `TCP_USER_TIMEOUT` | socket write timeout | — |
/// | `lock_timeout` | `lock_timeout` | server's `lock_timeout` | `innodb_lock_wait_timeout` (whole seconds) | busy timeout (default 5 s) |
/// | `statement_cache_capacity` | `statement_cache_size` | prepared statements kept | same | same |
///
/// A duration in a URL is a number with an optional unit: `250ms`, `5s`, `2m`, `1h`; a bare
/// number is seconds, as in libpq's `connect_timeout`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectOptions {
    /// How long opening a connection may take in all (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub connect_timeout: Option<Duration>,
    /// How long one statement may run on the server before it is cancelled (default: no limit).
    pub statement_timeout: Option<Duration>,
    /// How long to wait for the server's answer before giving the connection up (default: no
    /// limit; TCP keepalives still notice a server that is gone).
    pub read_timeout: Option<Duration>,
    /// How long sending to the server may block (default: no limit).
    pub write_timeout: Option<Duration>,
    /// How long a statement waits for a lock another transaction holds (default: the
    /// database's own; SQLite 5 s).
    pub lock_timeout: Option<Duration>,
    /// How many prepared statements a connection keeps (default 64; `0` switches the cache off).
    pub statement_cache_capacity: Option<usize>,
}

impl ConnectOptions {
    /// No setting given: every backend default applies.
    pub fn new() -> Self {
        ConnectOptions::default()
    }

    /// Sets the connect timeout.
    pub fn connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = Some(limit);
        self
    }

    /// Sets the statement timeout.
    pub fn statement_timeout(mut self, limit: Duration) -> Self {
        self.statement_timeout = Some(limit);
        self
    }

    /// Sets the read timeout.
    pub fn read_timeout(mut self, limit: Duration) -> Self {
        self.read_timeout = Some(limit);
        self
    }

    /// Sets the write timeout.
    pub fn write_timeout(mut self, limit: Duration) -> Self {
        self.write_timeout = Some(limit);
        self
    }

    /// Sets the lock timeout.
    pub fn lock_timeout(mut self, limit: Duration) -> Self {
        self.lock_timeout = Some(limit);
        self
    }

    /// Sets how many prepared statements are kept (`0` switches the cache off).
    pub fn statement_cache_capacity(mut self, statements: usize) -> Self {
        self.statement_cache_capacity = Some(statements);
        self
    }

    /// These options, with every field `overrides` sets taking its place.
    pub fn merge(self, overrides: &ConnectOptions) -> Self {
        ConnectOptions {
            connect_timeout: overrides.connect_timeout.or(self.connect_timeout),
            statement_timeout: overrides.statement_timeout.or(self.statement_timeout),
            read_timeout: overrides.read_timeout.or(self.read_timeout),
            write_timeout: overrides.write_timeout.or(self.write_timeout),
            lock_timeout: overrides.lock_timeout.or(self.lock_timeout),
            statement_cache_capacity: overrides
                .statement_cache_capacity
                .or(self.statement_cache_capacity),
        }
    }

    /// Takes one `key=value` pair of a URL's query string. Returns `Ok(true)` when the key is
    /// one of these options (so the backend does not pass it on to its driver), `Ok(false)`
    /// when it is not, and an [`ErrorKind::Connection`] error naming the key when its value
    /// cannot be read.
    pub fn set_from_url(&mut self, key: &str, value: &str) -> QueryResult<bool> {
        let slot = match key {
            "connect_timeout" => &mut self.connect_timeout,
            "statement_timeout" => &mut self.statement_timeout,
            "read_timeout" => &mut self.read_timeout,
            "write_timeout" => &mut self.write_timeout,
            "lock_timeout" => &mut self.lock_timeout,
            "statement_cache_size" => {
                let n = value
                    .trim()
                    .parse()
                    .map_err(|_| bad_option(key, value, "a number of statements, such as `64`"))?;
                self.statement_cache_capacity = Some(n);
                return Ok(true);
            }
            _ => return Ok(false),
        };
        *slot = Some(parse_duration(value).ok_or_else(|| {
            bad_option(
                key,
                value,
                "a duration such as `10`, `10s`, `250ms` or `2m`",
            )
        })?);
        Ok(true)
    }

    /// Takes these options out of a URL's query string: returns what it set and the URL with
    /// the other parameters as they were written, for the driver.
    ///
    /// ```
    /// # use philtre::connection::ConnectOptions;
    /// # use std::time::Duration;
    /// let (options, rest) = ConnectOptions::from_url("postgres://db/app?statement_timeout=5s&sslmode=disable")?;
    /// assert_eq!(options.statement_timeout, Some(Duration::from_secs(5)));
    /// assert_eq!(rest, "postgres://db/app?sslmode=disable");
    /// # Ok::<(), philtre::Error>(())
    /// ```
    pub fn from_url(url: &str) -> QueryResult<(ConnectOptions, String)> {
        let mut options = ConnectOptions::new();
        let rest = take_url_parameters(url, |key, value| options.set_from_url(key, value))?;
        Ok((options, rest))
    }

    /// The connect timeout to apply: the one set, or [`DEFAULT_CONNECT_TIMEOUT`]; `None` when
    /// it was switched off with zero.
    pub fn effective_connect_timeout(&self) -> Option<Duration> {
        enabled(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
    }
}

/// Takes from `url`'s query string every parameter `take(key, value)` accepts (it returns
/// `Ok(true)`; key and value are percent-decoded), and returns the URL with the others exactly
/// as they were written, fragment included. Each layer reads its own keys this way — philtre's
/// [`ConnectOptions`], the engine's pool settings, the backends' TLS settings — and the driver
/// gets the rest byte for byte.
///
/// ```
/// # use philtre::connection::take_url_parameters;
/// let mut seen = Vec::new();
/// let rest = take_url_parameters("mysql://h/db?pool_size=3&ssl-mode=REQUIRED", |key, value| {
///     let mine = key == "pool_size";
///     if mine {
///         seen.push(value.to_owned());
///     }
///     Ok(mine)
/// })?;
/// assert_eq!(rest, "mysql://h/db?ssl-mode=REQUIRED");
/// assert_eq!(seen, ["3"]);
/// # Ok::<(), philtre::Error>(())
/// ```
pub fn take_url_parameters(
    url: &str,
    mut take: impl FnMut(&str, &str) -> QueryResult<bool>,
) -> QueryResult<String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok(url.to_owned());
    };
    let (query, fragment) = match query.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (query, None),
    };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !take(&percent_decode(key), &percent_decode(value))? {
            kept.push(pair);
        }
    }
    let mut rest = base.to_owned();
    if !kept.is_empty() {
        rest.push('?');
        rest.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        rest.push('#');
        rest.push_str(fragment);
    }
    Ok(rest)
}

/// A limit as messages show it: `250 ms`, `1.5 s`, `10 s`.
pub fn display_limit(limit: Duration) -> String {
    if limit < Duration::from_secs(1) {
        format!("{} ms", limit.as_millis())
    } else {
        format!("{} s", limit.as_secs_f64())
    }
}

/// `limit` in whole milliseconds for a server setting where 0 means "no limit": at least 1
/// unless the limit is zero, so that a limit under a millisecond is not taken for none.
pub fn whole_millis(limit: Duration) -> u128 {
    if limit.is_zero() {
        0
    } else {
        limit.as_millis().max(1)
    }
}

/// `Some(limit)` unless the limit is zero, which means "no limit".
pub fn enabled(limit: Duration) -> Option<Duration> {
    (!limit.is_zero()).then_some(limit)
}

/// `%41` as `A` and `+` as a space, as in a URL's query string; a malformed escape stays as
/// written.
fn percent_decode(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

fn bad_option(key: &str, value: &str, expected: &str) -> Error {
    Error::new(
        ErrorKind::Connection,
        format!("invalid `{key}={value}` in the connection URL: expected {expected}"),
    )
}

/// Reads `250ms`, `5s`, `1.5s`, `2m`, `1h`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" | "secs" => number,
        "ms" => number / 1000.0,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_and_without_units() {
        assert_eq!(parse_duration("10"), Some(Duration::from_secs(10)));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("0"), Some(Duration::ZERO));
        assert_eq!(parse_duration("ten"), None);
        assert_eq!(parse_duration("5 parsecs"), None);
        assert_eq!(parse_duration("-1"), None);
    }

    #[test]
    fn url_keys_fill_options_and_code_wins() {
        let mut from_url = ConnectOptions::new();
        assert!(
            from_url
                .set_from_url("connect_timeout", "3")
                .expect("a valid option")
        );
        assert!(
            from_url
                .set_from_url("statement_cache_size", "0")
                .expect("a valid option")
        );
        assert!(
            !from_url
                .set_from_url("sslmode", "disable")
                .expect("a valid option")
        );
        let err = from_url
            .set_from_url("read_timeout", "soon")
            .expect_err("not a duration");
        assert_eq!(err.kind(), ErrorKind::Connection);
        assert!(err.message().contains("read_timeout=soon"), "{err}");
        let merged = from_url.merge(&ConnectOptions::new().connect_timeout(Duration::from_secs(1)));
        assert_eq!(merged.connect_timeout, Some(Duration::from_secs(1)));
        assert_eq!(merged.statement_cache_capacity, Some(0));
        let (options, rest) =
            ConnectOptions::from_url("mysql://h/db?lock%5Ftimeout=2%73&x=%zz%C3%A9#frag")
                .expect("valid options");
        assert_eq!(options.lock_timeout, Some(Duration::from_secs(2)));
        assert_eq!(
            rest, "mysql://h/db?x=%zz%C3%A9#frag",
            "other parameters stay as written"
        );
        assert_eq!(percent_decode("%C3%A9+%"), "é %");
        assert_eq!(
            ConnectOptions::new().effective_connect_timeout(),
            Some(DEFAULT_CONNECT_TIMEOUT)
        );
        assert_eq!(
            ConnectOptions::new()
                .connect_timeout(Duration::ZERO)
                .effective_connect_timeout(),
            None
        );
    }
}
