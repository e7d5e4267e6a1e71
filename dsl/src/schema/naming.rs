//! Constraint names in DDL: SQLAlchemy's `MetaData(naming_convention=…)`.
//!
//! A database names an unnamed constraint itself (`users_email_key`, `users_ibfk_1`, …), each
//! in its own way; migrations that later drop or alter the constraint then have to guess the
//! name. A naming convention makes every name predictable and the same on every database.

use crate::error::{Error, ErrorKind, QueryResult};

use super::description::{CheckDescription, ForeignKeyDescription, TableDescription};

/// Templates for constraint names, filled in per constraint.
///
/// Tokens: `{table}` (the table's SQL name), `{columns}` (the constrained columns joined by
/// `_`), `{column_0}` (the first of them), `{referred_table}` (a foreign key's target) and
/// `{name}` (a check's own name: `#[check(name: "…")]`, or the column of a column-level
/// `#[check = "…"]`). `None` leaves the constraint unnamed, for the database to name.
///
/// [`NamingConvention::default`] is what philtre always did: foreign keys are
/// `fk_<table>_<columns>` (so they can be dropped by name when a cycle is broken), a named check
/// keeps its name, and primary keys, unique constraints and unnamed checks are left to the
/// database.
/// [`NamingConvention::sqlalchemy`] is the convention SQLAlchemy's documentation recommends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingConvention {
    /// `PRIMARY KEY`, e.g. `pk_{table}`.
    pub primary_key: Option<String>,
    /// `UNIQUE` (a column's `#[unique]` and a table's `#[unique(a, b)]`), e.g.
    /// `uq_{table}_{column_0}`.
    pub unique: Option<String>,
    /// `CHECK`, e.g. `ck_{table}_{name}`; an unnamed table-level check with a template that
    /// uses `{name}` is an error, as in SQLAlchemy. With `None` a named check keeps its own name
    /// and an unnamed one is left to the database.
    pub check: Option<String>,
    /// `FOREIGN KEY`, e.g. `fk_{table}_{column_0}_{referred_table}`. Always set: philtre drops
    /// foreign keys by name.
    pub foreign_key: String,
}

impl Default for NamingConvention {
    fn default() -> Self {
        NamingConvention {
            primary_key: None,
            unique: None,
            check: None,
            foreign_key: "fk_{table}_{columns}".into(),
        }
    }
}

impl NamingConvention {
    /// The convention SQLAlchemy's documentation recommends ("Configuring Constraint Naming
    /// Conventions"): `pk_{table}`, `uq_{table}_{column_0}`, `ck_{table}_{name}`,
    /// `fk_{table}_{column_0}_{referred_table}`.
    pub fn sqlalchemy() -> Self {
        NamingConvention {
            primary_key: Some("pk_{table}".into()),
            unique: Some("uq_{table}_{column_0}".into()),
            check: Some("ck_{table}_{name}".into()),
            foreign_key: "fk_{table}_{column_0}_{referred_table}".into(),
        }
    }

    /// The primary key's name, if the convention names it.
    pub fn primary_key_name(&self, table: &TableDescription) -> Option<String> {
        let template = self.primary_key.as_deref()?;
        Some(fill(template, table.name, table.primary_key, None, None))
    }

    /// The name of a unique constraint on `columns`, if the convention names it.
    pub fn unique_name(&self, table: &TableDescription, columns: &[&str]) -> Option<String> {
        let template = self.unique.as_deref()?;
        Some(fill(template, table.name, columns, None, None))
    }

    /// The name of a table-level check, if it has one under the convention.
    pub fn check_name(
        &self,
        table: &TableDescription,
        check: &CheckDescription,
    ) -> QueryResult<Option<String>> {
        let Some(template) = self.check.as_deref() else {
            return Ok(check.name.map(str::to_owned));
        };
        match check.name {
            Some(name) => Ok(Some(fill(template, table.name, &[], None, Some(name)))),
            None if template.contains("{name}") => Err(Error::new(
                ErrorKind::InvalidQuery,
                format!(
                    "the check `{}` on table `{}` has no name, and the naming convention \
                     `{template}` needs one: write `#[check(a_name: \"{}\")]`",
                    check.sql, table.name, check.sql
                ),
            )),
            None => Ok(Some(fill(template, table.name, &[], None, None))),
        }
    }

    /// The name of a column's own `#[check = "…"]`, if the convention names checks.
    pub fn column_check_name(&self, table: &TableDescription, column: &str) -> Option<String> {
        let template = self.check.as_deref()?;
        Some(fill(template, table.name, &[column], None, Some(column)))
    }

    /// The name of a foreign key.
    pub fn foreign_key_name(&self, table: &TableDescription, fk: &ForeignKeyDescription) -> String {
        fill(
            &self.foreign_key,
            table.name,
            fk.columns,
            Some(fk.foreign_table),
            None,
        )
    }
}

fn fill(
    template: &str,
    table: &str,
    columns: &[&str],
    referred_table: Option<&str>,
    name: Option<&str>,
) -> String {
    template
        .replace("{table}", table)
        .replace("{columns}", &columns.join("_"))
        .replace("{column_0}", columns.first().copied().unwrap_or(""))
        .replace("{referred_table}", referred_table.unwrap_or(""))
        .replace("{name}", name.unwrap_or(""))
}

/// Refuses a name the database would cut short: PostgreSQL truncates identifiers longer than
/// 63 bytes without an error, so two long names could silently become one.
pub fn check_name_length(name: &str, max: usize, database: &str) -> QueryResult<()> {
    if name.len() > max {
        return Err(Error::new(
            ErrorKind::InvalidQuery,
            format!(
                "the name `{name}` is {} bytes long; {database} keeps at most {max} \
                 (shorten it, or the naming convention that made it)",
                name.len()
            ),
        ));
    }
    Ok(())
}
