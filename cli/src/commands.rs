//! The subcommands: `print-schema`, `diff`, and `migration generate | run | revert | status`.
//! Each returns what it prints and its exit code, so tests run them without a process.

use std::path::Path;

use philtre::reflection::Inspect;
use philtre::reflection::diff::{DiffOptions, Safety};
use philtre::{Error, ErrorKind, QueryResult};
use philtre_engine::migrations::{MigrationDir, MigrationState};
use philtre_engine::{AnyConnection, SchemaFile, diff_for};
use regex::Regex;

use crate::print_schema::{PrintOptions, kept_section, print_schema};

/// Which tables a command reads: `--only` and `--except` regular expressions, matched against
/// whole names.
#[derive(Debug, Clone, Default)]
pub struct TableFilter {
    only: Vec<Regex>,
    except: Vec<Regex>,
}

impl TableFilter {
    /// A filter from the patterns given on the command line.
    pub fn new(only: &[String], except: &[String]) -> QueryResult<TableFilter> {
        let compile = |patterns: &[String]| {
            patterns
                .iter()
                .map(|p| {
                    Regex::new(&format!("^(?:{p})$")).map_err(|e| {
                        Error::new(
                            ErrorKind::InvalidQuery,
                            format!("bad table pattern {p:?}: {e}"),
                        )
                    })
                })
                .collect::<QueryResult<Vec<_>>>()
        };
        Ok(TableFilter {
            only: compile(only)?,
            except: compile(except)?,
        })
    }

    /// Whether table `name` is read.
    pub fn accepts(&self, name: &str) -> bool {
        (self.only.is_empty() || self.only.iter().any(|r| r.is_match(name)))
            && !self.except.iter().any(|r| r.is_match(name))
    }
}

/// What a command printed and the process's exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Standard output.
    pub stdout: String,
    /// Standard error: progress and diagnostics.
    pub stderr: String,
    /// 0 for success; 1 for `diff --check` finding changes.
    pub code: i32,
}

/// Opens `url`, with a message that says which server could not be reached.
pub fn connect(url: &str) -> QueryResult<AnyConnection> {
    AnyConnection::open(url).map_err(|e| {
        let shown = redact(url);
        Error::new(
            e.kind(),
            format!("cannot connect to {shown}: {}", e.message()),
        )
    })
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// [`Inspect::reflect_schema`], saying on standard error which table it reads (a large
/// catalog takes a while).
fn reflect_with_progress(
    conn: &mut AnyConnection,
    schema: Option<&str>,
    views: bool,
    filter: &TableFilter,
) -> QueryResult<philtre::reflection::ReflectedSchema> {
    let mut names = conn.table_names(schema)?;
    if views {
        names.extend(conn.view_names(schema)?);
    }
    // The migration history is the migration runner's, not the application's.
    names.retain(|n| filter.accepts(n) && n != philtre_engine::migrations::HISTORY_TABLE);
    names.sort();
    let mut tables = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        eprintln!("reading {name} ({} of {})", i + 1, names.len());
        tables.push(conn.reflect_table(schema, name)?);
    }
    Ok(philtre::reflection::ReflectedSchema {
        tables,
        enums: conn.enum_types(schema)?,
        sequences: conn.sequence_names(schema)?,
    })
}

