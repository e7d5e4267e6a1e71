use philtre::prelude::*;
use philtre::schema::Sequence;
use philtre_sqlite::SqliteConnection;

static TICKET_NO: Sequence = Sequence::new("ticket_no_seq");

fn next(conn: &mut SqliteConnection) -> QueryResult<i64> {
    select(TICKET_NO.next_value()).get_result(conn)
}

fn main() {
    let _ = next;
}
