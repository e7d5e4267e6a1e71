//! Versioned, checksummed SQL migrations: refinery's files, history table and checks, run
//! through philtre's connections; with what refinery leaves out — reverting the last
//! migration, a status report, and migrations generated from a schema diff.
//!
//! A migrations directory holds `V{n}__{name}.sql` (refinery's naming: `V1__create_users.sql`)
//! and, beside each, an optional `V{n}__{name}.down.sql` that undoes it (refinery does not read
//! it). Applied migrations are recorded in refinery's `refinery_schema_history` table, with a
//! checksum of each file: a file changed after it was applied is refused (`abort_divergent`).
//! Pending migrations run in one transaction where the database has transactional DDL
//! (PostgreSQL, SQLite): all of them are kept, or none.
//!
//! At start-up, embed the files with `refinery::embed_migrations!("migrations")` and run them
//! with [`run_embedded`]; from the command line, `philtre migration run` reads the directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use philtre::reflection::Inspect;
use philtre::reflection::diff::SchemaDiff;
use philtre::{Error, ErrorKind, QueryResult};
use refinery_core::traits::sync::{Migrate, Query, Transaction};
use refinery_core::{Migration, Runner};

/// refinery's history table.
pub const HISTORY_TABLE: &str = "refinery_schema_history";

/// A philtre connection as refinery sees it: each batch of migration statements runs through
/// [`Inspect::apply_schema_changes`].
pub struct Migrating<'c, C>(pub &'c mut C);

impl<C: Inspect> Transaction for Migrating<'_, C> {
    type Error = Error;

    fn execute<'a, T: Iterator<Item = &'a str>>(&mut self, queries: T) -> Result<usize, Error> {
        let statements: Vec<String> = queries.map(str::to_owned).collect();
        self.0.apply_schema_changes(&statements)?;
        Ok(statements.len())
    }
}

impl<C: Inspect> Query<Vec<Migration>> for Migrating<'_, C> {
    fn query(&mut self, query: &str) -> Result<Vec<Migration>, Error> {
        self.0
            .query_text(query)?
            .iter()
            .map(|row| applied(row))
            .collect()
    }
}

impl<C: Inspect> Migrate for Migrating<'_, C> {}

/// A row of the history table: version, name, applied_on (RFC 3339), checksum.
fn applied(row: &[Option<String>]) -> QueryResult<Migration> {
    let cell = |i: usize| row.get(i).cloned().flatten().unwrap_or_default();
    let bad = |what: &str| {
        Error::new(
            ErrorKind::Deserialization,
            format!("{HISTORY_TABLE} holds a row whose {what} cannot be read: {row:?}"),
        )
    };
    let version = cell(0).parse().map_err(|_| bad("version"))?;
    let applied_on =
        time::OffsetDateTime::parse(&cell(2), &time::format_description::well_known::Rfc3339)
            .map_err(|_| bad("applied_on"))?;
    let checksum = cell(3).parse().map_err(|_| bad("checksum"))?;
    Ok(Migration::applied(version, cell(1), applied_on, checksum))
}

/// A refinery error as a philtre one, keeping the database's error kind when there is one.
fn from_refinery(e: refinery_core::Error) -> Error {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&e);
    while let Some(inner) = source {
        if let Some(philtre) = inner.downcast_ref::<Error>() {
            return Error::new(philtre.kind(), format!("{e}: {}", philtre.message()));
        }
        source = inner.source();
    }
    let kind = match e.kind() {
        refinery_core::error::Kind::DivergentVersion(..)
        | refinery_core::error::Kind::MissingVersion(..)
        | refinery_core::error::Kind::RepeatedVersion(..)
        | refinery_core::error::Kind::InvalidName
        | refinery_core::error::Kind::InvalidVersion => ErrorKind::InvalidQuery,
        _ => ErrorKind::Other,
    };
    Error::new(kind, e.to_string())
}

/// Runs the migrations `runner` holds (from `refinery::embed_migrations!`) that `conn` has
/// not applied yet, in one transaction where the database allows, refusing a migration
/// changed after it was applied. Returns the names of those applied.
///
/// Two processes starting at once (replicas of one service) take turns: the run holds
/// [`Inspect::migration_lock`] and waits at most [`LOCK_WAIT`] for another run to finish.
pub fn run_embedded<C: Inspect>(conn: &mut C, runner: Runner) -> QueryResult<Vec<String>> {
    locked(conn, |conn| {
        let report = runner
            .set_grouped(true)
            .set_abort_divergent(true)
            .run(&mut Migrating(conn))
            .map_err(from_refinery)?;
        Ok(report
            .applied_migrations()
            .iter()
            .map(|m| format!("V{}__{}", m.version(), m.name()))
            .collect())
    })
}

/// How long a migration run waits for another one to finish.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Runs `f` holding the migration lock, and gives it back whatever `f` returns.
fn locked<C: Inspect, T>(conn: &mut C, f: impl FnOnce(&mut C) -> QueryResult<T>) -> QueryResult<T> {
    conn.migration_lock(true, LOCK_WAIT)?;
    let outcome = f(conn);
    let released = conn.migration_lock(false, LOCK_WAIT);
    let value = outcome?;
    released?;
    Ok(value)
}

/// Where one migration stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationState {
    /// Applied, with the same checksum as its file.
    Applied,
    /// Not applied yet.
    Pending,
    /// Applied, but its file changed since: the database ran another text.
    Changed,
    /// Applied, but no file has its version.
    Missing,
}

/// One line of [`MigrationDir::status`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Its version.
    pub version: i32,
    /// Its name.
    pub name: String,
    /// Where it stands.
    pub state: MigrationState,
    /// When it was applied (RFC 3339), if it was.
    pub applied_on: Option<String>,
    /// Whether a `.down.sql` file can revert it.
    pub revertible: bool,
}