/// `philtre print-schema`.
pub fn print_schema_command(
    url: &str,
    schema: Option<&str>,
    filter: &TableFilter,
    views: bool,
    keys: &[String],
    output: Option<&Path>,
) -> QueryResult<Outcome> {
    let mut conn = connect(url)?;
    let mut stderr = String::new();
    let reflected = reflect_with_progress(&mut conn, schema, views, filter)?;
    stderr.push_str(&format!(
        "read {} tables and views\n",
        reflected.tables.len()
    ));
    let mut options = PrintOptions {
        schema: schema.map(str::to_owned),
        ..PrintOptions::default()
    };
    for key in keys {
        let Some((table, columns)) = key.split_once('=') else {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!("--key takes `table=col[,col]`, not {key:?}"),
            ));
        };
        options.keys.insert(
            table.to_owned(),
            columns.split(',').map(|c| c.trim().to_owned()).collect(),
        );
    }
    if let Some(path) = output {
        if let Ok(previous) = std::fs::read_to_string(path) {
            options.kept = kept_section(&previous);
        }
    }
    let printed = print_schema(conn.kind(), &reflected, &options);
    for d in &printed.diagnostics {
        stderr.push_str(&format!("note: `{}`: {}\n", d.table, d.message));
    }
    let stdout = match output {
        Some(path) => {
            std::fs::write(path, &printed.source).map_err(|e| {
                Error::new(
                    ErrorKind::Other,
                    format!("cannot write {}: {e}", path.display()),
                )
            })?;
            stderr.push_str(&format!("wrote {}\n", path.display()));
            String::new()
        }
        None => printed.source,
    };
    Ok(Outcome {
        stdout,
        stderr,
        code: 0,
    })
}

/// `--rename table.old=new`, as diff options.
pub fn diff_options(renames: &[String], ignore: &[String]) -> QueryResult<DiffOptions> {
    let mut options = DiffOptions {
        ignore_tables: ignore.to_vec(),
        ..DiffOptions::default()
    };
    options
        .ignore_tables
        .push(philtre_engine::migrations::HISTORY_TABLE.to_owned());
    for rename in renames {
        let parsed = rename
            .split_once('=')
            .and_then(|(from, to)| from.split_once('.').map(|(t, old)| (t, old, to)));
        let Some((table, old, new)) = parsed else {
            return Err(Error::new(
                ErrorKind::InvalidQuery,
                format!("--rename takes `table.old_column=new_column`, not {rename:?}"),
            ));
        };
        options
            .renames
            .push((table.to_owned(), old.to_owned(), new.to_owned()));
    }
    Ok(options)
}

/// The live tables of the connection's own schema and of every schema a declared table names
/// (`#[schema = "…"]`), with the own schema's enums and sequences.
fn reflect_declared_schemas(
    conn: &mut AnyConnection,
    declared: &philtre::reflection::ReflectedSchema,
    filter: &TableFilter,
) -> QueryResult<philtre::reflection::ReflectedSchema> {
    let mut live = conn.reflect_schema(None, false, &|name| filter.accepts(name))?;
    let others: std::collections::BTreeSet<&str> = declared
        .tables
        .iter()
        .filter_map(|t| t.schema.as_deref())
        .collect();
    for schema in others {
        let more = conn.reflect_schema(Some(schema), false, &|name| filter.accepts(name))?;
        live.tables.extend(more.tables);
    }
    Ok(live)
}

/// `philtre diff`: the declared schema (a schema file) against the database.
pub fn diff_command(
    url: &str,
    schema_file: &Path,
    filter: &TableFilter,
    options: &DiffOptions,
    check: bool,
) -> QueryResult<Outcome> {
    let file = SchemaFile::read(schema_file)?;
    let mut conn = connect(url)?;
    let kind = conn.kind();
    let mut declared = file.for_backend(kind)?.clone();
    declared.tables.retain(|t| filter.accepts(&t.name));
    let live = reflect_declared_schemas(&mut conn, &declared, filter)?;
    let found = diff_for(kind, &declared, &live, options);
    let mut stderr = format!(
        "compared {} declared tables with {} in the database: {} changes\n",
        declared.tables.len(),
        live.tables.len(),
        found.changes.len()
    );
    if let Some(worst) = found.worst() {
        stderr.push_str(&format!("the least safe change is {worst}\n"));
    }
    let code = i32::from(check && !found.is_empty());
    if code != 0 && found.worst() == Some(Safety::Destructive) {
        stderr.push_str("destructive changes: review before applying\n");
    }
    Ok(Outcome {
        stdout: found.to_string(),
        stderr,
        code,
    })
}

