//! What to open: a path, `:memory:`, or a URL in SQLAlchemy's spelling, with SQLite's URI
//! parameters and philtre's options.

use philtre::connection::ConnectOptions;
use philtre::{Error, ErrorKind, QueryResult};

/// How an outermost transaction starts (SQLite's `BEGIN DEFERRED | IMMEDIATE | EXCLUSIVE`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TransactionBehavior {
    /// `BEGIN`: no lock until the first read, a write lock only at the first write. A
    /// transaction that read and then writes while another connection writes fails with
    /// `database is locked` at once, without waiting: SQLite cannot let both go on.
    #[default]
    Deferred,
    /// `BEGIN IMMEDIATE`: the write lock is taken at BEGIN, waiting up to the busy timeout for
    /// it. Writers queue instead of failing; use it for transactions that write.
    Immediate,
    /// `BEGIN EXCLUSIVE`: as immediate, and other connections cannot read either (outside WAL).
    Exclusive,
}

impl TransactionBehavior {
    /// The statement that starts a transaction this way.
    pub fn begin_sql(self) -> &'static str {
        match self {
            TransactionBehavior::Deferred => "BEGIN DEFERRED",
            TransactionBehavior::Immediate => "BEGIN IMMEDIATE",
            TransactionBehavior::Exclusive => "BEGIN EXCLUSIVE",
        }
    }
}

/// How to open the database, read from the target string.
#[derive(Debug, Clone, Default)]
pub(crate) struct Target {
    /// A `file:` URI for `sqlite3_open_v2` with `SQLITE_OPEN_URI`, or `None` for a private
    /// in-memory database.
    pub(crate) uri: Option<String>,
    /// What the user wrote, for messages.
    pub(crate) shown: String,
    pub(crate) options: ConnectOptions,
    pub(crate) journal_mode: Option<String>,
    pub(crate) synchronous: Option<String>,
    pub(crate) foreign_keys: bool,
    pub(crate) begin: TransactionBehavior,
}

/// SQLite's own URI parameters, passed through to it.
const SQLITE_PARAMETERS: &[&str] = &["mode", "cache", "vfs", "immutable", "nolock", "psow"];

/// Reads `:memory:`, a plain path, a `file:` URI, or `sqlite://…` as SQLAlchemy spells it:
///
/// | target | opens |
/// | --- | --- |
/// | `sqlite://`, `sqlite:///:memory:`, `:memory:`, `sqlite::memory:` | a private in-memory database |
/// | `:memory:?foreign_keys=off` | the same, with parameters |
/// | `sqlite:///data/app.db` | `data/app.db`, relative to the working directory |
/// | `sqlite:////var/lib/app.db` | `/var/lib/app.db` (four slashes: absolute) |
/// | `data/app.db` | that path, as written (no URL parsing) |
/// | `file:app.db?mode=ro` | an SQLite URI, as SQLite reads it |
pub(crate) fn parse(target: &str) -> QueryResult<Target> {
    let mut out = Target {
        shown: target.to_owned(),
        foreign_keys: true,
        ..Target::default()
    };
    let (path, pairs): (Option<String>, Vec<(String, String)>) =
        if let Some(rest) = target.strip_prefix("file:") {
            // An SQLite URI: SQLite reads its parameters; philtre's are taken out first.
            let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
            let pairs = url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
            (Some(format!("file:{path}")), pairs)
        } else if is_sqlite_url(target) {
            let url = url::Url::parse(target)
                .map_err(|e| bad_target(target, &format!("not a valid URL ({e})")))?;
            let pairs = url.query_pairs().into_owned().collect();
            let path = percent_encoding::percent_decode_str(url.path()).decode_utf8_lossy();
            let path = if !url.has_authority() {
                // `sqlite::memory:` (sqlx's spelling) and `sqlite:path`: no `//` at all.
                match path.as_ref() {
                    ":memory:" | "" => None,
                    path => Some(file_uri(path)),
                }
            } else if url.host_str().is_some_and(|host| !host.is_empty()) {
                return Err(bad_target(
                    target,
                    "a SQLite URL has no host: write `sqlite:///relative/path.db` or \
                     `sqlite:////absolute/path.db`",
                ));
            } else {
                // `sqlite://`, `sqlite:///:memory:`: in memory, as in SQLAlchemy. After
                // `sqlite://` comes a path, relative with one more `/`, absolute with two.
                match path.strip_prefix('/') {
                    None | Some("") | Some(":memory:") => None,
                    Some(path) => Some(file_uri(path)),
                }
            };
            (path, pairs)
        } else if target.is_empty() || target == ":memory:" {
            (None, Vec::new())
        } else if let Some(query) = target.strip_prefix(":memory:?") {
            // `:memory:` with parameters: not a file named `:memory:?…`.
            let pairs = url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect();
            (None, pairs)
        } else {
            // A plain path is taken as written, `?` and `#` included.
            return Ok(Target {
                uri: Some(file_uri(target)),
                ..out
            });
        };
    let mut passed = Vec::new();
    for (key, value) in &pairs {
        if out.options.set_from_url(key, value)? {
            continue;
        }
        match key.as_str() {
            "journal_mode" => out.journal_mode = Some(pragma_word(target, key, value)?),
            "synchronous" => out.synchronous = Some(pragma_word(target, key, value)?),
            "foreign_keys" => {
                out.foreign_keys = match value.to_ascii_lowercase().as_str() {
                    "on" | "true" | "1" => true,
                    "off" | "false" | "0" => false,
                    _ => return Err(bad_target(target, "`foreign_keys` is `on` or `off`")),
                }
            }
            "begin" => {
                out.begin = match value.to_ascii_lowercase().as_str() {
                    "deferred" => TransactionBehavior::Deferred,
                    "immediate" => TransactionBehavior::Immediate,
                    "exclusive" => TransactionBehavior::Exclusive,
                    _ => {
                        return Err(bad_target(
                            target,
                            "`begin` is `deferred`, `immediate` or `exclusive`",
                        ));
                    }
                }
            }
            key if SQLITE_PARAMETERS.contains(&key) => {
                let value: String =
                    url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
                passed.push(format!("{key}={value}"));
            }
            _ => {
                return Err(bad_target(
                    target,
                    &format!(
                        "unknown parameter `{key}`: SQLite takes {}; philtre takes \
                         journal_mode, synchronous, foreign_keys, begin, statement_timeout, \
                         lock_timeout (the busy timeout) and statement_cache_size",
                        SQLITE_PARAMETERS.join(", ")
                    ),
                ));
            }
        }
    }
    out.uri = match path {
        Some(mut uri) => {
            if !passed.is_empty() {
                uri.push('?');
                uri.push_str(&passed.join("&"));
            }
            Some(uri)
        }
        // A named in-memory database (`mode=memory`, `cache=shared`) needs a URI; a private one
        // does not.
        None if !passed.is_empty() => Some(format!("file::memory:?{}", passed.join("&"))),
        None => None,
    };
    Ok(out)
}

