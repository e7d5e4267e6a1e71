//! `philtre`: print-schema, diff and migrations for philtre projects.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use philtre_cli::commands::{
    TableFilter, diff_command, diff_options, generate_command, print_schema_command,
    revert_command, run_command, status_command,
};

#[derive(Parser)]
#[command(
    name = "philtre",
    version,
    about = "philtre's command line: reflect a database, diff it, migrate it"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Connection {
    /// The database URL (sqlite://path, postgres://…, mysql://…); defaults to $DATABASE_URL.
    #[arg(long, env = "DATABASE_URL")]
    url: String,
}

#[derive(clap::Args)]
struct Filters {
    /// Only tables whose whole name matches this regular expression (repeatable).
    #[arg(long)]
    only: Vec<String>,
    /// Leave out tables whose whole name matches this regular expression (repeatable).
    #[arg(long)]
    except: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Write the database's tables as `table!` source.
    PrintSchema {
        #[command(flatten)]
        connection: Connection,
        #[command(flatten)]
        filters: Filters,
        /// The schema (PostgreSQL) or database (MySQL) to read; the connection's own by default.
        #[arg(long)]
        schema: Option<String>,
        /// Also write views (they need `--key`).
        #[arg(long)]
        views: bool,
        /// Key columns for a table or view without a primary key: `--key log=ts,host`.
        #[arg(long = "key")]
        keys: Vec<String>,
        /// Write to this file (keeping its `philtre:keep` section) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Compare the declared schema (a schema file) with the database and print the DDL that
    /// reconciles them, each change labelled safe, needs-care or destructive.
    Diff {
        #[command(flatten)]
        connection: Connection,
        #[command(flatten)]
        filters: Filters,
        /// The schema file your crate writes with `philtre_engine::SchemaFile::write`.
        #[arg(long, default_value = "philtre-schema.json")]
        schema_file: PathBuf,
        /// A column renamed: `--rename users.name=full_name` (renames are never guessed).
        #[arg(long = "rename")]
        renames: Vec<String>,
        /// Tables of the database to leave alone (repeatable).
        #[arg(long = "ignore")]
        ignore: Vec<String>,
        /// Exit with 1 when there are differences (for CI).
        #[arg(long)]
        check: bool,
    },
    /// Versioned SQL migrations.
    Migration {
        #[command(subcommand)]
        command: MigrationCommand,
    },
}

#[derive(Subcommand)]
enum MigrationCommand {
    /// Write the next migration (and its `.down.sql`) from the diff.
    Generate {
        /// The migration's name: letters, digits and `_`.
        name: String,
        #[command(flatten)]
        connection: Connection,
        #[command(flatten)]
        filters: Filters,
        /// The schema file your crate writes.
        #[arg(long, default_value = "philtre-schema.json")]
        schema_file: PathBuf,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        dir: PathBuf,
        /// A column renamed: `--rename users.name=full_name`.
        #[arg(long = "rename")]
        renames: Vec<String>,
        /// Tables of the database to leave alone (repeatable).
        #[arg(long = "ignore")]
        ignore: Vec<String>,
    },
    /// Apply the pending migrations.
    Run {
        #[command(flatten)]
        connection: Connection,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        dir: PathBuf,
    },
    /// Revert the last applied migration with its `.down.sql`.
    Revert {
        #[command(flatten)]
        connection: Connection,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        dir: PathBuf,
    },
    /// List the migrations and whether each is applied.
    Status {
        #[command(flatten)]
        connection: Connection,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        dir: PathBuf,
    },
}

fn run(cli: Cli) -> philtre::QueryResult<philtre_cli::commands::Outcome> {
    match cli.command {
        Command::PrintSchema {
            connection,
            filters,
            schema,
            views,
            keys,
            output,
        } => {
            let filter = TableFilter::new(&filters.only, &filters.except)?;
            print_schema_command(
                &connection.url,
                schema.as_deref(),
                &filter,
                views,
                &keys,
                output.as_deref(),
            )
        }
        Command::Diff {
            connection,
            filters,
            schema_file,
            renames,
            ignore,
            check,
        } => {
            let filter = TableFilter::new(&filters.only, &filters.except)?;
            diff_command(
                &connection.url,
                &schema_file,
                &filter,
                &diff_options(&renames, &ignore)?,
                check,
            )
        }
        Command::Migration { command } => match command {
            MigrationCommand::Generate {
                name,
                connection,
                filters,
                schema_file,
                dir,
                renames,
                ignore,
            } => {
                let filter = TableFilter::new(&filters.only, &filters.except)?;
                generate_command(
                    &connection.url,
                    &schema_file,
                    &dir,
                    &name,
                    &filter,
                    &diff_options(&renames, &ignore)?,
                )
            }
            MigrationCommand::Run { connection, dir } => run_command(&connection.url, &dir),
            MigrationCommand::Revert { connection, dir } => revert_command(&connection.url, &dir),
            MigrationCommand::Status { connection, dir } => status_command(&connection.url, &dir),
        },
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(outcome) => {
            print!("{}", outcome.stdout);
            eprint!("{}", outcome.stderr);
            ExitCode::from(u8::try_from(outcome.code).unwrap_or(1))
        }
        Err(e) => {
            eprintln!("error ({:?}): {e}", e.kind());
            ExitCode::from(2)
        }
    }
}
