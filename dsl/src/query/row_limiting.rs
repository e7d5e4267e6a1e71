//! LIMIT and OFFSET the backend's way ([`RowLimiting`]): `LIMIT n OFFSET m` at the end,
//! `OFFSET m ROWS FETCH NEXT n ROWS ONLY`, Oracle's nested `ROWNUM`, or SQL Server's `TOP (n)`
//! and `ROW_NUMBER()` wrapping. The older forms move clauses around (a `TOP` comes before the
//! select list, a `ROW_NUMBER()` takes the ORDER BY into the select list), so a SELECT hands
//! its clauses over one by one ([`SelectParts`]) and this room puts them — and their bind
//! values, which must follow the text — in the order the form needs.

use crate::backend::{Backend, BindSink, RowLimiting, SqlWriter};
use crate::error::QueryResult;
use crate::schema::TypeKind;

/// The clauses of one SELECT, written and bound separately.
pub(crate) trait SelectParts<DB: Backend> {
    /// `DISTINCT …` (or nothing).
    fn write_distinct(&self, out: &mut SqlWriter<DB>);
    /// The select list.
    fn write_list(&self, out: &mut SqlWriter<DB>);
    /// ` FROM …`.
    fn write_from(&self, out: &mut SqlWriter<DB>);
    /// ` WHERE …` through HAVING.
    fn write_filters(&self, out: &mut SqlWriter<DB>);
    /// ` ORDER BY …` (or nothing).
    fn write_order(&self, out: &mut SqlWriter<DB>);
    /// ` FOR UPDATE …` (or nothing).
    fn write_lock(&self, out: &mut SqlWriter<DB>);
    /// The values of DISTINCT ON keys.
    fn bind_distinct<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// The values of the select list.
    fn bind_list<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// The values of FROM through HAVING.
    fn bind_body<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// The values of the ORDER BY keys.
    fn bind_order<'a>(&'a self, out: &mut dyn BindSink<'a, DB>) -> QueryResult<()>;
    /// The LIMIT, if any.
    fn limit(&self) -> Option<&i64>;
    /// The OFFSET, if any.
    fn offset(&self) -> Option<&i64>;
}

/// How a statement with this LIMIT / OFFSET is laid out on backend `DB`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Clauses in their usual order, the row limit at the end (or no row limit).
    Tail,
    /// Oracle's `SELECT * FROM (…) WHERE ROWNUM <= :n`, with an `ora_rn` level for an offset.
    Rownum,
    /// `SELECT TOP (n) …`.
    Top,
    /// `SELECT * FROM (SELECT …, ROW_NUMBER() OVER (ORDER BY …) AS mssql_rn …) AS anon_1 WHERE
    /// mssql_rn > m`.
    RowNumber,
}

fn layout<DB: Backend>(limit: bool, offset: bool) -> Layout {
    match DB::ROW_LIMITING {
        _ if !limit && !offset => Layout::Tail,
        RowLimiting::Rownum => Layout::Rownum,
        RowLimiting::TopOrRowNumber if offset => Layout::RowNumber,
        RowLimiting::TopOrRowNumber => Layout::Top,
        RowLimiting::LimitOffset | RowLimiting::OffsetFetch => Layout::Tail,
    }
}

