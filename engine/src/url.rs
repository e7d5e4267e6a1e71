//! Reading a database URL: which backend it names, and which of its query-string settings
//! belong to the engine (the pool, logging) rather than to the connection.

use std::fmt;

use philtre::connection::take_url_parameters;
use philtre::{Error, ErrorKind, QueryResult};

/// The database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackendKind {
    /// SQLite (`sqlite://…`), embedded through `rusqlite`.
    Sqlite,
    /// PostgreSQL (`postgres://…`, `postgresql://…`).
    Postgres,
    /// MySQL or MariaDB (`mysql://…`, `mariadb://…`).
    Mysql,
}

impl BackendKind {
    /// The backend's name, as philtre's messages write it.
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "SQLite",
            BackendKind::Postgres => "PostgreSQL",
            BackendKind::Mysql => "MySQL/MariaDB",
        }
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The query-string keys the engine reads and takes out of the URL before the backend sees it.
pub(crate) const ENGINE_KEYS: &[&str] = &[
    "pool_size",
    "max_overflow",
    "pool_timeout",
    "pool_recycle",
    "pool_pre_ping",
    "pool_pre_ping_window",
    "poolclass",
    "echo",
    "slow_statement_threshold",
    "isolation_level",
];

/// A URL split into the backend it names, the URL the backend opens, and the engine's settings.
#[derive(Debug, Clone)]
pub(crate) struct EngineUrl {
    pub(crate) kind: BackendKind,
    /// The URL with the scheme made canonical and the engine's keys taken out.
    pub(crate) backend_url: String,
    /// The engine's settings from the query string, in order.
    pub(crate) settings: Vec<(String, String)>,
}

/// Reads `url`. The scheme picks the backend — `sqlite`, `postgres` / `postgresql`, `mysql` /
/// `mariadb` — and a SQLAlchemy driver suffix (`postgresql+psycopg2`, `mysql+pymysql`) is
/// accepted and ignored.
pub(crate) fn parse(url: &str) -> QueryResult<EngineUrl> {
    let Some((scheme, rest)) = url.split_once(':') else {
        return Err(bad_url(
            url,
            "it has no scheme; write `sqlite:///file.db`, `postgres://…` or `mysql://…`",
        ));
    };
    let dialect = scheme
        .split_once('+')
        .map_or(scheme, |(dialect, _driver)| dialect);
    let (kind, canonical) = match dialect.to_ascii_lowercase().as_str() {
        "sqlite" => (BackendKind::Sqlite, "sqlite"),
        "postgres" | "postgresql" | "pgsql" => (BackendKind::Postgres, "postgres"),
        "mysql" | "mariadb" => (BackendKind::Mysql, "mysql"),
        other => {
            return Err(bad_url(
                url,
                &format!(
                    "`{other}` is not a database philtre knows; the scheme must be `sqlite`, \
                     `postgres`/`postgresql` or `mysql`/`mariadb`"
                ),
            ));
        }
    };
    let mut settings = Vec::new();
    let backend_url = take_url_parameters(&format!("{canonical}:{rest}"), |key, value| {
        let engine_key = ENGINE_KEYS.contains(&key);
        if engine_key {
            settings.push((key.to_owned(), value.to_owned()));
        }
        Ok(engine_key)
    })?;
    Ok(EngineUrl {
        kind,
        backend_url,
        settings,
    })
}

/// The URL without its password, for messages.
pub(crate) fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((authority_end, _)) = rest.char_indices().find(|&(_, c)| c == '/' || c == '?') else {
        return hide_password(scheme, rest, "");
    };
    hide_password(scheme, &rest[..authority_end], &rest[authority_end..])
}

fn hide_password(scheme: &str, authority: &str, tail: &str) -> String {
    match authority.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info
                .split_once(':')
                .map_or(user_info, |(user, _)| user);
            let hidden = if user_info.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{tail}")
        }
        None => format!("{scheme}://{authority}{tail}"),
    }
}

fn bad_url(url: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::InvalidQuery,
        format!("cannot read the database URL `{}`: {why}", shown(url)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_driver_suffixes() {
        let cases = [
            ("sqlite://", BackendKind::Sqlite, "sqlite://"),
            (
                "sqlite+pysqlite:///app.db",
                BackendKind::Sqlite,
                "sqlite:///app.db",
            ),
            (
                "postgresql+psycopg2://u@h/db",
                BackendKind::Postgres,
                "postgres://u@h/db",
            ),
            (
                "postgres://u@h/db",
                BackendKind::Postgres,
                "postgres://u@h/db",
            ),
            (
                "mariadb+pymysql://root@h/db",
                BackendKind::Mysql,
                "mysql://root@h/db",
            ),
            ("MySQL://root@h/db", BackendKind::Mysql, "mysql://root@h/db"),
        ];
        for (url, kind, backend_url) in cases {
            let parsed = parse(url).expect(url);
            assert_eq!(parsed.kind, kind, "{url}");
            assert_eq!(parsed.backend_url, backend_url, "{url}");
        }
    }

    #[test]
    fn engine_keys_are_taken_out() {
        let parsed =
            parse("postgres://h/db?pool_size=3&sslmode=require&echo=true&connect_timeout=5")
                .expect("parses");
        assert_eq!(
            parsed.backend_url,
            "postgres://h/db?sslmode=require&connect_timeout=5"
        );
        assert_eq!(
            parsed.settings,
            vec![
                ("pool_size".to_owned(), "3".to_owned()),
                ("echo".to_owned(), "true".to_owned())
            ]
        );
    }

    #[test]
    fn unknown_schemes_and_missing_schemes_are_refused() {
        let e = parse("oracle://scott:tiger@h/db").expect_err("unknown");
        assert_eq!(e.kind(), ErrorKind::InvalidQuery);
        assert!(e.message().contains("`oracle` is not a database"), "{e}");
        assert!(!e.message().contains("tiger"), "password shown: {e}");
        assert!(parse("just-a-path").is_err());
    }

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            shown("postgres://u:secret@h:5432/db?x=1"),
            "postgres://u:***@h:5432/db?x=1"
        );
        assert_eq!(shown("mysql://root@h/db"), "mysql://root@h/db");
        assert_eq!(shown("sqlite:///a.db"), "sqlite:///a.db");
    }
}