/// Whether `target` is a URL of scheme `sqlite`, `sqlite3` or `sqlite+driver`.
fn is_sqlite_url(target: &str) -> bool {
    target.split_once(':').is_some_and(|(scheme, _)| {
        let base = scheme.split('+').next().unwrap_or(scheme);
        base == "sqlite" || base == "sqlite3"
    })
}

/// A path as a `file:` URI: `%`, `?` and `#` escaped, so a file may be named anything.
fn file_uri(path: &str) -> String {
    let mut uri = String::from("file:");
    for c in path.chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri
}

/// A PRAGMA value is a bare word: anything else is refused, never written into SQL.
fn pragma_word(target: &str, key: &str, value: &str) -> QueryResult<String> {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(bad_target(
            target,
            &format!("`{key}` takes a word such as `wal` or `normal`, not `{value}`"),
        ))
    }
}

fn bad_target(target: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::Connection,
        format!("cannot open SQLite database `{target}`: {why}"),
    )
}

/// Whether `target` (a path, `:memory:` or a `sqlite:` URL) opens a private in-memory
/// database: one that exists only inside the connection that opened it, so a pool must share
/// that one connection instead of opening more. A shared-cache memory URI (`file::memory:?cache=shared`)
/// is not private. An unreadable target answers false (opening it reports why).
pub fn is_in_memory(target: &str) -> bool {
    parse(target).is_ok_and(|t| match &t.uri {
        None => true,
        Some(uri) => {
            let private_memory = uri.contains(":memory:") || uri.contains("mode=memory");
            private_memory && !uri.contains("cache=shared")
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn private_memory_databases_are_told_apart() {
        for memory in [
            "sqlite://",
            ":memory:",
            "sqlite:///:memory:",
            "file::memory:",
        ] {
            assert!(super::is_in_memory(memory), "{memory}");
        }
        for shared in ["sqlite:///app.db", "app.db", "file::memory:?cache=shared"] {
            assert!(!super::is_in_memory(shared), "{shared}");
        }
    }

    use super::*;

    fn uri(target: &str) -> Option<String> {
        parse(target).expect("a valid target").uri
    }

    #[test]
    fn sqlalchemy_spellings() {
        assert_eq!(uri("sqlite://"), None);
        assert_eq!(uri("sqlite:///:memory:"), None);
        assert_eq!(uri(":memory:"), None);
        assert_eq!(uri("sqlite::memory:"), None);
        assert_eq!(
            uri("sqlite:///data/a.db").as_deref(),
            Some("file:data/a.db")
        );
        assert_eq!(
            uri("sqlite:////var/a.db").as_deref(),
            Some("file:/var/a.db")
        );
        assert_eq!(
            uri("sqlite+pysqlite:////var/a.db?mode=ro&cache=shared").as_deref(),
            Some("file:/var/a.db?mode=ro&cache=shared")
        );
        assert_eq!(
            uri("odd?name#.db").as_deref(),
            Some("file:odd%3fname%23.db")
        );
        assert_eq!(
            uri("sqlite://?mode=memory&cache=shared").as_deref(),
            Some("file::memory:?mode=memory&cache=shared")
        );
        assert_eq!(uri("sqlite:///a%20b.db").as_deref(), Some("file:a b.db"));
    }

    #[test]
    fn options_and_mistakes() {
        let t = parse("sqlite:///a.db?journal_mode=wal&begin=immediate&lock_timeout=2s")
            .expect("valid");
        assert_eq!(t.journal_mode.as_deref(), Some("WAL"));
        assert_eq!(t.begin, TransactionBehavior::Immediate);
        assert_eq!(
            t.options.lock_timeout,
            Some(std::time::Duration::from_secs(2))
        );
        assert_eq!(t.uri.as_deref(), Some("file:a.db"));
        for bad in [
            "sqlite://host/a.db",
            "sqlite:///a.db?mdoe=ro",
            "sqlite:///a.db?journal_mode=wal;drop",
            "sqlite:///a.db?begin=later",
        ] {
            let err = parse(bad).expect_err(bad);
            assert_eq!(err.kind(), ErrorKind::Connection, "{bad}");
        }
    }
}