/// Writes the whole SELECT, `write_prefixes` right after its keyword.
pub(crate) fn write_select<DB: Backend>(
    parts: &dyn SelectParts<DB>,
    write_prefixes: &dyn Fn(&mut SqlWriter<DB>),
    out: &mut SqlWriter<DB>,
) {
    let (limit, offset) = (parts.limit().is_some(), parts.offset().is_some());
    // A row lock the backend takes through table hints goes after the FROM clause's tables.
    let hint = if DB::ROW_LOCKS_AS_TABLE_HINTS {
        let mut lock = out.fork();
        parts.write_lock(&mut lock);
        DB::lock_table_hint(lock.as_str())
    } else {
        None
    };
    let body = |out: &mut SqlWriter<DB>| {
        let previous = out.set_lock_hint(hint);
        parts.write_from(out);
        out.set_lock_hint(previous);
        parts.write_filters(out);
    };
    let head = |out: &mut SqlWriter<DB>| {
        out.push_sql("SELECT ");
        write_prefixes(out);
        parts.write_distinct(out);
    };
    match layout::<DB>(limit, offset) {
        Layout::Tail => {
            head(out);
            parts.write_list(out);
            body(out);
            let ordered = write_order(parts, out);
            write_limit_offset_tail::<DB>(out, limit, offset, ordered);
        }
        Layout::Rownum => {
            write_rownum(out, limit, offset, &|out: &mut SqlWriter<DB>| {
                head(out);
                parts.write_list(out);
                body(out);
                parts.write_order(out);
            });
        }
        Layout::Top => {
            head(out);
            out.push_sql("TOP (");
            out.push_bind_param();
            out.push_sql(") ");
            parts.write_list(out);
            body(out);
            parts.write_order(out);
        }
        Layout::RowNumber => {
            out.push_sql("SELECT * FROM (");
            head(out);
            parts.write_list(out);
            out.push_sql(", ROW_NUMBER() OVER (");
            let at = out.as_str().len();
            if write_order(parts, out) {
                // ` ORDER BY …` without its leading space.
                let order = out.as_str()[at..].trim_start().to_owned();
                out.truncate(at);
                out.push_sql(&order);
            } else {
                out.push_sql("ORDER BY (SELECT NULL)");
            }
            out.push_sql(") AS mssql_rn");
            body(out);
            out.push_sql(") AS anon_1 WHERE mssql_rn > ");
            out.push_bind_param();
            if limit {
                out.push_sql(" AND mssql_rn <= ");
                out.push_bind_param();
                out.push_sql(" + ");
                out.push_bind_param();
            }
            out.push_sql(" ORDER BY mssql_rn");
        }
    }
    if hint.is_none() {
        parts.write_lock(out);
    }
}

/// Writes the ORDER BY; whether there was one.
fn write_order<DB: Backend>(parts: &dyn SelectParts<DB>, out: &mut SqlWriter<DB>) -> bool {
    let before = out.as_str().len();
    parts.write_order(out);
    out.as_str().len() > before
}

/// Binds the values of the SELECT [`write_select`] wrote, in the order of their placeholders.
pub(crate) fn bind_select<'a, DB: Backend>(
    parts: &'a dyn SelectParts<DB>,
    out: &mut dyn BindSink<'a, DB>,
) -> QueryResult<()> {
    let (limit, offset) = (parts.limit(), parts.offset());
    parts.bind_distinct(out)?;
    match layout::<DB>(limit.is_some(), offset.is_some()) {
        layout @ (Layout::Tail | Layout::Rownum) => {
            parts.bind_list(out)?;
            parts.bind_body(out)?;
            parts.bind_order(out)?;
            bind_limit_offset(layout, limit, offset, out)
        }
        Layout::Top => {
            bind_count(limit, out)?;
            parts.bind_list(out)?;
            parts.bind_body(out)?;
            parts.bind_order(out)
        }
        Layout::RowNumber => {
            // The row numbers would make every row distinct: DISTINCT would keep duplicates.
            let mut distinct = SqlWriter::<DB>::new();
            parts.write_distinct(&mut distinct);
            if !distinct.as_str().is_empty() {
                return Err(crate::Error::new(
                    crate::ErrorKind::InvalidQuery,
                    format!(
                        "{} cannot page a SELECT DISTINCT with an offset (its ROW_NUMBER() form \
                         would number duplicates apart); use the 2012 backend's OFFSET … FETCH, \
                         or GROUP BY the selected columns",
                        DB::NAME
                    ),
                ));
            }
            parts.bind_list(out)?;
            parts.bind_order(out)?;
            parts.bind_body(out)?;
            bind_limit_offset(Layout::RowNumber, limit, offset, out)
        }
    }
}

