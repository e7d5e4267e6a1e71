//! A connection reports each statement (SQL, binds, rows, duration, error) and each
//! transaction boundary to its instrumentation, in order.

use std::sync::{Arc, Mutex};

use philtre::connection::Event;
use philtre::prelude::*;
use philtre_tests::*;

/// Records events as short lines: `start INSERT… 2`, `end 1 rows`, `begin 1`, …
fn recorder() -> (
    Arc<Mutex<Vec<String>>>,
    Arc<dyn philtre::connection::Instrumentation>,
) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    let instrumentation = move |event: &Event<'_>| {
        let line = match event {
            Event::StatementStart { sql, binds } => {
                format!(
                    "start {} {binds}",
                    sql.split_whitespace().next().unwrap_or("")
                )
            }
            Event::StatementEnd {
                rows,
                error: None,
                duration,
                ..
            } => {
                assert!(duration.as_secs() < 10);
                format!("end {rows:?}")
            }
            Event::StatementEnd { error: Some(e), .. } => format!("error {:?}", e.kind()),
            Event::Begin { depth } => format!("begin {depth}"),
            Event::Commit { depth } => format!("commit {depth}"),
            Event::Rollback { depth } => format!("rollback {depth}"),
            other => format!("{other:?}"),
        };
        sink.lock().expect("not poisoned").push(line);
    };
    (lines, Arc::new(instrumentation))
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn statements_and_transactions_are_reported_in_order(conn) {
    let (lines, instrumentation) = recorder();
    conn.set_instrumentation(Some(instrumentation));
    conn.transaction(|conn| {
        insert_into(users::table)
            .values((users::name.eq("Ann"), users::score.eq(3)))
            .execute(conn)?;
        let _ = conn.transaction(|conn| {
            insert_into(users::table)
                .values((users::name.eq("Bad"), users::score.eq(-1)))
                .execute(conn)
        });
        users::table.select(users::name).load::<String>(conn)
    })?;
    conn.set_instrumentation(None);
    users::table.count().get_result::<i64>(conn)?;
    let lines = lines.lock().expect("not poisoned").clone();
    // Transaction control is reported as begin/commit/rollback, not as statements.
    let expected = [
        "begin 1",
        "start INSERT 2",
        "end Some(1)",
        "begin 2",
        "start INSERT 2",
        "error CheckViolation",
        "rollback 2",
        "start SELECT 0",
        "end Some(1)",
        "commit 1",
    ];
    assert_eq!(lines, expected);
    assert!(!lines.iter().any(|l| l.contains("count")), "nothing after removing it");
    Ok(())
}

fn sql_log_writes_statements_transactions_and_slow_ones(conn) {
    use philtre::connection::SqlLog;
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(buffer.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, || -> QueryResult<()> {
        conn.set_instrumentation(Some(Arc::new(SqlLog::new())));
        conn.transaction(|conn| {
            insert_into(users::table)
                .values((users::name.eq("secret-name"), users::score.eq(3)))
                .execute(conn)
        })?;
        // Everything is slower than zero: logged at WARN.
        conn.set_instrumentation(Some(Arc::new(SqlLog::echo().slow_statements(std::time::Duration::ZERO))));
        users::table.count().get_result::<i64>(conn)?;
        conn.set_instrumentation(None);
        Ok(())
    })?;
    let text = buffer.text();
    assert!(text.contains("DEBUG philtre::sql: BEGIN"), "{text}");
    assert!(text.contains("DEBUG philtre::sql: statement"), "{text}");
    assert!(text.contains("INSERT INTO"), "{text}");
    assert!(text.contains("binds=2") && text.contains("rows=1"), "{text}");
    assert!(text.contains("DEBUG philtre::sql: COMMIT"), "{text}");
    assert!(text.contains("WARN philtre::sql: slow statement"), "{text}");
    assert!(!text.contains("secret-name"), "bound values are never logged: {text}");
    Ok(())
}

fn a_query_that_finds_no_row_is_not_a_failed_statement(conn) {
    let (lines, instrumentation) = recorder();
    conn.set_instrumentation(Some(instrumentation));
    let nobody = users::table
        .filter(users::name.eq("nobody"))
        .select(users::id)
        .first::<i32>(conn)
        .optional()?;
    assert_eq!(nobody, None);
    conn.set_instrumentation(None);
    let lines = lines.lock().expect("not poisoned").clone();
    assert_eq!(lines, ["start SELECT 2", "end Some(0)"]);
    Ok(())
}

fn bound_values_are_logged_at_trace_only_when_asked(conn) {
    use philtre::connection::SqlLog;
    let run = |conn: &mut Conn, log: SqlLog, level: tracing::Level| -> QueryResult<String> {
        let buffer = Buffer::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_ansi(false)
            .with_writer(buffer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || -> QueryResult<()> {
            conn.set_instrumentation(Some(Arc::new(log)));
            let n: i64 = users::table
                .filter(users::name.eq("token-1234"))
                .count()
                .get_result(conn)?;
            assert_eq!(n, 0);
            conn.set_instrumentation(None);
            Ok(())
        })?;
        Ok(buffer.text())
    };
    let asked = run(conn, SqlLog::new().bind_values(), tracing::Level::TRACE)?;
    assert!(asked.contains("TRACE philtre::sql: bound values"), "{asked}");
    assert!(asked.contains("token-1234"), "{asked}");
    let not_asked = run(conn, SqlLog::new(), tracing::Level::TRACE)?;
    assert!(!not_asked.contains("token-1234"), "{not_asked}");
    // Asked, but TRACE is off: the values are not even formatted.
    let filtered = run(conn, SqlLog::new().bind_values(), tracing::Level::DEBUG)?;
    assert!(!filtered.contains("token-1234"), "{filtered}");
    Ok(())
}
}

/// A `tracing` writer into memory.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

impl std::io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Buffer {
        self.clone()
    }
}
