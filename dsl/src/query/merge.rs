//! An upsert written as `MERGE` (Oracle, SQL Server: [`UpsertForm`]), from the same
//! `on_conflict(..)` builders: the INSERT's rows become the MERGE's source, named `excluded`
//! so that [`super::excluded`] reads them as it reads PostgreSQL's.
//!
//! ```text
//! MERGE INTO users USING (VALUES (@P1, @P2)) AS excluded (email, name)
//!     ON (users.email = excluded.email)
//! WHEN MATCHED THEN UPDATE SET name = excluded.name
//! WHEN NOT MATCHED THEN INSERT (email, name) VALUES (excluded.email, excluded.name);
//! ```

use crate::backend::{Backend, BindSink, SqlWriter, UpsertForm};
use crate::error::{Error, ErrorKind, QueryResult};
use crate::schema::TableDescription;

use super::target::{DmlKind, ReturningClause};

/// What a conflict clause contributes to a MERGE.
pub trait MergeAction<T, DB: Backend> {
    /// Writes the conflict target's columns, unqualified and comma-separated; false when the
    /// clause names none ("any conflict": the primary key is used) — or cannot be a MERGE's
    /// condition (a partial index's predicate, see [`Self::merge_error`]).
    fn write_target_columns(&self, out: &mut SqlWriter<DB>) -> bool;
    /// Why this clause has no MERGE form, if it has none.
    fn merge_error(&self) -> Option<&'static str> {
        None
    }
    /// Writes the assignments of `WHEN MATCHED THEN UPDATE SET`; false (the default) for DO
    /// NOTHING.
    fn write_update(&self, out: &mut SqlWriter<DB>) -> bool {
        let _ = out;
        false
    }
    /// Writes the condition of the update (`.filter(..)` after `.set(..)`); false for none.
    fn write_update_condition(&self, out: &mut SqlWriter<DB>) -> bool {
        let _ = out;
        false
    }
    /// Binds the assignments' values.
    fn bind_update<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        let _ = out;
        Ok(())
    }
    /// Binds the condition's values.
    fn bind_update_condition<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()> {
        let _ = out;
        Ok(())
    }
}

/// Writes `INSERT … ON CONFLICT …` as a MERGE into `table`; `write_values` writes the
/// INSERT's `(columns) VALUES …` (the INSERT passes its own, so this room needs none of its
/// types).
pub(crate) fn write_merge<T, DB: Backend>(
    table: &TableDescription,
    write_values: &dyn Fn(&mut SqlWriter<DB>),
    action: &dyn MergeAction<T, DB>,
    returning: &dyn ReturningClause<DB>,
    out: &mut SqlWriter<DB>,
) {
    // The INSERT's own `(columns) VALUES …`, split at the mark after its column list.
    let mut rendered = out.fork();
    write_values(&mut rendered);
    let mark = rendered.insert_values_mark().unwrap_or(0);
    let (columns, rows) = rendered.as_str().split_at(mark);
    let columns = columns
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .to_owned();
    let rows = rows.trim().to_owned();
    let names = split_list(&columns);

    out.push_sql("MERGE INTO ");
    out.push_table(table);
    out.push_sql(" USING ");
    match DB::UPSERT_FORM {
        UpsertForm::SqlServerMerge => {
            out.push_sql("(");
            out.push_sql(&rows);
            out.push_sql(") AS excluded (");
            out.push_sql(&columns);
            out.push_sql(")");
        }
        _ => {
            // No column list on an alias: a WITH inside names them.
            out.push_sql("(WITH excluded (");
            out.push_sql(&columns);
            out.push_sql(") AS (");
            match rows.strip_prefix("VALUES (") {
                Some(row) => {
                    out.push_sql("SELECT ");
                    out.push_sql(row.strip_suffix(')').unwrap_or(row));
                    if let Some(dual) = DB::FROM_NOTHING {
                        out.push_sql(" FROM ");
                        out.push_sql(dual);
                    }
                }
                None => out.push_sql(&rows),
            }
            out.push_sql(") SELECT * FROM excluded) excluded");
        }
    }
    out.join_binds(&rendered);

    out.push_sql(" ON (");
    let mut target = out.fork();
    let key: Vec<String> = if action.write_target_columns(&mut target) {
        split_list(target.as_str())
            .into_iter()
            .map(str::to_owned)
            .collect()
    } else {
        table
            .primary_key
            .iter()
            .map(|name| {
                let mut quoted = String::new();
                DB::push_identifier(&mut quoted, name);
                quoted
            })
            .collect()
    };
    for (i, column) in key.iter().enumerate() {
        if i > 0 {
            out.push_sql(" AND ");
        }
        out.push_identifier(table.name);
        out.push_sql(".");
        out.push_sql(column);
        out.push_sql(" = excluded.");
        out.push_sql(column);
    }
    out.push_sql(")");

    // The update and its condition, each written once, in the order the text has them (so
    // their placeholders number in order): SQL Server `WHEN MATCHED AND condition THEN UPDATE
    // SET …`, Oracle `WHEN MATCHED THEN UPDATE SET … WHERE condition`.
    let sql_server = DB::UPSERT_FORM == UpsertForm::SqlServerMerge;
    let (mut update, mut condition) = (out.fork(), out.fork());
    let (updates, conditional) = if sql_server {
        let conditional = action.write_update_condition(&mut condition);
        update = condition.fork();
        (action.write_update(&mut update), conditional)
    } else {
        let updates = action.write_update(&mut update);
        condition = update.fork();
        (updates, action.write_update_condition(&mut condition))
    };
    if updates {
        out.push_sql(" WHEN MATCHED");
        if sql_server && conditional {
            out.push_sql(" AND ");
            out.push_sql(condition.as_str());
        }
        out.push_sql(" THEN UPDATE SET ");
        out.push_sql(update.as_str());
        if !sql_server && conditional {
            out.push_sql(" WHERE ");
            out.push_sql(condition.as_str());
        }
        // The later of the two pieces holds the count of both.
        out.join_binds(if sql_server { &update } else { &condition });
    }
    out.push_sql(" WHEN NOT MATCHED THEN INSERT (");
    out.push_sql(&columns);
    out.push_sql(") VALUES (");
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_sql(", ");
        }
        out.push_sql("excluded.");
        out.push_sql(name);
    }
    out.push_sql(")");
    if DB::UPSERT_FORM == UpsertForm::SqlServerMerge {
        // OUTPUT ends a MERGE's clauses; SQL Server wants the statement terminated.
        returning.write_returning(out, DmlKind::Insert);
        out.push_sql(";");
    }
}