/// The migrations of a directory.
#[derive(Debug, Clone)]
pub struct MigrationDir {
    path: PathBuf,
    up: Vec<Migration>,
    down: BTreeMap<i32, String>,
}

impl MigrationDir {
    /// Reads `V{n}__{name}.sql` and `V{n}__{name}.down.sql` files from `path`.
    pub fn open(path: impl AsRef<Path>) -> QueryResult<MigrationDir> {
        let path = path.as_ref().to_path_buf();
        let up = refinery_core::load_sql_migrations(&path).map_err(from_refinery)?;
        let mut down = BTreeMap::new();
        for entry in std::fs::read_dir(&path).map_err(|e| io_error(&path, e))? {
            let file = entry.map_err(|e| io_error(&path, e))?.path();
            let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if let Some(stem) = name.strip_suffix(".down.sql") {
                let (_, version, _) =
                    refinery_core::parse_migration_name(stem).map_err(from_refinery)?;
                let sql = std::fs::read_to_string(&file).map_err(|e| io_error(&file, e))?;
                down.insert(version, sql);
            }
        }
        Ok(MigrationDir { path, up, down })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Applies the pending migrations (see [`run_embedded`]); returns their names.
    pub fn run<C: Inspect>(&self, conn: &mut C) -> QueryResult<Vec<String>> {
        run_embedded(conn, Runner::new(&self.up))
    }

    /// Every migration, of the directory and of the history table, by version.
    pub fn status<C: Inspect>(&self, conn: &mut C) -> QueryResult<Vec<MigrationStatus>> {
        let history = self.history(conn)?;
        let mut lines: Vec<MigrationStatus> = self
            .up
            .iter()
            .map(|m| {
                let done = history.iter().find(|h| h.version() == m.version());
                MigrationStatus {
                    version: m.version(),
                    name: m.name().to_owned(),
                    state: match done {
                        None => MigrationState::Pending,
                        Some(h) if h.checksum() == m.checksum() => MigrationState::Applied,
                        Some(_) => MigrationState::Changed,
                    },
                    applied_on: done.and_then(applied_on),
                    revertible: self.down.contains_key(&m.version()),
                }
            })
            .collect();
        for h in &history {
            if !self.up.iter().any(|m| m.version() == h.version()) {
                lines.push(MigrationStatus {
                    version: h.version(),
                    name: h.name().to_owned(),
                    state: MigrationState::Missing,
                    applied_on: applied_on(h),
                    revertible: false,
                });
            }
        }
        lines.sort_by_key(|l| l.version);
        Ok(lines)
    }

    /// Reverts the last applied migration with its `.down.sql` file and removes it from the
    /// history, in one transaction where the database allows; returns its name, or `None` when
    /// nothing is applied. A migration without a down file is an error, and nothing runs.
    pub fn revert<C: Inspect>(&self, conn: &mut C) -> QueryResult<Option<String>> {
        locked(conn, |conn| self.revert_locked(conn))
    }

    fn revert_locked<C: Inspect>(&self, conn: &mut C) -> QueryResult<Option<String>> {
        let history = self.history(conn)?;
        let Some(last) = history.last() else {
            return Ok(None);
        };
        let name = format!("V{}__{}", last.version(), last.name());
        let Some(down) = self.down.get(&last.version()) else {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!(
                    "{name} has no {name}.down.sql in {}: it cannot be reverted",
                    self.path.display()
                ),
            ));
        };
        conn.apply_schema_changes(&[
            down.clone(),
            format!(
                "DELETE FROM {HISTORY_TABLE} WHERE version = {}",
                last.version()
            ),
        ])?;
        Ok(Some(name))
    }

    /// The applied migrations, by version (none when the history table does not exist yet).
    fn history<C: Inspect>(&self, conn: &mut C) -> QueryResult<Vec<Migration>> {
        let mut migrating = Migrating(conn);
        migrating
            .assert_migrations_table(HISTORY_TABLE)
            .map_err(from_refinery)?;
        migrating
            .get_applied_migrations(HISTORY_TABLE)
            .map_err(from_refinery)
    }

    /// The next version number: one more than the highest file's.
    pub fn next_version(&self) -> i32 {
        self.up.iter().map(Migration::version).max().unwrap_or(0) + 1
    }

    /// Writes `V{next}__{name}.sql` with `up`'s statements and `V{next}__{name}.down.sql` with
    /// `down`'s, each change's label and description as a comment above its DDL, so the files
    /// read as a review of what will run. Returns the two paths.
    pub fn generate(
        &self,
        name: &str,
        up: &SchemaDiff,
        down: &SchemaDiff,
    ) -> QueryResult<(PathBuf, PathBuf)> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "a migration name is letters, digits and `_` (refinery's rule), not {name:?}"
                ),
            ));
        }
        let stem = format!("V{}__{name}", self.next_version());
        let up_path = self.path.join(format!("{stem}.sql"));
        let down_path = self.path.join(format!("{stem}.down.sql"));
        write_new(&up_path, &up.to_string())?;
        write_new(&down_path, &down.to_string())?;
        Ok((up_path, down_path))
    }
}

fn applied_on(m: &Migration) -> Option<String> {
    m.applied_on().and_then(|t| {
        t.format(&time::format_description::well_known::Rfc3339)
            .ok()
    })
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    let kind = if e.kind() == std::io::ErrorKind::NotFound {
        ErrorKind::NotFound
    } else {
        ErrorKind::Other
    };
    Error::new(kind, format!("{}: {e}", path.display()))
}

/// Writes a file that must not exist yet: a generated migration never overwrites one.
fn write_new(path: &Path, text: &str) -> QueryResult<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| io_error(path, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| io_error(path, e))
}