/// `philtre migration generate NAME`: the diff as an up migration, the reverse diff as its
/// down migration.
pub fn generate_command(
    url: &str,
    schema_file: &Path,
    dir: &Path,
    name: &str,
    filter: &TableFilter,
    options: &DiffOptions,
) -> QueryResult<Outcome> {
    let file = SchemaFile::read(schema_file)?;
    // The first migration makes the directory.
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::new(
            ErrorKind::Other,
            format!("cannot create {}: {e}", dir.display()),
        )
    })?;
    let migrations = MigrationDir::open(dir)?;
    let mut conn = connect(url)?;
    let kind = conn.kind();
    let mut declared = file.for_backend(kind)?.clone();
    declared.tables.retain(|t| filter.accepts(&t.name));
    let live = reflect_declared_schemas(&mut conn, &declared, filter)?;
    let up = diff_for(kind, &declared, &live, options);
    if up.is_empty() {
        return Ok(Outcome {
            stdout: String::new(),
            stderr: "the database matches the declared schema: no migration written\n".into(),
            code: 0,
        });
    }
    // Down: back from the declared schema to the database as it is.
    let reverse = DiffOptions {
        renames: options
            .renames
            .iter()
            .map(|(t, old, new)| (t.clone(), new.clone(), old.clone()))
            .collect(),
        ignore_tables: options.ignore_tables.clone(),
    };
    let down = diff_for(kind, &live, &declared, &reverse);
    let (up_path, down_path) = migrations.generate(name, &up, &down)?;
    Ok(Outcome {
        stdout: format!("{}\n{}\n", up_path.display(), down_path.display()),
        stderr: format!(
            "wrote {} changes (the least safe: {}); review the files before running them\n",
            up.changes.len(),
            up.worst().map_or("none".into(), |s| s.to_string())
        ),
        code: 0,
    })
}

/// `philtre migration run`.
pub fn run_command(url: &str, dir: &Path) -> QueryResult<Outcome> {
    let migrations = MigrationDir::open(dir)?;
    let mut conn = connect(url)?;
    let applied = migrations.run(&mut conn)?;
    let mut stdout = String::new();
    for name in &applied {
        stdout.push_str(&format!("applied {name}\n"));
    }
    Ok(Outcome {
        stderr: format!("{} migrations applied\n", applied.len()),
        stdout,
        code: 0,
    })
}

/// `philtre migration revert`: the last applied migration.
pub fn revert_command(url: &str, dir: &Path) -> QueryResult<Outcome> {
    let migrations = MigrationDir::open(dir)?;
    let mut conn = connect(url)?;
    Ok(match migrations.revert(&mut conn)? {
        Some(name) => Outcome {
            stdout: format!("reverted {name}\n"),
            stderr: String::new(),
            code: 0,
        },
        None => Outcome {
            stdout: String::new(),
            stderr: "no migration is applied\n".into(),
            code: 0,
        },
    })
}

/// `philtre migration status`.
pub fn status_command(url: &str, dir: &Path) -> QueryResult<Outcome> {
    let migrations = MigrationDir::open(dir)?;
    let mut conn = connect(url)?;
    let mut stdout = String::new();
    let mut problems = 0;
    for line in migrations.status(&mut conn)? {
        let state = match line.state {
            MigrationState::Applied => "applied",
            MigrationState::Pending => "pending",
            MigrationState::Changed => {
                problems += 1;
                "CHANGED since it was applied"
            }
            MigrationState::Missing => {
                problems += 1;
                "MISSING: applied, but no file has it"
            }
        };
        stdout.push_str(&format!(
            "V{}__{}\t{state}{}{}\n",
            line.version,
            line.name,
            line.applied_on
                .map(|t| format!(" ({t})"))
                .unwrap_or_default(),
            if line.revertible {
                ""
            } else {
                "\t(no .down.sql)"
            }
        ));
    }
    Ok(Outcome {
        stdout,
        stderr: String::new(),
        code: i32::from(problems > 0),
    })
}