/// Binds the values of the MERGE [`write_merge`] wrote, in the order of its placeholders.
pub(crate) fn bind_merge<'a, T, DB: Backend>(
    write_values: &dyn Fn(&mut SqlWriter<DB>),
    bind_values: &dyn Fn(&mut dyn BindSink<'a, DB>) -> QueryResult<()>,
    action: &'a dyn MergeAction<T, DB>,
    returning: &'a dyn ReturningClause<DB>,
    out: &mut dyn BindSink<'a, DB>,
) -> QueryResult<()> {
    if let Some(reason) = action.merge_error() {
        return Err(Error::new(ErrorKind::InvalidQuery, reason));
    }
    let mut probe = SqlWriter::<DB>::new();
    write_values(&mut probe);
    if probe.insert_values_mark().is_none() {
        return Err(Error::new(
            ErrorKind::InvalidQuery,
            format!(
                "{} writes an upsert as MERGE, which needs the inserted columns: an INSERT of \
                 defaults only has none",
                DB::NAME
            ),
        ));
    }
    let mut returned = SqlWriter::<DB>::new();
    returning.write_returning(&mut returned, DmlKind::Insert);
    if !returned.as_str().is_empty() && DB::UPSERT_FORM != UpsertForm::SqlServerMerge {
        return Err(Error::new(
            ErrorKind::InvalidQuery,
            format!(
                "{} has no RETURNING on MERGE; select the rows afterwards",
                DB::NAME
            ),
        ));
    }
    bind_values(out)?;
    if DB::UPSERT_FORM == UpsertForm::SqlServerMerge {
        action.bind_update_condition(out)?;
        action.bind_update(out)?;
    } else {
        action.bind_update(out)?;
        action.bind_update_condition(out)?;
    }
    returning.collect_returning_binds(out)
}

/// The items of a comma-separated list of names, outside quotes and brackets.
fn split_list(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut quote) = (0, None::<char>);
    for (i, c) in list.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') => quote = Some('"'),
            (None, '[') => quote = Some(']'),
            (None, ',') => {
                items.push(list[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = list[start..].trim();
    if !last.is_empty() {
        items.push(last);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::split_list;

    #[test]
    fn lists_split_outside_quotes() {
        assert_eq!(split_list("a, b"), ["a", "b"]);
        assert_eq!(
            split_list("\"x, y\", [p, q], z"),
            ["\"x, y\"", "[p, q]", "z"]
        );
        assert!(split_list("").is_empty());
    }
}
