//! TLS to MySQL / MariaDB: the `ssl-mode` and `ssl-ca` URL settings of MySQL's own client, on the
//! driver's rustls support (the `tls` feature).
//!
//! | `ssl-mode` | encrypted | certificate checked | host name checked |
//! | --- | --- | --- | --- |
//! | `DISABLED`, `PREFERRED` (default) | no | — | — |
//! | `REQUIRED` | yes, or the connect fails | no | no |
//! | `VERIFY_CA` | yes | against `ssl-ca`, else the Mozilla roots | no |
//! | `VERIFY_IDENTITY` | yes | as `VERIFY_CA` | yes |
//!
//! `PREFERRED` connects unencrypted: the driver cannot fall back from a failed TLS handshake,
//! so philtre does not try one unless asked to require it. `ssl_mode` / `ssl_ca` (SQLAlchemy's
//! spelling) are read too.

use philtre::connection::take_url_parameters;
use philtre::{Error, ErrorKind, QueryResult};

/// MySQL's `ssl-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SslMode {
    Disabled,
    #[default]
    Preferred,
    Required,
    VerifyCa,
    VerifyIdentity,
}

/// The TLS settings read from a URL.
#[derive(Debug, Clone, Default)]
pub(crate) struct TlsSettings {
    mode: SslMode,
    ca: Option<std::path::PathBuf>,
}

/// Takes `ssl-mode` and `ssl-ca` out of `url`'s query string.
pub(crate) fn take_tls(url: &str) -> QueryResult<(TlsSettings, String)> {
    let mut settings = TlsSettings::default();
    let rest = take_url_parameters(url, |key, value| {
        match key.replace('-', "_").to_ascii_lowercase().as_str() {
            "ssl_mode" => settings.mode = parse_mode(value)?,
            "ssl_ca" => settings.ca = Some(value.into()),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok((settings, rest))
}

fn parse_mode(value: &str) -> QueryResult<SslMode> {
    Ok(match value.to_ascii_uppercase().as_str() {
        "DISABLED" => SslMode::Disabled,
        "PREFERRED" => SslMode::Preferred,
        "REQUIRED" => SslMode::Required,
        "VERIFY_CA" => SslMode::VerifyCa,
        "VERIFY_IDENTITY" => SslMode::VerifyIdentity,
        other => {
            return Err(Error::new(
                ErrorKind::Connection,
                format!(
                    "invalid ssl-mode `{other}`: expected DISABLED, PREFERRED, REQUIRED, \
                     VERIFY_CA or VERIFY_IDENTITY"
                ),
            ));
        }
    })
}

/// Applies `settings` to the driver's options.
pub(crate) fn apply(
    settings: &TlsSettings,
    builder: mysql::OptsBuilder,
) -> QueryResult<mysql::OptsBuilder> {
    match settings.mode {
        SslMode::Disabled | SslMode::Preferred => Ok(builder),
        mode => with_tls(settings, mode, builder),
    }
}

#[cfg(feature = "tls")]
fn with_tls(
    settings: &TlsSettings,
    mode: SslMode,
    builder: mysql::OptsBuilder,
) -> QueryResult<mysql::OptsBuilder> {
    let mut ssl = mysql::SslOpts::default();
    if let Some(ca) = &settings.ca {
        ssl = ssl.with_root_cert_path(Some(ca.clone()));
    }
    ssl = match mode {
        SslMode::Required => ssl
            .with_danger_accept_invalid_certs(true)
            .with_danger_skip_domain_validation(true),
        SslMode::VerifyCa => ssl.with_danger_skip_domain_validation(true),
        _ => ssl,
    };
    Ok(builder.ssl_opts(ssl))
}

#[cfg(not(feature = "tls"))]
fn with_tls(
    _: &TlsSettings,
    mode: SslMode,
    _: mysql::OptsBuilder,
) -> QueryResult<mysql::OptsBuilder> {
    Err(Error::new(
        ErrorKind::Connection,
        format!(
            "ssl-mode={mode:?} needs TLS, which this build of philtre-mysql does not have: enable \
             its `tls` feature (or philtre-engine's)"
        ),
    ))
}

/// Applies `settings` to the async driver's options, as [`apply`] does to the blocking one's.
#[cfg(feature = "async")]
pub(crate) fn apply_async(
    settings: &TlsSettings,
    builder: mysql_async::OptsBuilder,
) -> QueryResult<mysql_async::OptsBuilder> {
    match settings.mode {
        SslMode::Disabled | SslMode::Preferred => Ok(builder),
        mode => with_tls_async(settings, mode, builder),
    }
}

#[cfg(all(feature = "async", feature = "tls"))]
fn with_tls_async(
    settings: &TlsSettings,
    mode: SslMode,
    builder: mysql_async::OptsBuilder,
) -> QueryResult<mysql_async::OptsBuilder> {
    let mut ssl = mysql_async::SslOpts::default();
    if let Some(ca) = &settings.ca {
        ssl = ssl.with_root_certs(vec![ca.clone().into()]);
    }
    ssl = match mode {
        SslMode::Required => ssl
            .with_danger_accept_invalid_certs(true)
            .with_danger_skip_domain_validation(true),
        SslMode::VerifyCa => ssl.with_danger_skip_domain_validation(true),
        _ => ssl,
    };
    Ok(builder.ssl_opts(ssl))
}

#[cfg(all(feature = "async", not(feature = "tls")))]
fn with_tls_async(
    _: &TlsSettings,
    mode: SslMode,
    _: mysql_async::OptsBuilder,
) -> QueryResult<mysql_async::OptsBuilder> {
    Err(Error::new(
        ErrorKind::Connection,
        format!(
            "ssl-mode={mode:?} needs TLS, which this build of philtre-mysql does not have: enable \
             its `tls` feature (or philtre-engine's)"
        ),
    ))
}
