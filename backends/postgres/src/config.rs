//! From a URL (or a libpq `key=value` string) and [`ConnectOptions`] to the driver's
//! configuration.

use std::time::Duration;

use philtre::connection::{ConnectOptions, enabled, take_url_parameters};
use philtre::{Error, ErrorKind, QueryResult};
use tokio_postgres::Config;

use crate::tls::TlsSettings;

/// TCP keepalive defaults, unless the URL sets its own: a server that vanished without closing
/// the socket is noticed within about a minute and a half, not the system's two hours.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(60);
const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(10);
const KEEPALIVE_RETRIES: u32 = 3;

/// The driver's configuration and philtre's options for one connection.
pub(crate) struct Settings {
    pub(crate) config: Config,
    pub(crate) options: ConnectOptions,
    pub(crate) tls: TlsSettings,
}

/// Reads `target` (`postgres://…`, `postgresql+driver://…`, or `host=… user=…`), takes
/// philtre's options out of it, lets `overrides` win, and applies them to the driver's
/// configuration.
pub(crate) fn settings(target: &str, overrides: &ConnectOptions) -> QueryResult<Settings> {
    let (from_target, rest) = if let Some((scheme, tail)) = target.split_once("://") {
        let base = scheme.split('+').next().unwrap_or(scheme);
        if base != "postgres" && base != "postgresql" {
            return Err(Error::new(
                ErrorKind::Connection,
                format!(
                    "`{scheme}://` is not a PostgreSQL URL: expected `postgres://` or `postgresql://`"
                ),
            ));
        }
        ConnectOptions::from_url(&format!("postgresql://{tail}"))?
    } else {
        key_value_options(target)?
    };
    let options = from_target.merge(overrides);
    let (tls, rest) = take_tls(&rest)?;
    let mut config: Config = rest.parse().map_err(|e: tokio_postgres::Error| {
        let cause = std::error::Error::source(&e).map_or_else(String::new, |c| format!(": {c}"));
        Error::new(
            ErrorKind::Connection,
            format!("invalid PostgreSQL connection string{cause}"),
        )
        .with_source(e)
    })?;
    if let Some(limit) = options.effective_connect_timeout() {
        config.connect_timeout(limit);
    }
    if let Some(limit) = options.write_timeout.and_then(enabled) {
        config.tcp_user_timeout(limit);
    }
    if !target.contains("keepalives") {
        config
            .keepalives_idle(KEEPALIVE_IDLE)
            .keepalives_interval(KEEPALIVE_INTERVAL)
            .keepalives_retries(KEEPALIVE_RETRIES);
    }
    // Server-side limits travel in the startup packet: no round trip of their own.
    let mut server_options = config.get_options().unwrap_or_default().to_owned();
    for (name, limit) in [
        ("statement_timeout", options.statement_timeout),
        ("lock_timeout", options.lock_timeout),
    ] {
        if let Some(limit) = limit {
            if !server_options.is_empty() {
                server_options.push(' ');
            }
            let millis = philtre::connection::whole_millis(limit);
            server_options.push_str(&format!("-c {name}={millis}"));
        }
    }
    if !server_options.is_empty() {
        config.options(server_options);
    }
    config.ssl_mode(tls.mode.driver_mode());
    Ok(Settings {
        config,
        options,
        tls,
    })
}

/// Takes `sslmode` and `sslrootcert` out of a URL's query string or a `key=value` string:
/// philtre reads them itself, as the driver knows neither `verify-ca` nor `verify-full`.
fn take_tls(rest: &str) -> QueryResult<(TlsSettings, String)> {
    let mut tls = TlsSettings::default();
    if rest.contains("://") {
        let rest = take_url_parameters(rest, |key, value| tls.take(key, value))?;
        return Ok((tls, rest));
    }
    let mut kept = Vec::new();
    for pair in key_value_pairs(rest) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !tls.take(key.trim(), value.trim().trim_matches('\''))? {
            kept.push(pair);
        }
    }
    Ok((tls, kept.join(" ")))
}

/// Takes philtre's options out of a libpq `key=value` string, leaving the rest as written.
fn key_value_options(text: &str) -> QueryResult<(ConnectOptions, String)> {
    let mut options = ConnectOptions::new();
    let mut kept = Vec::new();
    for pair in key_value_pairs(text) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let unquoted = value.trim().trim_matches('\'');
        if !options.set_from_url(key.trim(), unquoted)? {
            kept.push(pair);
        }
    }
    Ok((options, kept.join(" ")))
}

/// Splits `a=1 b='x y'` into `a=1` and `b='x y'`: whitespace separates pairs except inside
/// single quotes, where `\'` is a quote.
fn key_value_pairs(text: &str) -> Vec<&str> {
    let mut pairs = Vec::new();
    let mut start = None;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '\'' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if let Some(s) = start.take() {
                    pairs.push(&text[s..i]);
                }
                continue;
            }
            _ => {}
        }
        if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        pairs.push(&text[s..]);
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_value_strings_keep_quoted_spaces() {
        assert_eq!(
            key_value_pairs("host=h  password='a b\\' c' connect_timeout=3"),
            ["host=h", "password='a b\\' c'", "connect_timeout=3"]
        );
        let (options, rest) =
            key_value_options("host=h statement_timeout=2s user=u").expect("valid");
        assert_eq!(options.statement_timeout, Some(Duration::from_secs(2)));
        assert_eq!(rest, "host=h user=u");
    }

    #[test]
    fn limits_reach_the_driver_and_the_server() {
        let s = settings(
            "postgresql+psycopg2://u@h/db?statement_timeout=1.5s&options=-c%20search_path%3Dx",
            &ConnectOptions::new().lock_timeout(Duration::from_millis(250)),
        )
        .expect("valid");
        assert_eq!(
            s.config.get_options(),
            Some("-c search_path=x -c statement_timeout=1500 -c lock_timeout=250")
        );
        assert_eq!(
            s.config.get_connect_timeout(),
            Some(&philtre::connection::DEFAULT_CONNECT_TIMEOUT)
        );
        let err = settings("mysql://h/db", &ConnectOptions::new())
            .err()
            .expect("not PostgreSQL");
        assert!(err.message().contains("not a PostgreSQL URL"), "{err}");
    }
}