/// Writes a row limit after a statement whose clauses are all written (a compound SELECT):
/// at the end, or — for [`RowLimiting::Rownum`] — around it.
pub(crate) fn write_limited<DB: Backend>(
    out: &mut SqlWriter<DB>,
    limit: bool,
    offset: bool,
    statement: &dyn Fn(&mut SqlWriter<DB>) -> bool,
) {
    if layout::<DB>(limit, offset) == Layout::Rownum {
        write_rownum(out, limit, offset, &|out: &mut SqlWriter<DB>| {
            statement(out);
        });
    } else {
        // SQL Server before 2012 has no form for a compound's offset: `TOP` cannot stand
        // before a UNION's first SELECT for the whole of it, so compounds take the 2012 form.
        let ordered = statement(out);
        write_limit_offset_tail::<DB>(out, limit, offset, ordered);
    }
}

fn write_rownum<DB: Backend>(
    out: &mut SqlWriter<DB>,
    limit: bool,
    offset: bool,
    inner: &dyn Fn(&mut SqlWriter<DB>),
) {
    out.push_sql("SELECT * FROM (");
    if offset {
        out.push_sql("SELECT ora_q.*, ROWNUM AS ora_rn FROM (");
    }
    inner(out);
    if offset {
        out.push_sql(") ora_q");
        if limit {
            out.push_sql(" WHERE ROWNUM <= ");
            out.push_bind_param();
            out.push_sql(" + ");
            out.push_bind_param();
        }
        out.push_sql(") WHERE ora_rn > ");
    } else {
        out.push_sql(") WHERE ROWNUM <= ");
    }
    out.push_bind_param();
}

/// The usual tail: the backend's [`Backend::push_limit_offset`].
fn write_limit_offset_tail<DB: Backend>(
    out: &mut SqlWriter<DB>,
    limit: bool,
    offset: bool,
    ordered: bool,
) {
    if limit || offset {
        DB::push_limit_offset(out, limit, offset, ordered);
    }
}

/// Binds the row limit of a statement [`write_limited`] wrote.
pub(crate) fn bind_limited<'a, DB: Backend>(
    limit: Option<&'a i64>,
    offset: Option<&'a i64>,
    out: &mut dyn BindSink<'a, DB>,
) -> QueryResult<()> {
    let layout = match layout::<DB>(limit.is_some(), offset.is_some()) {
        Layout::Rownum => Layout::Rownum,
        _ => Layout::Tail,
    };
    bind_limit_offset(layout, limit, offset, out)
}

/// Binds a LIMIT and an OFFSET in the order `layout` writes their placeholders.
fn bind_limit_offset<'a, DB: Backend>(
    layout: Layout,
    limit: Option<&'a i64>,
    offset: Option<&'a i64>,
    out: &mut dyn BindSink<'a, DB>,
) -> QueryResult<()> {
    match layout {
        // `ROWNUM <= n + m … ora_rn > m`.
        Layout::Rownum if limit.is_some() && offset.is_some() => {
            bind_count(limit, out)?;
            bind_count(offset, out)?;
            bind_count(offset, out)
        }
        // `mssql_rn > m AND mssql_rn <= m + n`.
        Layout::RowNumber => {
            bind_count(offset, out)?;
            if limit.is_some() {
                bind_count(offset, out)?;
            }
            bind_count(limit, out)
        }
        // `OFFSET m ROWS FETCH NEXT n ROWS ONLY`.
        Layout::Tail if DB::ROW_LIMITING != RowLimiting::LimitOffset => {
            bind_count(offset, out)?;
            bind_count(limit, out)
        }
        _ => {
            bind_count(limit, out)?;
            bind_count(offset, out)
        }
    }
}

fn bind_count<'a, DB: Backend>(
    count: Option<&'a i64>,
    out: &mut dyn BindSink<'a, DB>,
) -> QueryResult<()> {
    match count {
        Some(count) => out.push_bound(DB::limit_value(count), TypeKind::BigInt, false),
        None => Ok(()),
    }
}
