//! Enumerated types (`#[derive(SqlEnum)]`): PostgreSQL's `CREATE TYPE … AS ENUM`, MySQL's
//! `ENUM(…)`, SQLite's text with a CHECK — written, read, filtered, created and dropped, and a
//! label the Rust enum does not know is an error.

use philtre::prelude::*;
use philtre_tests::harness::Dialect;

#[derive(Debug, Clone, Copy, PartialEq, Eq, SqlEnum)]
#[philtre(sql_name = "ticket_state")]
pub enum TicketState {
    Open,
    InProgress,
    #[philtre(label = "won't fix")]
    WontFix,
    Done,
}

philtre::table! {
    tickets (id) {
        id -> Integer,
        state -> Enum<TicketState>,
        previous -> Nullable<Enum<TicketState>>,
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[philtre(table = tickets)]
struct Ticket {
    id: i32,
    state: TicketState,
    previous: Option<TicketState>,
}

fn kind<T>(r: QueryResult<T>) -> Option<ErrorKind> {
    r.err().map(|e| e.kind())
}

#[test]
fn labels_and_ddl() {
    use philtre::types::SqlEnum;
    assert_eq!(
        TicketState::DESCRIPTION.labels,
        ["open", "in_progress", "won't fix", "done"]
    );
    assert_eq!(
        TicketState::from_label("won't fix"),
        Some(TicketState::WontFix)
    );
    assert_eq!(TicketState::from_label("closed"), None);
    let schema = Schema::new().table(tickets::table);
    let pg = schema
        .create_sql::<philtre_postgres::Pg>(false)
        .expect("DDL");
    assert_eq!(
        pg[0],
        "CREATE TYPE \"ticket_state\" AS ENUM ('open', 'in_progress', 'won''t fix', 'done')"
    );
    assert!(
        pg[1].contains("\"state\" \"ticket_state\" NOT NULL"),
        "{}",
        pg[1]
    );
    let drop = schema.drop_sql::<philtre_postgres::Pg>(true).expect("DDL");
    assert_eq!(
        drop.last().map(String::as_str),
        Some("DROP TYPE IF EXISTS \"ticket_state\"")
    );
    let my = schema
        .create_sql::<philtre_mysql::Mysql>(false)
        .expect("DDL");
    assert!(
        my[0].contains("`state` ENUM('open', 'in_progress', 'won''t fix', 'done') NOT NULL"),
        "{}",
        my[0]
    );
    let lite = schema
        .create_sql::<philtre_sqlite::Sqlite>(false)
        .expect("DDL");
    assert!(lite[0].contains("\"state\" TEXT CHECK (\"state\" IN ('open', 'in_progress', 'won''t fix', 'done')) NOT NULL"), "{}", lite[0]);
}

philtre_tests::backend_tests! {
backends: [sqlite, postgres, mysql];

fn enums_are_written_read_and_kept_to_their_labels(conn) {
    let schema = Schema::new().table(tickets::table);
    schema.create_all(conn)?;
    insert_into(tickets::table)
        .values(vec![
            Ticket { id: 1, state: TicketState::Open, previous: None },
            Ticket { id: 2, state: TicketState::WontFix, previous: Some(TicketState::InProgress) },
        ])
        .execute(conn)?;
    let all: Vec<Ticket> = tickets::table.select(Ticket::as_select()).order(tickets::id).load(conn)?;
    assert_eq!(all[1], Ticket { id: 2, state: TicketState::WontFix, previous: Some(TicketState::InProgress) });
    let open: Vec<i32> = tickets::table
        .filter(tickets::state.eq(TicketState::Open))
        .select(tickets::id)
        .load(conn)?;
    assert_eq!(open, [1]);
    let some: Vec<i32> = tickets::table
        .filter(tickets::state.eq_any([TicketState::WontFix, TicketState::Done]))
        .select(tickets::id)
        .load(conn)?;
    assert_eq!(some, [2]);
    update(tickets::table.find(1)).set(tickets::state.eq(TicketState::Done)).execute(conn)?;
    let state: TicketState = tickets::table.find(1).select(tickets::state).first(conn)?;
    assert_eq!(state, TicketState::Done);

    // A value outside the labels: the database refuses it (SQLite's CHECK, PostgreSQL's type,
    // MySQL's strict ENUM), or, written behind philtre's back, reading it is an error.
    let raw = conn.batch_execute("INSERT INTO tickets (id, state) VALUES (3, 'closed')");
    assert!(raw.is_err(), "'closed' is not a label");
    if DIALECT == Dialect::Sqlite {
        conn.batch_execute("PRAGMA ignore_check_constraints = ON; INSERT INTO tickets (id, state) VALUES (4, 'closed'); PRAGMA ignore_check_constraints = OFF;")?;
        let read = tickets::table.find(4).select(tickets::state).first::<TicketState>(conn);
        assert_eq!(kind(read), Some(ErrorKind::Deserialization));
        delete(tickets::table.find(4)).execute(conn)?;
    }
    schema.drop_all(conn)?;
    if DIALECT == Dialect::Postgres {
        let types = raw_rows(conn, "SELECT count(*) FROM pg_type WHERE typname = 'ticket_state' AND typnamespace = current_schema()::regnamespace")?;
        assert_eq!(types, [["0"]], "drop_all drops the type");
    }
    Ok(())
}
}
